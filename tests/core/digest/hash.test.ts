import { afterEach, describe, expect, it, vi } from 'vitest';
import { sha256Hex, shortDigest, strongEtag } from '../../../src/core/digest/hash.ts';

describe('sha256Hex', () => {
  it('matches the known SHA-256 of "abc"', async () => {
    expect(await sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it("gives Web Crypto's digest on both sides of the JavaScript / Web Crypto size threshold", async () => {
    // Sizes around 8 KiB cross from the synchronous JavaScript hash to crypto.subtle.digest.
    for (const size of [0, 1, 55, 56, 64, 200, 8191, 8192, 8193, 20_000]) {
      const bytes = new Uint8Array(size).map((_, i) => (i * 31 + size) & 0xff);
      const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
      const expected = [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
      expect(await sha256Hex(bytes), `${size} bytes`).toBe(expected);
    }
  });

  it('hashes a string as its UTF-8 bytes', async () => {
    expect(await sha256Hex('é')).toBe(await sha256Hex(new Uint8Array([0xc3, 0xa9])));
    // A lone surrogate is encoded as U+FFFD, as TextEncoder does.
    expect(await sha256Hex('a\ud800b')).toBe(await sha256Hex(new TextEncoder().encode('a\ud800b')));
  });
});

describe('sha256Hex without a native hash (as on the Worker)', () => {
  const runtime = process as { getBuiltinModule?: unknown };
  const original = runtime.getBuiltinModule;
  afterEach(() => {
    runtime.getBuiltinModule = original;
    vi.resetModules();
  });

  it('gives the native digests from JavaScript and Web Crypto', async () => {
    const inputs: (string | Uint8Array)[] = ['abc', 'é', 'a\ud800b', 'x'.repeat(8192), 'y'.repeat(20_000)];
    for (const size of [0, 55, 8191, 8193, 20_000]) inputs.push(new Uint8Array(size).map((_, i) => i & 0xff));
    const native = await Promise.all(inputs.map((input) => sha256Hex(input)));
    runtime.getBuiltinModule = undefined;
    vi.resetModules();
    const portable = await import('../../../src/core/digest/hash.ts');
    expect(portable.sha256Hex).not.toBe(sha256Hex);
    // The three inputs over 8 KiB go to Web Crypto: the fallback, not the native hash, answered.
    const webCrypto = vi.spyOn(crypto.subtle, 'digest');
    expect(await Promise.all(inputs.map((input) => portable.sha256Hex(input)))).toEqual(native);
    expect(webCrypto).toHaveBeenCalledTimes(3);
    webCrypto.mockRestore();
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
