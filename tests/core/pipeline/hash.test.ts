import { describe, expect, it } from 'vitest';
import { sha256Hex, shortDigest, strongEtag } from '../../../src/core/pipeline/hash.ts';

describe('sha256Hex', () => {
  it('matches the known SHA-256 of "abc"', async () => {
    expect(await sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('hashes a string as its UTF-8 bytes', async () => {
    expect(await sha256Hex('é')).toBe(await sha256Hex(new Uint8Array([0xc3, 0xa9])));
  });
});

describe('strongEtag', () => {
  it('is the quoted first 32 hex digits of the SHA-256, without W/', async () => {
    expect(await strongEtag('abc')).toBe('"ba7816bf8f01cfea414140de5dae2223"');
    expect(await shortDigest('abc')).toBe('ba7816bf8f01cfea414140de5dae2223');
  });

  it('changes when a single byte changes', async () => {
    expect(await strongEtag('feed v1')).not.toBe(await strongEtag('feed v2'));
  });
});
