import { describe, expect, it } from 'vitest';
import {
  baseUrlMismatch,
  isLoopbackHost,
  listenBaseUrl,
  listenUrl,
  settleBaseUrl,
} from '../src/listen-url.ts';

describe('listenBaseUrl', () => {
  it.each([
    ['127.0.0.1', 8787, 'http://localhost:8787'],
    ['0.0.0.0', 9000, 'http://localhost:9000'],
    ['::', 9000, 'http://localhost:9000'],
    ['::1', 9000, 'http://localhost:9000'],
    ['localhost', 80, 'http://localhost'],
    ['192.168.1.20', 8080, 'http://192.168.1.20:8080'],
    ['2001:db8::5', 8080, 'http://[2001:db8::5]:8080'],
    ['fe80::1%eth0', 8080, 'http://[fe80::1]:8080'],
    ['feeds.internal', 8787, 'http://feeds.internal:8787'],
  ])('%s:%i → %s', (host, port, url) => {
    expect(listenBaseUrl(host, port)).toBe(url);
  });
});

describe('listenUrl', () => {
  it('brackets IPv6 hosts', () => {
    expect(listenUrl('::1', 1)).toBe('http://[::1]:1');
    expect(listenUrl('127.0.0.1', 1)).toBe('http://127.0.0.1:1');
  });
});

describe('isLoopbackHost', () => {
  it.each([
    ['localhost', true],
    ['app.localhost', true],
    ['127.0.0.2', true],
    ['[::1]', true],
    ['::ffff:127.0.0.1', true],
    ['0.0.0.0', false],
    ['example.org', false],
    ['10.0.0.1', false],
  ])('%s → %s', (host, loopback) => {
    expect(isLoopbackHost(host)).toBe(loopback);
  });
});

describe('baseUrlMismatch', () => {
  it('accepts a URL that names the listen address', () => {
    expect(baseUrlMismatch('http://localhost:8787', '127.0.0.1', 8787)).toBeNull();
    expect(baseUrlMismatch('http://10.0.0.5:9000/feeds', '10.0.0.5', 9000)).toBeNull();
  });

  it('accepts a public name on the default port (a reverse proxy in front)', () => {
    expect(baseUrlMismatch('https://feeds.example.org', '0.0.0.0', 8787)).toBeNull();
    expect(baseUrlMismatch('https://feeds.example.org/news', '127.0.0.1', 8787)).toBeNull();
  });

  it('names a different port', () => {
    expect(baseUrlMismatch('http://localhost:8787', '127.0.0.1', 9000)).toBe(
      'its port is 8787 but kiosque listens on port 9000',
    );
    expect(baseUrlMismatch('http://feeds.example.org:8080', '0.0.0.0', 9000)).toMatch(/port is 8080/);
    expect(baseUrlMismatch('http://10.0.0.5', '10.0.0.5', 9000)).toMatch(/port is 80 /);
  });

  it('names a loopback URL while listening elsewhere', () => {
    expect(baseUrlMismatch('http://localhost:9000', '0.0.0.0', 9000)).toBe(
      'it is a loopback address but kiosque listens on all interfaces, so links only work on this machine',
    );
    expect(baseUrlMismatch('http://127.0.0.1:8787', '10.0.0.5', 9000)).toMatch(
      /listens on 10\.0\.0\.5.*; its port is 8787 but kiosque listens on port 9000/,
    );
  });
});

describe('settleBaseUrl', () => {
  it('follows the real port when derived, quietly on a loopback host', () => {
    expect(settleBaseUrl('http://localhost:0', 'listen', '127.0.0.1', 41234)).toEqual({
      baseUrl: 'http://localhost:41234',
      warning: null,
    });
  });

  it('warns once that derived links only work locally on a wildcard host', () => {
    expect(settleBaseUrl('http://localhost:9000', 'listen', '0.0.0.0', 9000)).toEqual({
      baseUrl: 'http://localhost:9000',
      warning:
        'links use http://localhost:9000: kiosque listens on all interfaces (http://0.0.0.0:9000) and no SITE_URL or site.baseUrl is set, so links only work on this machine; set SITE_URL to the address readers use',
    });
  });

  it('keeps a given base URL, with one warning naming its source when it cannot reach the listen address', () => {
    expect(settleBaseUrl('https://feeds.example.org', 'SITE_URL', '0.0.0.0', 9000)).toEqual({
      baseUrl: 'https://feeds.example.org',
      warning: null,
    });
    expect(settleBaseUrl('http://localhost:8787', 'site.baseUrl', '::', 9000)).toEqual({
      baseUrl: 'http://localhost:8787',
      warning:
        'site.baseUrl http://localhost:8787 does not match the listen address http://[::]:9000: it is a loopback address but kiosque listens on all interfaces, so links only work on this machine; its port is 8787 but kiosque listens on port 9000; feeds link to http://localhost:8787 anyway (unset it to follow the listen address)',
    });
  });
});
