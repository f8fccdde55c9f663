import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createWebStreamsCompressor } from '../../../src/drivers/compressor/web-streams.ts';

const compressor = createWebStreamsCompressor();
const text = '<rss><channel><title>Kiosque</title></channel></rss>\n'.repeat(200);

describe('web-streams compressor', () => {
  it('gzips bytes that any gzip reader restores exactly', async () => {
    const body = new TextEncoder().encode(text);
    const gz = await compressor.gzip(body);
    expect([gz[0], gz[1]]).toEqual([0x1f, 0x8b]);
    expect(gz.byteLength).toBeLessThan(body.byteLength / 5);
    expect(new TextDecoder().decode(gunzipSync(gz))).toBe(text);
  });

  it('is deterministic (publish compares digests of variants)', async () => {
    const body = new TextEncoder().encode(text);
    expect(await compressor.gzip(body)).toEqual(await compressor.gzip(body));
  });

  it('handles empty and large bodies without stalling', async () => {
    expect(gunzipSync(await compressor.gzip(new Uint8Array())).byteLength).toBe(0);
    const large = new Uint8Array(4 * 1024 * 1024).map((_, i) => i % 251);
    expect(gunzipSync(await compressor.gzip(large)).equals(Buffer.from(large))).toBe(true);
  });

  it('returns null for brotli, so no br variant is published', async () => {
    expect(await compressor.brotli(new TextEncoder().encode(text))).toBeNull();
  });
});
