import { describe, expect, it } from 'vitest';
import {
  acceptedCodings,
  chooseCoding,
  createAcceptedCodingsCache,
  negotiateEncoding,
} from '../../../src/app/http/negotiate-encoding.ts';

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

describe('createAcceptedCodingsCache', () => {
  it('answers like acceptedCodings, remembering each distinct value up to its bound', () => {
    const accepted = createAcceptedCodingsCache(2);
    expect(accepted(undefined)).toEqual({ br: false, gzip: false });
    expect(accepted('gzip')).toEqual(acceptedCodings('gzip'));
    expect(accepted('gzip')).toBe(accepted('gzip'));
    expect(accepted('br;q=0, *')).toEqual({ br: false, gzip: true });
    // A third value starts the memory afresh instead of growing it.
    const first = accepted('gzip');
    accepted('identity');
    expect(accepted('gzip')).not.toBe(first);
    expect(accepted('gzip')).toEqual(first);
  });

  it('chooseCoding prefers br, then gzip, among what the document has', () => {
    expect(chooseCoding({ br: true, gzip: true }, both)).toBe('br');
    expect(chooseCoding({ br: true, gzip: true }, { br: false, gzip: true })).toBe('gzip');
    expect(chooseCoding({ br: false, gzip: false }, both)).toBe('identity');
  });
});
