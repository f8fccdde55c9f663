import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createNodeCompressor } from '../../../src/drivers/compressor/node-zlib.ts';

describe('createNodeCompressor', () => {
  const body = new TextEncoder().encode('<rss><channel><title>Kiosque</title></channel></rss>\n'.repeat(200));

  it('gzips to bytes that gunzip back to the input, smaller than it', async () => {
    const gz = await createNodeCompressor().gzip(body);
    expect(gz).toBeInstanceOf(Uint8Array);
    expect(gz.byteLength).toBeLessThan(body.byteLength);
    expect(new Uint8Array(gunzipSync(gz))).toEqual(body);
  });

  it('brotli-compresses to bytes that decompress back to the input, smaller than gzip', async () => {
    const compressor = createNodeCompressor();
    const br = await compressor.brotli(body);
    expect(br).not.toBeNull();
    if (br === null) return;
    expect(new Uint8Array(brotliDecompressSync(br))).toEqual(body);
    expect(br.byteLength).toBeLessThanOrEqual((await compressor.gzip(body)).byteLength);
  });

  it('handles an empty body', async () => {
    const compressor = createNodeCompressor();
    expect(gunzipSync(await compressor.gzip(new Uint8Array())).byteLength).toBe(0);
  });
});
