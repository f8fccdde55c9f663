/**
 * Browser view of feeds: an Accept header → whether the client is a browser navigating to the
 * feed. Such a client gets the feed's pre-rendered HTML preview (core/render/render-feed-preview.ts,
 * published as `…/feed.html`), which needs no XSLT (Chromium is removing it). Only when no preview
 * is published (a site built before previews) do RSS/Atom go out as `application/xml`, so the XSL
 * view (/feed.xsl) still applies where a browser has XSLT. Feed readers keep the registered types.
 *
 * Rule: a browser asks for `text/html` and names no feed media type; feed readers either do
 * not ask for HTML (Miniflux, feedparser, NetNewsWire) or list the feed types first (FreshRSS/
 * SimplePie sends `application/atom+xml, application/rss+xml, …, text/html;q=0.7`).
 *
 * Must not: change a feed's bytes (the preview is its own document with its own ETag; responses
 * at feed URLs carry `Vary: Accept` so caches keep both).
 * Tunables: MAX_CACHED_ACCEPT (distinct Accept values remembered by the request path).
 */
import { memoiseByHeader } from './header-memo.ts';

export const BROWSER_XML_TYPE = 'application/xml; charset=utf-8';

const FEED_TYPES = /application\/(?:rss|atom|rdf)\+xml|application\/feed\+json/i;

export function isBrowserNavigation(accept: string | undefined): boolean {
  if (accept === undefined || FEED_TYPES.test(accept)) return false;
  return accept.split(',').some((part) => {
    const [type, ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    if (type !== 'text/html') return false;
    const q = params.find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}

/** Distinct Accept values remembered by createBrowserNavigationCache before it starts afresh. */
export const MAX_CACHED_ACCEPT = 256;

/** isBrowserNavigation with the answer remembered per distinct header value (bounded). */
export function createBrowserNavigationCache(
  max = MAX_CACHED_ACCEPT,
): (accept: string | undefined) => boolean {
  return memoiseByHeader(isBrowserNavigation, false, max);
}
