import { describe, expect, it } from 'vitest';
import { toHref, toHttpHref } from '../../../src/core/render/absolute-url.ts';

describe('toHref', () => {
  it('serialises a URL the WHATWG way: percent-encoded path, punycode host', () => {
    expect(toHref('https://Exämple.org/a b/<x>')).toBe('https://xn--exmple-cua.org/a%20b/%3Cx%3E');
  });

  it('returns text that is not a URL unchanged', () => {
    expect(toHref('not a url')).toBe('not a url');
  });

  it('gives the same answer from its cache, also after the cache was cleared by many URLs', () => {
    const first = toHref('https://example.org/é');
    for (let i = 0; i < 5000; i++) toHref(`https://example.org/${i}`);
    expect(toHref('https://example.org/é')).toBe(first);
    expect(first).toBe('https://example.org/%C3%A9');
    expect(toHref('https://example.org/4999')).toBe('https://example.org/4999');
  });
});

describe('toHttpHref', () => {
  it('keeps absolute http(s) URLs and drops other schemes, relative and missing values', () => {
    expect(toHttpHref('http://example.org/x')).toBe('http://example.org/x');
    expect(toHttpHref('javascript:alert(1)')).toBeUndefined();
    expect(toHttpHref('/relative')).toBeUndefined();
    expect(toHttpHref(undefined)).toBeUndefined();
  });
});
