/**
 * The generic document route: request path → manifest entry → the precomputed bytes in the
 * negotiated coding, with ETag, Last-Modified, Cache-Control, Vary and Content-Length, or a 304.
 *
 * Each coding is its own representation, so gzip and brotli bodies carry the manifest ETag with
 * a `-gzip`/`-br` suffix (a strong ETag names exact bytes, RFC 9110 §8.8.3); If-None-Match
 * accepts any of the three, so a client never re-downloads because it switched codings.
 *
 * Must not: hash, compress, render or read storage directly (the reader did all of that once).
 * Tunables: `maxAgeSeconds` comes from createApp's deps; IMMUTABLE_MAX_AGE below.
 */
import type { Context } from 'hono';
import type { ManifestEntry } from '../../core/pipeline/manifest.ts';
import type { Logger } from '../../ports/logger.ts';
import { isNotModified } from '../http/conditional-request.ts';
import { type ContentCoding, negotiateEncoding } from '../http/negotiate-encoding.ts';
import { BASE_HEADERS, methodNotAllowed, notFound, unavailable } from '../http/plain-response.ts';
import type { PublishedReader } from '../published-reader.ts';

/** One year: the longest max-age caches honour, for entries published as immutable. */
const IMMUTABLE_MAX_AGE = 31_536_000;

export interface ServePublishedOptions {
  readonly reader: PublishedReader;
  readonly maxAgeSeconds: number;
  readonly logger?: Logger | undefined;
}

/** `"abc"` + coding → the tag of that coding's representation. */
function etagFor(entry: ManifestEntry, coding: ContentCoding): string {
  return coding === 'identity' ? entry.etag : `${entry.etag.slice(0, -1)}-${coding}"`;
}

export function servePublished(options: ServePublishedOptions): (c: Context) => Promise<Response> {
  const { reader, maxAgeSeconds, logger } = options;
  const cacheControl = `public, max-age=${maxAgeSeconds}`;
  const immutableCacheControl = `public, max-age=${IMMUTABLE_MAX_AGE}, immutable`;

  return async (c) => {
    const path = c.req.path;
    const method = c.req.method;
    if (method !== 'GET' && method !== 'HEAD') return methodNotAllowed(path);

    let document: Awaited<ReturnType<PublishedReader['document']>>;
    try {
      if ((await reader.manifest()) === null) return unavailable(path, 'Nothing has been published yet');
      document = await reader.document(path);
    } catch (error) {
      logger?.error('could not read a published document', { path, error: (error as Error).message });
      return unavailable(path, 'The published version is being updated; retry shortly');
    }
    if (document === null) return notFound(path);

    const { entry } = document;
    const negotiable = document.gzip !== undefined || document.br !== undefined;
    const coding = negotiateEncoding(c.req.header('Accept-Encoding'), {
      br: document.br !== undefined,
      gzip: document.gzip !== undefined,
    });
    const lastModified = Date.parse(entry.lastModified);
    const headers: Record<string, string> = {
      ...BASE_HEADERS,
      ETag: etagFor(entry, coding),
      'Last-Modified': new Date(lastModified).toUTCString(),
      'Cache-Control': entry.immutable ? immutableCacheControl : cacheControl,
    };
    if (negotiable) headers.Vary = 'Accept-Encoding';

    const notModified = isNotModified(
      { ifNoneMatch: c.req.header('If-None-Match'), ifModifiedSince: c.req.header('If-Modified-Since') },
      {
        etags: [entry.etag, etagFor(entry, 'gzip'), etagFor(entry, 'br')],
        lastModified: Math.floor(lastModified / 1000) * 1000,
      },
    );
    if (notModified) return new Response(null, { status: 304, headers });

    const body = coding === 'br' ? document.br : coding === 'gzip' ? document.gzip : document.body;
    const bytes = body ?? document.body;
    headers['Content-Type'] = entry.contentType;
    headers['Content-Length'] = String(bytes.byteLength);
    if (coding !== 'identity') headers['Content-Encoding'] = coding;
    // HEAD: Hono turns the response into a bodiless one and keeps these headers.
    return new Response(method === 'HEAD' ? null : (bytes as Uint8Array<ArrayBuffer>), {
      status: 200,
      headers,
    });
  };
}
