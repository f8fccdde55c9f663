import { describe, expect, it } from 'vitest';
import {
  compileTrustedProxies,
  forwardedEntries,
  MAX_HEADER_CHARS,
  MAX_HOPS,
  NO_TRUSTED_PROXIES,
  parseHop,
  parseTrustedRange,
  resolveClientAddress,
} from '../../../src/app/http/client-address.ts';

const trusted = compileTrustedProxies(['127.0.0.1/32', '10.0.0.0/8', '::1', 'fd00::/8']);
const resolve = (peer: string | undefined, forwardedFor?: string, forwarded?: string) =>
  resolveClientAddress(peer, { forwardedFor, forwarded }, trusted);

describe('parseTrustedRange', () => {
  it.each([
    ['10.0.0.0/8', '10.0.0.0', 8],
    ['127.0.0.1', '127.0.0.1', 32],
    ['2001:db8::/32', '2001:db8::', 32],
    ['::1', '::1', 128],
    [' 192.168.0.0/16 ', '192.168.0.0', 16],
    ['::ffff:10.0.0.0/104', '10.0.0.0', 8],
  ])('%s → %s/%i', (text, address, bits) => {
    const range = parseTrustedRange(text);
    expect(range?.[0].toString()).toBe(address);
    expect(range?.[1]).toBe(bits);
  });

  it.each([
    '',
    'localhost',
    '10.0.0.0/33',
    '2001:db8::/129',
    '10.0.0.0/',
    '10.0.0.0/x',
    '127.1',
    '0x7f000001',
    '10.0.0.0/8/8',
    '::ffff:10.0.0.0/80',
  ])('refuses %j', (text) => {
    expect(parseTrustedRange(text)).toBeNull();
  });
});

describe('parseHop', () => {
  it.each([
    ['192.0.2.1', '192.0.2.1'],
    ['192.0.2.1:4711', '192.0.2.1'],
    ['2001:db8::1', '2001:db8::1'],
    ['[2001:db8::1]', '2001:db8::1'],
    ['[2001:db8::1]:4711', '2001:db8::1'],
    ['::ffff:192.0.2.1', '192.0.2.1'],
    ['2001:DB8:0:0:0:0:0:1', '2001:db8::1'],
  ])('%s → %s', (text, address) => {
    expect(parseHop(text)?.toString()).toBe(address);
  });

  it.each([
    'unknown',
    '_hidden',
    '',
    '192.0.2',
    '192.0.2.1:',
    '192.0.2.1:port',
    '[192.0.2.1]',
    '[2001:db8::1',
    '[2001:db8::1]x',
    '2001:db8::1:4711:9:9:9:9',
    '127.1',
    '<script>',
  ])('refuses %j', (text) => {
    expect(parseHop(text)).toBeNull();
  });
});

describe('forwardedEntries', () => {
  it('reads the for= of each element, quoted or not, any parameter order and case', () => {
    expect(
      forwardedEntries(
        'for=192.0.2.60;proto=http;by=203.0.113.43, For="[2001:db8:cafe::17]:4711", proto=https;for=10.0.0.1',
      ),
    ).toEqual(['192.0.2.60', '[2001:db8:cafe::17]:4711', '10.0.0.1']);
  });

  it('marks elements without for, with a bad pair or a broken quote as malformed', () => {
    const entries = forwardedEntries('proto=http, for, for=a b, for="x, for=10.0.0.1');
    expect(entries).toHaveLength(4);
    expect(entries.every((e) => e.startsWith('\u0000'))).toBe(true);
  });
});

describe('resolveClientAddress', () => {
  it('returns the peer unchanged when no proxy is trusted, whatever the headers say', () => {
    expect(resolveClientAddress('203.0.113.9', { forwardedFor: '198.51.100.1' }, NO_TRUSTED_PROXIES)).toBe(
      '203.0.113.9',
    );
    expect(resolveClientAddress(undefined, {}, NO_TRUSTED_PROXIES)).toBeUndefined();
  });

  it('ignores the headers of an untrusted peer', () => {
    expect(resolve('203.0.113.9', '198.51.100.1', 'for=198.51.100.2')).toBe('203.0.113.9');
    expect(resolve('::ffff:203.0.113.9', '198.51.100.1')).toBe('203.0.113.9');
  });

  it('takes the right-most untrusted hop behind trusted proxies', () => {
    expect(resolve('127.0.0.1', '198.51.100.7')).toBe('198.51.100.7');
    expect(resolve('::ffff:127.0.0.1', '198.51.100.7, 10.0.0.2, 10.0.0.3')).toBe('198.51.100.7');
    expect(resolve('::1', '2001:db8::7')).toBe('2001:db8::7');
  });

  it('is not fooled by forged left-most entries, trusted-looking or not', () => {
    expect(resolve('127.0.0.1', '1.1.1.1, 10.0.0.9, 198.51.100.7')).toBe('198.51.100.7');
    expect(resolve('127.0.0.1', '10.0.0.9, 127.0.0.1, 198.51.100.7, 10.0.0.2')).toBe('198.51.100.7');
    expect(resolve('127.0.0.1', 'garbage, <x>, 198.51.100.7')).toBe('198.51.100.7');
  });

  it('uses the left-most hop when every hop is a trusted proxy', () => {
    expect(resolve('127.0.0.1', '10.0.0.5, 10.0.0.6')).toBe('10.0.0.5');
  });

  it('stops at an unusable hop and keeps the proxy that reported it', () => {
    expect(resolve('127.0.0.1', 'unknown')).toBe('127.0.0.1');
    expect(resolve('127.0.0.1', '198.51.100.7, _hidden, 10.0.0.2')).toBe('10.0.0.2');
    expect(resolve('127.0.0.1', '198.51.100.7, 0x7f000001')).toBe('127.0.0.1');
    expect(resolve('127.0.0.1', undefined, 'for=unknown')).toBe('127.0.0.1');
    expect(resolve('127.0.0.1', undefined, 'for=_hidden;by=_proxy')).toBe('127.0.0.1');
  });

  it('reads brackets and ports in X-Forwarded-For and Forwarded', () => {
    expect(resolve('127.0.0.1', '[2001:db8::1]:4711')).toBe('2001:db8::1');
    expect(resolve('127.0.0.1', '192.0.2.1:55123')).toBe('192.0.2.1');
    expect(resolve('127.0.0.1', undefined, 'for="[2001:db8::1]:4711"')).toBe('2001:db8::1');
    expect(resolve('127.0.0.1', undefined, 'for=192.0.2.43, for="[fd00::2]"')).toBe('192.0.2.43');
  });

  it('treats a broken Forwarded header as naming no client (the proxy is used)', () => {
    // A client sends an unterminated quote; the proxy appends its element after it.
    expect(resolve('127.0.0.1', undefined, 'for="198.51.100.1, for=192.0.2.7')).toBe('127.0.0.1');
    expect(resolve('127.0.0.1', undefined, 'for=192.0.2.7;for=198.51.100.1')).toBe('127.0.0.1');
  });

  it('uses the peer when X-Forwarded-For and Forwarded name different clients', () => {
    // The proxy appends only to one of them; the other came from the client unchanged.
    expect(resolve('127.0.0.1', '192.0.2.7', 'for=198.51.100.1')).toBe('127.0.0.1');
    expect(resolve('127.0.0.1', '192.0.2.7', 'for=192.0.2.7')).toBe('192.0.2.7');
  });

  it('falls back to the peer when the headers are empty', () => {
    expect(resolve('127.0.0.1', '', ' ')).toBe('127.0.0.1');
    expect(resolve('127.0.0.1', ' , ,')).toBe('127.0.0.1');
  });

  it('bounds the work: at most MAX_HOPS hops, and over-long headers count as malformed', () => {
    const chain = Array.from({ length: MAX_HOPS + 5 }, (_, i) => `10.0.${i}.1`);
    expect(resolve('127.0.0.1', ['198.51.100.7', ...chain].join(', '))).toBe('10.0.5.1');
    const long = `${'198.51.100.1, '.repeat(Math.ceil(MAX_HEADER_CHARS / 14))}192.0.2.1`;
    expect(long.length).toBeGreaterThan(MAX_HEADER_CHARS);
    expect(resolve('127.0.0.1', long)).toBe('127.0.0.1');
    const many = `${'for=a,'.repeat(1000)}for=192.0.2.1`;
    expect(resolve('127.0.0.1', undefined, many)).toBe('127.0.0.1');
  });

  it('keeps an unparseable peer as given', () => {
    expect(resolve('weird')).toBe('weird');
  });
});
