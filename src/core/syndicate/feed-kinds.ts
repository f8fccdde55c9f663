/**
 * Which published documents are feeds: content type → feed format. Used to decide what to
 * ping a WebSub hub about, which responses get CORS and `?limit`, and which errors must be
 * JSON rather than text.
 *
 * Must not: sniff bodies; the content type stored in the manifest is the truth.
 */

export const FEED_CONTENT_TYPES = {
  rss: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
  json: 'application/feed+json; charset=utf-8',
} as const;

export type FeedFormat = keyof typeof FEED_CONTENT_TYPES;

/** The feed format of a Content-Type, or null for anything else (HTML, XSL, OPML, text). */
export function feedFormatOf(contentType: string): FeedFormat | null {
  const type = (contentType.split(';')[0] ?? '').trim().toLowerCase();
  if (type === 'application/rss+xml') return 'rss';
  if (type === 'application/atom+xml') return 'atom';
  if (type === 'application/feed+json') return 'json';
  return null;
}
