/**
 * Compressor port: precomputes encoded variants of published documents once per publish.
 * Must not: be called per request. Node fills it with node:zlib (gzip + brotli); a runtime
 * without brotli returns null for `brotli` and the variant is simply not published.
 */
export interface Compressor {
  gzip(body: Uint8Array): Promise<Uint8Array>;
  brotli(body: Uint8Array): Promise<Uint8Array | null>;
}
