/**
 * Response headers that depend on what is served, computed once per app: Cache-Control
 * (tied to the regeneration schedule), CORS and the Content-Security-Policy of HTML pages.
 *
 * - Cache-Control: `public, max-age=<schedule>, stale-while-revalidate=<schedule>,
 *   stale-if-error=<STALE_IF_ERROR_SECONDS>` (RFC 5861): a cache may serve a feed one more
 *   interval while it revalidates, and a day when kiosque is down. Immutable entries (full
 *   RFC 5005 archive pages): `public, max-age=31536000, immutable`.
 * - CORS: `Access-Control-Allow-Origin: *` on everything but HTML pages (feeds, OPML, XSL,
 *   robots, JSON errors): public content, no credentials; web-based readers need it. ETag is
 *   exposed so such readers can revalidate.
 * - CSP on HTML: nothing but the one stylesheet, allowed by its SHA-256 (no inline script
 *   can run even if some markup slipped through sanitising), and the article's images and media
 *   from any https: origin (http: too only when the site itself is served over http, so an https
 *   site never loads mixed content). Still no script, frame, object or form target.
 *   Every HTML response carries one: the published pages (PAGE_STYLE, images and media allowed)
 *   and `/status` (its own STATUS_STYLE, no images).
 *
 * Must not: read storage or render. Tunables: STALE_IF_ERROR_SECONDS, IMMUTABLE_MAX_AGE.
 */
import { PAGE_STYLE } from '../../core/page-style.ts';

/** One year: the longest max-age caches honour, for entries published as immutable. */
export const IMMUTABLE_MAX_AGE = 31_536_000;
/** How long a cache may serve a stale feed while kiosque answers errors. */
export const STALE_IF_ERROR_SECONDS = 86_400;

export const CORS_HEADERS: Readonly<Record<string, string>> = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers': 'ETag, Retry-After',
};

export function cacheControlFor(maxAgeSeconds: number, immutable: boolean): string {
  if (immutable) return `public, max-age=${IMMUTABLE_MAX_AGE}, immutable`;
  return `public, max-age=${maxAgeSeconds}, stale-while-revalidate=${maxAgeSeconds}, stale-if-error=${STALE_IF_ERROR_SECONDS}`;
}

export function isHtml(contentType: string): boolean {
  return /^text\/html\b/i.test(contentType);
}

async function sha256Base64(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  let binary = '';
  for (const byte of digest) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** The CSP header value of every HTML page kiosque publishes; `siteUrl` is the site's base URL. */
export function htmlContentSecurityPolicy(siteUrl?: string): Promise<string> {
  const sources = /^http:/i.test(siteUrl ?? '') ? "'self' https: http:" : "'self' https:";
  return contentSecurityPolicyFor(PAGE_STYLE, sources);
}

/**
 * The CSP of an HTML page whose only active content is the inline stylesheet `css`, with images
 * and media from `mediaSources` (none when absent).
 */
export async function contentSecurityPolicyFor(css: string, mediaSources?: string): Promise<string> {
  const style = `'sha256-${await sha256Base64(css)}'`;
  return [
    "default-src 'none'",
    `style-src ${style}`,
    ...(mediaSources ? [`img-src ${mediaSources}`, `media-src ${mediaSources}`] : []),
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
