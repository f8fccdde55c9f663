/**
 * Web-standard Compressor driver: identity bytes → gzip through `CompressionStream`, available in
 * Workers, Deno, browsers and Node ≥ 18. Brotli is not part of the Compression Streams standard
 * as the Workers runtime ships it, so `brotli` returns null and publish skips that variant (the
 * app then negotiates gzip or identity).
 *
 * Must not: import node:* (this is the edge compressor), or be called per request.
 * Tunables: none (CompressionStream has no level; gzip output is still deterministic).
 */
import type { Compressor } from '../../ports/compressor.ts';

async function compressWith(format: 'gzip', body: Uint8Array): Promise<Uint8Array> {
  const stream = new CompressionStream(format);
  const writer = stream.writable.getWriter();
  // Write and read concurrently: awaiting the write first could stall on backpressure.
  const written = writer.write(new Uint8Array(body)).then(() => writer.close());
  const [compressed] = await Promise.all([new Response(stream.readable).arrayBuffer(), written]);
  return new Uint8Array(compressed);
}

export function createWebStreamsCompressor(): Compressor {
  return {
    gzip: (body) => compressWith('gzip', body),
    async brotli(): Promise<Uint8Array | null> {
      return null;
    },
  };
}
