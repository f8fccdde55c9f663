import { describe, expect, it } from 'vitest';
import { negotiateEncoding } from '../../../src/app/http/negotiate-encoding.ts';

const both = { br: true, gzip: true };

describe('negotiateEncoding', () => {
  it.each([
    [undefined, both, 'identity'],
    ['', both, 'identity'],
    ['gzip, deflate, br', both, 'br'],
    ['gzip;q=1.0, br;q=0.1', both, 'br'],
    ['gzip', both, 'gzip'],
    ['GZIP', both, 'gzip'],
    ['x-gzip', both, 'gzip'],
    ['br;q=0, gzip', both, 'gzip'],
    ['br;q=0, gzip;q=0', both, 'identity'],
    ['*', both, 'br'],
    ['*;q=0, gzip', both, 'gzip'],
    ['br;q=0, *', both, 'gzip'],
    ['identity', both, 'identity'],
    ['deflate', both, 'identity'],
    ['gzip;q=abc', both, 'identity'],
    ['br', { br: false, gzip: true }, 'identity'],
    ['br, gzip', { br: false, gzip: true }, 'gzip'],
    ['gzip, br', { br: false, gzip: false }, 'identity'],
  ] as const)('%j with %j → %s', (header, available, expected) => {
    expect(negotiateEncoding(header, available)).toBe(expected);
  });
});
