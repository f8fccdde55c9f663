/**
 * JSON Feed 1.1 renderer: FeedDocument + FeedLinks → a JSON string
 * (2-space indent, trailing newline). Spec: https://jsonfeed.org/version/1.1
 *
 * Must not: read the clock, emit the 1.0 `author` object (1.1 uses `authors`
 * arrays), or emit keys in data-dependent order: every object is built in one fixed
 * key order, so the same document always serialises to the same bytes.
 *
 * Written here rather than with the `feed` npm package, which only writes JSON Feed
 * 1.0. Strings go through the same character stripping as the XML formats so the
 * three documents say exactly the same thing (and stay embeddable in XML/HTML).
 */
import type { FeedDocument, FeedItem } from '../model.ts';
import { toHref, toHttpHref } from './absolute-url.ts';
import type { FeedLinks } from './feed-links.ts';
import { laterOf, toRfc3339 } from './format-dates.ts';
import { memoisePerItem } from './item-fragments.ts';
import { enclosuresOf } from './item-media.ts';
import { stripInvalidXmlChars } from './xml-text.ts';

export const JSON_FEED_VERSION = 'https://jsonfeed.org/version/1.1';

export interface JsonFeedAuthor {
  readonly name: string;
  readonly url?: string;
}

export interface JsonFeedItem {
  readonly id: string;
  readonly url: string;
  readonly external_url?: string;
  readonly title: string;
  readonly summary: string;
  readonly content_html: string;
  readonly content_text: string;
  readonly image?: string;
  readonly date_published: string;
  readonly date_modified: string;
  readonly authors?: readonly JsonFeedAuthor[];
  readonly tags?: readonly string[];
  readonly language?: string;
  readonly attachments?: readonly JsonFeedAttachment[];
}

export interface JsonFeedAttachment {
  readonly url: string;
  readonly mime_type: string;
  readonly size_in_bytes?: number;
}

export interface JsonFeed {
  readonly version: string;
  readonly title: string;
  readonly home_page_url: string;
  readonly feed_url: string;
  readonly description: string;
  readonly language?: string;
  readonly authors: readonly JsonFeedAuthor[];
  readonly hubs?: readonly { readonly type: string; readonly url: string }[];
  readonly next_url?: string;
  readonly items: readonly JsonFeedItem[];
}

const clean = stripInvalidXmlChars;

/**
 * One item as a plain object in the fixed key order. Depends on the item only, so
 * it can be built once and reused while the item is unchanged.
 */
export function jsonFeedItem(item: FeedItem): JsonFeedItem {
  const hasAuthor = item.author !== undefined && item.author.trim() !== '';
  const url = toHref(item.url);
  const external = toHttpHref(item.externalUrl);
  const image = toHttpHref(item.image);
  const attachments = enclosuresOf(item).map(
    (e): JsonFeedAttachment => ({
      url: e.url,
      mime_type: e.type,
      ...(e.length !== undefined ? { size_in_bytes: e.length } : {}),
    }),
  );
  return {
    id: clean(item.id),
    url,
    ...(external !== undefined && external !== url ? { external_url: external } : {}),
    title: clean(item.title),
    summary: clean(item.lead),
    content_html: clean(item.contentHtml),
    content_text: clean(item.contentText),
    ...(image !== undefined ? { image } : {}),
    date_published: toRfc3339(item.published),
    date_modified: toRfc3339(laterOf(item.published, item.updated)),
    ...(hasAuthor && item.author !== undefined ? { authors: [{ name: clean(item.author) }] } : {}),
    ...(item.tags.length > 0 ? { tags: item.tags.map(clean) } : {}),
    ...(item.language !== '' ? { language: item.language } : {}),
    ...(attachments.length > 0 ? { attachments } : {}),
  };
}

/** The whole JSON Feed 1.1 document; items in the order given (newest first). */
export function renderJsonFeed(doc: FeedDocument, links: FeedLinks): string {
  const { site } = doc;
  const feed: JsonFeed = {
    version: JSON_FEED_VERSION,
    title: clean(site.title),
    home_page_url: toHref(links.home),
    feed_url: toHref(links.json),
    description: clean(site.description),
    ...(site.language !== '' ? { language: site.language } : {}),
    // Feed-level author, as in Atom: readers show it for items without their own.
    authors: [{ name: clean(site.title), url: toHref(links.home) }],
    ...(links.hubs !== undefined && links.hubs.length > 0
      ? { hubs: links.hubs.map((hub) => ({ type: 'WebSub', url: toHref(hub) })) }
      : {}),
    ...(links.nextUrl !== undefined ? { next_url: toHref(links.nextUrl) } : {}),
    items: [],
  };
  // Byte for byte what JSON.stringify(feed, null, 2) gives with the items inside: the empty
  // `"items": []` is replaced by the memoised item texts at the array's depth (JSON strings
  // escape newlines, so re-indenting on "\n" touches only layout).
  const shell = JSON.stringify(feed, null, 2);
  if (doc.items.length === 0) return `${shell}\n`;
  const items = doc.items.map(jsonItemText).join(',\n    ');
  return `${shell.slice(0, shell.lastIndexOf('[]'))}[\n    ${items}\n  ]\n}\n`;
}

/** One item's JSON text as it sits in the `items` array (two levels deep). */
const jsonItemText = memoisePerItem((item) =>
  JSON.stringify(jsonFeedItem(item), null, 2).replaceAll('\n', '\n    '),
);
