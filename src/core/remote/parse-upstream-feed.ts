/**
 * Upstream feed text → UpstreamFeed: one shape for RSS 0.9x/2.0, RDF (RSS 1.0), Atom and JSON Feed,
 * parsed by `feedsmith` (lenient, maintained) and adapted once here. Every link is resolved to an
 * absolute URL (entry `xml:base` > feed `xml:base` > the feed's own link > the feed URL); entries
 * without a usable http(s) link are dropped and counted; dates become ISO-8601 or are omitted.
 *
 * Must not: fetch, canonicalise (collect-remote does) or trust field types: feedsmith mirrors the
 * feed as written, so every field is read through the small guards below.
 * At most INPUT_LIMITS.itemsPerUpstreamFeed entries are kept (the first ones: feeds list newest
 * first); the rest are counted in `truncated` for the caller to warn about (issue 24).
 * Tunables: none here. Formats: https://www.rssboard.org/rss-specification, RFC 4287,
 * https://www.jsonfeed.org/version/1.1/
 */
import type { parseFeed as ParseFeed } from 'feedsmith';
import type { Enclosure } from '../model.ts';
import { INPUT_LIMITS } from '../normalise/input-limits.ts';
import { resolveHttpUrl } from '../text/http-url.ts';

export type UpstreamFormat = 'rss' | 'atom' | 'rdf' | 'json';

export interface UpstreamEntry {
  /** Absolute http(s) URL of the entry's page. */
  readonly link: string;
  readonly guid?: string;
  readonly title?: string;
  /** ISO-8601. */
  readonly date?: string;
  /** ISO-8601. */
  readonly updated?: string;
  readonly author?: string;
  readonly summary?: string;
  /** Full or partial HTML body the feed carries (content:encoded, Atom content, content_html). */
  readonly contentHtml?: string;
  readonly tags: readonly string[];
  readonly image?: string;
  /** Media files (audio, video, documents) the entry attaches: RSS enclosure, Atom rel=enclosure, JSON attachments. */
  readonly enclosures?: readonly Enclosure[];
}

export interface UpstreamFeed {
  readonly format: UpstreamFormat;
  readonly title?: string;
  readonly entries: readonly UpstreamEntry[];
  /** Entries dropped for want of a usable link. */
  readonly dropped: number;
  /** Entries past INPUT_LIMITS.itemsPerUpstreamFeed, not read. */
  readonly truncated: number;
}

/** The upstream document is not a feed kiosque can read; the message says why. */
export class MalformedFeedError extends Error {
  override readonly name = 'MalformedFeedError';
}

type Node = Record<string, unknown>;

function obj(value: unknown): Node | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Node) : undefined;
}

function arr(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  return value === undefined || value === null ? [] : [value];
}

/** The objects of a list (anything else in it is skipped). */
function nodes(value: unknown): Node[] {
  return arr(value)
    .map(obj)
    .filter((n): n is Node => !!n);
}

/** A trimmed non-empty string from a string or a `{ value }` text construct. */
function str(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() || undefined;
  if (typeof value === 'number') return String(value);
  const o = obj(value);
  return o ? str(o.value) : undefined;
}

function iso(value: unknown): string | undefined {
  const text = str(value);
  if (!text) return undefined;
  const time = Date.parse(text);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

function resolve(link: string | undefined, base: string): string | undefined {
  return link ? resolveHttpUrl(link, base) : undefined;
}

function baseOf(candidates: readonly (string | undefined)[], feedUrl: string): string {
  let base = feedUrl;
  // Each candidate may itself be relative to the one before (xml:base nests).
  for (const candidate of candidates) base = resolve(candidate, base) ?? base;
  return base;
}

/**
 * Attached media files, URL resolved and kept only when http(s), with a MIME type (images are
 * the entry's `image`, not an enclosure); the length only when it is a positive integer.
 */
function enclosures(
  items: readonly (Node | undefined)[],
  keys: { url: string; type: string; length: string },
  base: string,
): Enclosure[] | undefined {
  const out: Enclosure[] = [];
  for (const e of items) {
    const url = resolve(str(e?.[keys.url]), base);
    const type = str(e?.[keys.type])?.toLowerCase();
    if (!url || !type || !/^[a-z]+\/[a-z0-9.+-]+$/.test(type) || type.startsWith('image/')) continue;
    if (out.some((o) => o.url === url)) continue;
    const n = Number(str(e?.[keys.length]));
    out.push({ url, type, ...(Number.isSafeInteger(n) && n > 0 ? { length: n } : {}) });
  }
  return out.length > 0 ? out : undefined;
}

function compact<T extends Node>(entry: T): T {
  for (const key of Object.keys(entry)) if (entry[key] === undefined) delete entry[key];
  return entry;
}

function rssEntry(item: Node, base: string): Node {
  const guid = obj(item.guid);
  const guidValue = str(guid?.value ?? item.guid);
  const permalink = guid?.isPermaLink !== false && guidValue ? guidValue : undefined;
  const dc = obj(item.dc);
  const content = obj(item.content);
  const media = obj(item.media);
  const enclosure = arr(item.enclosures)
    .map(obj)
    .find((e) => /^image\//.test(str(e?.type) ?? ''));
  const thumbnail = obj(arr(media?.thumbnails)[0]);
  return {
    link: resolve(str(item.link) ?? permalink, base),
    guid: guidValue,
    title: str(item.title) ?? str(arr(dc?.titles)[0]),
    date: iso(item.pubDate) ?? iso(arr(dc?.dates)[0]),
    author: str(obj(arr(item.authors)[0])?.name ?? arr(item.authors)[0]) ?? str(arr(dc?.creators)[0]),
    summary: str(item.description),
    contentHtml: str(content?.encoded),
    tags: arr(item.categories)
      .map((c) => str(obj(c)?.name ?? c))
      .filter((t): t is string => !!t),
    image: resolve(str(enclosure?.url) ?? str(thumbnail?.url), base),
    enclosures: enclosures(
      arr(item.enclosures).map(obj),
      { url: 'url', type: 'type', length: 'length' },
      base,
    ),
  };
}

function atomEntry(entry: Node, feedBase: string): Node {
  const base = baseOf([str(obj(entry.xml)?.base)], feedBase);
  const links = arr(entry.links).map(obj);
  const alternate =
    links.find((l) => (str(l?.rel) ?? 'alternate') === 'alternate' && !str(l?.type)?.includes('xml')) ??
    links.find((l) => !str(l?.rel));
  const content = obj(entry.content);
  const contentType = str(content?.type) ?? 'text';
  const body = str(content?.value);
  return {
    link: resolve(str(alternate?.href), base),
    guid: str(entry.id),
    title: str(entry.title),
    date: iso(entry.published) ?? iso(entry.updated),
    updated: iso(entry.updated),
    author: str(obj(arr(entry.authors)[0])?.name),
    summary: str(entry.summary),
    contentHtml: body && contentType !== 'text' ? body : undefined,
    tags: arr(entry.categories)
      .map((c) => str(obj(c)?.label) ?? str(obj(c)?.term))
      .filter((t): t is string => !!t),
    enclosures: enclosures(
      links.filter((l) => str(l?.rel) === 'enclosure'),
      { url: 'href', type: 'type', length: 'length' },
      base,
    ),
  };
}

function jsonEntry(item: Node, base: string): Node {
  return {
    link: resolve(str(item.url) ?? str(item.external_url), base),
    guid: str(item.id),
    title: str(item.title),
    date: iso(item.date_published),
    updated: iso(item.date_modified),
    author: str(obj(arr(item.authors)[0])?.name ?? obj(item.author)?.name),
    summary: str(item.summary),
    contentHtml: str(item.content_html),
    tags: arr(item.tags).filter((t): t is string => typeof t === 'string' && t.trim() !== ''),
    image: resolve(str(item.image) ?? str(item.banner_image), base),
    enclosures: enclosures(
      arr(item.attachments).map(obj),
      { url: 'url', type: 'mime_type', length: 'size_in_bytes' },
      base,
    ),
  };
}

/** feedsmith, loaded on the first upstream feed: a build without remote feeds never loads it. */
let feedParser: Promise<typeof ParseFeed> | null = null;

/** Parses an upstream feed fetched from `feedUrl`. Rejects with MalformedFeedError. */
export async function parseUpstreamFeed(text: string, feedUrl: string): Promise<UpstreamFeed> {
  feedParser ??= import('feedsmith').then((module) => module.parseFeed);
  const parseFeed = await feedParser;
  let parsed: { format: string; feed: unknown };
  try {
    parsed = parseFeed(text) as { format: string; feed: unknown };
  } catch (error) {
    throw new MalformedFeedError(`not a readable RSS, RDF, Atom or JSON feed (${(error as Error).message})`);
  }
  const feed = obj(parsed.feed) ?? {};
  const format = parsed.format as UpstreamFormat;
  let raw: Node[];
  switch (format) {
    case 'rss':
    case 'rdf': {
      const base = baseOf([str(feed.link)], feedUrl);
      raw = nodes(feed.items).map((i) => rssEntry(i, base));
      break;
    }
    case 'atom': {
      const base = baseOf([str(obj(feed.xml)?.base)], feedUrl);
      raw = nodes(feed.entries).map((e) => atomEntry(e, base));
      break;
    }
    case 'json': {
      const base = baseOf([str(feed.home_page_url)], feedUrl);
      raw = nodes(feed.items).map((i) => jsonEntry(i, base));
      break;
    }
    default:
      throw new MalformedFeedError(`unsupported feed format ${JSON.stringify(parsed.format)}`);
  }
  const title = str(feed.title);
  const usable = raw.filter((e) => typeof e.link === 'string');
  const max = INPUT_LIMITS.itemsPerUpstreamFeed;
  const entries = usable.slice(0, max).map((e) => compact(e) as unknown as UpstreamEntry);
  return {
    format,
    ...(title ? { title } : {}),
    entries,
    dropped: raw.length - usable.length,
    truncated: usable.length - entries.length,
  };
}
