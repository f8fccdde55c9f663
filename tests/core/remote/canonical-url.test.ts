import { describe, expect, it } from 'vitest';
import {
  canonicaliseUrl,
  InvalidUrlError,
  tryCanonicaliseUrl,
} from '../../../src/core/remote/canonical-url.ts';

describe('canonicaliseUrl', () => {
  it('strips tracking parameters, fragments, credentials and default ports; sorts the rest', () => {
    expect(
      canonicaliseUrl(
        'HTTPS://User:pw@News.Example:443/a/b?utm_source=x&b=2&xtor=RSS-3&a=1&fbclid=z&at_medium=m#top',
      ),
    ).toBe('https://news.example/a/b?a=1&b=2');
  });
  it('keeps parameters that select content and the path case', () => {
    expect(canonicaliseUrl('http://x.example/Article?id=42&page=2')).toBe(
      'http://x.example/Article?id=42&page=2',
    );
  });
  it('resolves relative URLs against a base', () => {
    expect(canonicaliseUrl('../b?utm_campaign=c', 'https://x.example/a/c/')).toBe('https://x.example/a/b');
  });
  it('refuses non-http(s) schemes and garbage', () => {
    expect(() => canonicaliseUrl('ftp://x.example/a')).toThrow(InvalidUrlError);
    expect(() => canonicaliseUrl('javascript:alert(1)')).toThrow(/only http/);
    expect(tryCanonicaliseUrl('not a url')).toBeNull();
  });
});
