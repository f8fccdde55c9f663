/**
 * The generic document route: request path (+ `?limit`) → manifest entry → the precomputed
 * bytes in the negotiated coding, with ETag, Last-Modified, Cache-Control, Vary, CORS/CSP and
 * Content-Length, or a 304.
 *
 * Each coding is its own representation, so gzip and brotli bodies carry the manifest ETag with
 * a `-gzip`/`-br` suffix (a strong ETag names exact bytes, RFC 9110 §8.8.3); If-None-Match
 * accepts any of the three, so a client never re-downloads because it switched codings.
 *
 * `?limit=N` on a feed is resolved by lookup only (core/syndicate/limit-query.ts): the exact
 * published variant is served, another N is redirected (302) to the nearest published one,
 * a malformed N is a 400. The variant's route includes the query, so each has its own ETag,
 * and shared caches key it by the full URL. A browser navigating to an RSS/Atom feed gets it
 * as application/xml so the XSL view applies (http/browser-view.ts; `Vary: Accept`).
 *
 * Must not: hash, compress, render or read storage directly (the reader did all of that once).
 * Tunables: `maxAgeSeconds` and `feedLimits` come from createApp's deps; response-policy.ts.
 */
import type { Context } from 'hono';
import type { ManifestEntry } from '../../core/pipeline/manifest.ts';
import { feedFormatOf } from '../../core/syndicate/feed-kinds.ts';
import { limitVariantPath, nearestLimit, parseLimitQuery } from '../../core/syndicate/limit-query.ts';
import type { Logger } from '../../ports/logger.ts';
import { BROWSER_XML_TYPE, isBrowserNavigation } from '../http/browser-view.ts';
import { isNotModified } from '../http/conditional-request.ts';
import { type ContentCoding, negotiateEncoding } from '../http/negotiate-encoding.ts';
import {
  BASE_HEADERS,
  badRequest,
  methodNotAllowed,
  notFound,
  preflight,
  redirect,
  unavailable,
} from '../http/plain-response.ts';
import { CORS_HEADERS, cacheControlFor, htmlContentSecurityPolicy, isHtml } from '../http/response-policy.ts';
import type { PublishedDocument, PublishedReader } from '../published-reader.ts';

export interface ServePublishedOptions {
  readonly reader: PublishedReader;
  readonly maxAgeSeconds: number;
  /** The `?limit` values the build publishes (config `feedLimits`). */
  readonly feedLimits: readonly number[];
  readonly logger?: Logger | undefined;
}

/** `"abc"` + coding → the tag of that coding's representation. */
function etagFor(entry: ManifestEntry, coding: ContentCoding): string {
  return coding === 'identity' ? entry.etag : `${entry.etag.slice(0, -1)}-${coding}"`;
}

type Resolution =
  | { readonly kind: 'document'; readonly document: PublishedDocument }
  | { readonly kind: 'response'; readonly response: Response };

export function servePublished(options: ServePublishedOptions): (c: Context) => Promise<Response> {
  const { reader, maxAgeSeconds, feedLimits, logger } = options;
  let csp: Promise<string> | null = null;

  /** Maps `?limit` onto a published variant (or a redirect/400); other queries are ignored. */
  async function resolve(path: string, search: string, base: PublishedDocument): Promise<Resolution> {
    if (feedFormatOf(base.entry.contentType) === null) return { kind: 'document', document: base };
    const limit = parseLimitQuery(search);
    if (limit.kind === 'none') return { kind: 'document', document: base };
    if (limit.kind === 'invalid') return { kind: 'response', response: badRequest(path, limit.message) };
    const manifest = await reader.manifest();
    const published = feedLimits.filter(
      (l) => manifest !== null && Object.hasOwn(manifest.documents, limitVariantPath(path, l)),
    );
    if (limit.canonical && published.includes(limit.value)) {
      const variant = await reader.document(limitVariantPath(path, limit.value));
      if (variant !== null) return { kind: 'document', document: variant };
    }
    const target = nearestLimit(limit.value, published);
    const location = target === null ? path : limitVariantPath(path, target);
    return { kind: 'response', response: redirect(path, location, cacheControlFor(maxAgeSeconds, false)) };
  }

  return async (c) => {
    const path = c.req.path;
    const method = c.req.method;
    if (method === 'OPTIONS') return preflight();
    if (method !== 'GET' && method !== 'HEAD') return methodNotAllowed(path);

    let resolution: Resolution;
    try {
      if ((await reader.manifest()) === null) return unavailable(path, 'Nothing has been published yet');
      const base = await reader.document(path);
      if (base === null) return notFound(path);
      resolution = await resolve(path, new URL(c.req.url).search, base);
    } catch (error) {
      logger?.error('could not read a published document', { path, error: (error as Error).message });
      return unavailable(path, 'The published version is being updated; retry shortly');
    }
    if (resolution.kind === 'response') return resolution.response;
    const { document } = resolution;

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
      'Cache-Control': cacheControlFor(maxAgeSeconds, entry.immutable === true),
    };
    const format = feedFormatOf(entry.contentType);
    const xmlFeed = format === 'rss' || format === 'atom';
    const vary = [...(xmlFeed ? ['Accept'] : []), ...(negotiable ? ['Accept-Encoding'] : [])];
    if (vary.length > 0) headers.Vary = vary.join(', ');
    if (isHtml(entry.contentType)) {
      csp ??= htmlContentSecurityPolicy();
      headers['Content-Security-Policy'] = await csp;
    } else {
      Object.assign(headers, CORS_HEADERS);
    }

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
    // A browser gets the same bytes as application/xml so that it applies /feed.xsl.
    headers['Content-Type'] =
      xmlFeed && isBrowserNavigation(c.req.header('Accept')) ? BROWSER_XML_TYPE : entry.contentType;
    headers['Content-Length'] = String(bytes.byteLength);
    if (coding !== 'identity') headers['Content-Encoding'] = coding;
    // HEAD: Hono turns the response into a bodiless one and keeps these headers.
    return new Response(method === 'HEAD' ? null : (bytes as Uint8Array<ArrayBuffer>), {
      status: 200,
      headers,
    });
  };
}
