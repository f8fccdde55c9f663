/**
 * What each feed format advertises of an item's media: its lead image (with a MIME type when
 * the file name tells it) and its enclosures, every URL absolute http(s) and serialised once.
 * Input: FeedItem. Output: LeadImage | undefined, SafeEnclosure[].
 *
 * Must not: guess a length (RSS `enclosure` then says 0, as the RSS Advisory Board's best
 * practices ask for an unknown size) or fetch anything. Spec: Media RSS
 * (https://www.rssboard.org/media-rss), RFC 4287 §4.2.7.2, JSON Feed 1.1 `attachments`.
 */
import type { FeedItem } from '../model.ts';
import { toHttpHref } from './absolute-url.ts';

export const MEDIA_RSS_NAMESPACE = 'http://search.yahoo.com/mrss/';

const IMAGE_TYPES: Readonly<Record<string, string>> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
  svg: 'image/svg+xml',
};

export interface LeadImage {
  readonly url: string;
  /** From the file extension; undefined when the name does not say. */
  readonly type?: string;
}

export interface SafeEnclosure {
  readonly url: string;
  readonly type: string;
  readonly length?: number;
}

/** The item's lead image when its URL is absolute http(s). */
export function leadImageOf(item: FeedItem): LeadImage | undefined {
  const url = toHttpHref(item.image);
  if (url === undefined) return undefined;
  const ext = /\.([a-z0-9]{3,4})$/i.exec(new URL(url).pathname)?.[1]?.toLowerCase();
  const type = ext ? IMAGE_TYPES[ext] : undefined;
  return type ? { url, type } : { url };
}

const MIME = /^[a-z]+\/[a-z0-9.+-]+$/i;

/** The item's enclosures with an absolute http(s) URL and a well-formed MIME type. */
export function enclosuresOf(item: FeedItem): SafeEnclosure[] {
  const out: SafeEnclosure[] = [];
  for (const e of item.enclosures ?? []) {
    const url = toHttpHref(e.url);
    if (url === undefined || !MIME.test(e.type)) continue;
    const length =
      e.length !== undefined && Number.isSafeInteger(e.length) && e.length > 0 ? e.length : undefined;
    out.push({ url, type: e.type.toLowerCase(), ...(length !== undefined ? { length } : {}) });
  }
  return out;
}

/**
 * Whether any item may need the Media RSS namespace (declared on the root only then). A cheap
 * test on the fields, run on every feed: an unused declaration is harmless, a missing one is not.
 */
export function usesMediaRss(items: readonly FeedItem[]): boolean {
  return items.some((item) => item.image !== undefined || (item.enclosures?.length ?? 0) > 1);
}
