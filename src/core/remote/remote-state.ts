/**
 * What remote collection keeps in the state store between runs, and how it is read back:
 * - `remote/pages/<h>.json`: the last good response per URL (body as text, final URL, ETag and
 *   Last-Modified), so a 304 (or a failure) reuses it;
 * - `remote/items/<h>.json`: the last good RawDocument per item key, so an item that vanishes
 *   upstream or fails to fetch stays published within the retention window;
 * - `remote/feeds/<h>.json`: per feed source, the digest of the feed body last read and the entry
 *   pages that were good then, so a feed that did not change needs no entry page fetched again.
 * `<h>` is the first 32 hex digits of SHA-256 of the URL or item key.
 *
 * Must not: decide anything (collect-remote does); throw on a corrupt record (read as absent:
 * retain-remote-items.ts reports a retained item whose copy is unreadable).
 */
import type { Storage } from '../../ports/storage.ts';
import { sha256Hex } from '../digest/hash.ts';
import type { ArticleMetadata, RawDocument, SourceFormat } from '../model.ts';

export const PAGE_PREFIX = 'remote/pages/';
export const ITEM_PREFIX = 'remote/items/';
export const FEED_PREFIX = 'remote/feeds/';

export interface StoredPage {
  /** The URL asked for (canonical). */
  readonly url: string;
  /** Where the content was finally found, after redirects. */
  readonly finalUrl: string;
  readonly contentType: string;
  readonly body: string;
  readonly etag?: string;
  readonly lastModified?: string;
  /** ISO-8601 of the last 200 response. */
  readonly fetchedAt: string;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

async function keyFor(prefix: string, id: string): Promise<string> {
  return `${prefix}${(await sha256Hex(id)).slice(0, 32)}.json`;
}

async function readJson(state: Storage, key: string): Promise<Record<string, unknown> | null> {
  const stored = await state.get(key);
  if (!stored) return null;
  try {
    const value: unknown = JSON.parse(decoder.decode(stored.body));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/** Whether a record read back holds a string under each of `names` (a record that does not is read as absent). */
function hasStrings<K extends string>(
  v: Record<string, unknown> | null,
  names: readonly K[],
): v is Record<string, unknown> & Record<K, string> {
  return v !== null && names.every((name) => typeof v[name] === 'string');
}

function optional(name: string, value: unknown): Record<string, string> {
  return typeof value === 'string' ? { [name]: value } : {};
}

export async function readStoredPage(state: Storage, url: string): Promise<StoredPage | null> {
  const v = await readJson(state, await keyFor(PAGE_PREFIX, url));
  if (!hasStrings(v, ['url', 'finalUrl', 'contentType', 'body', 'fetchedAt'])) return null;
  return {
    url: v.url,
    finalUrl: v.finalUrl,
    contentType: v.contentType,
    body: v.body,
    fetchedAt: v.fetchedAt,
    ...optional('etag', v.etag),
    ...optional('lastModified', v.lastModified),
  };
}

export async function writeStoredPage(state: Storage, page: StoredPage): Promise<void> {
  await state.put(await keyFor(PAGE_PREFIX, page.url), encoder.encode(`${JSON.stringify(page)}\n`));
}

const FORMATS: readonly SourceFormat[] = ['text', 'markdown', 'html'];

function storedItemOf(v: Record<string, unknown> | null): RawDocument | null {
  if (!hasStrings(v, ['sourceId', 'file', 'source', 'body']) || !FORMATS.includes(v.format as SourceFormat)) {
    return null;
  }
  const metadata =
    typeof v.metadata === 'object' && v.metadata !== null ? (v.metadata as ArticleMetadata) : null;
  return {
    sourceId: v.sourceId,
    file: v.file,
    source: v.source,
    format: v.format as SourceFormat,
    body: v.body,
    ...optional('baseUrl', v.baseUrl),
    ...(metadata ? { metadata } : {}),
  };
}

export async function readStoredItem(state: Storage, itemKey: string): Promise<RawDocument | null> {
  const raw = storedItemOf(await readJson(state, await keyFor(ITEM_PREFIX, itemKey)));
  // A copy stored under another item's key (bytes swapped behind kiosque's back) is not this item's.
  return raw?.sourceId === itemKey ? raw : null;
}

/** Every readable last good copy in the store (to rebuild a lost ledger: remote/recover-ledger.ts). */
export async function readStoredItems(state: Storage): Promise<RawDocument[]> {
  const out: RawDocument[] = [];
  for (const key of (await state.list(ITEM_PREFIX)).sort()) {
    const raw = storedItemOf(await readJson(state, key));
    if (raw) out.push(raw);
  }
  return out;
}

export async function writeStoredItem(state: Storage, raw: RawDocument): Promise<void> {
  await state.put(await keyFor(ITEM_PREFIX, raw.sourceId), encoder.encode(`${JSON.stringify(raw)}\n`));
}

/** What a feed looked like when its entry pages were last fetched (or revalidated). */
export interface FeedSnapshot {
  /** The feed URL (canonical). */
  readonly url: string;
  /** First 32 hex digits of SHA-256 of the feed body as decoded text. */
  readonly digest: string;
  /** ISO-8601: when the entry pages were last asked for upstream. */
  readonly checkedAt: string;
  /** Entry page URLs (canonical) that were good then: their stored page is current. */
  readonly pages: readonly string[];
}

export async function feedDigest(body: string): Promise<string> {
  return (await sha256Hex(body)).slice(0, 32);
}

export async function readFeedSnapshot(state: Storage, url: string): Promise<FeedSnapshot | null> {
  const v = await readJson(state, await keyFor(FEED_PREFIX, url));
  if (
    !hasStrings(v, ['digest', 'checkedAt']) ||
    v.url !== url ||
    !Array.isArray(v.pages) ||
    !v.pages.every((p) => typeof p === 'string')
  ) {
    return null;
  }
  return { url, digest: v.digest, checkedAt: v.checkedAt, pages: v.pages as string[] };
}

/** Writes the snapshot unless it is the one already stored. */
export async function writeFeedSnapshot(
  state: Storage,
  snapshot: FeedSnapshot,
  previous: FeedSnapshot | null,
): Promise<void> {
  if (previous && JSON.stringify(previous) === JSON.stringify(snapshot)) return;
  await state.put(await keyFor(FEED_PREFIX, snapshot.url), encoder.encode(`${JSON.stringify(snapshot)}\n`));
}
