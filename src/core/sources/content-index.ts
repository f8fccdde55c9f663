/**
 * The content index: what the last committed run knew of each document, so the next run can tell
 * what changed without reading the corpus. Five parts, all in the state store:
 *  - `index/content/<xx>.json` (CONTENT_SHARDS shards by a hash of the content key): content key →
 *    ContentEntry (size, mtime or etag as listed, raw SHA-256, source, its sidecar's listing),
 *    kept small because a stat scan loads every shard;
 *  - `index/keys/<xx>.json` (same sharding): content key → keyHash of each distinct chrome
 *    candidate block (what it counts in the chrome index), read only for documents that change
 *    (or to relearn a source);
 *  - `index/remote.json`: remote item key → RemoteEntry (raw SHA-256, source, key hashes); remote
 *    items are re-fetched every run and few, so one object holds them (its census: shard `00` of
 *    the family `index/remote.json`, checked by remote-collection.ts);
 *  - the story index (story-index.ts: `index/story-of/`, `index/stories/`): which files carry the
 *    same story, so copies fold (clean/story-fold.ts);
 *  - `index/meta.json`: the format, CLEANER_VERSION and default language the index was built with,
 *    whether its last commit completed, and the census of every sharded part (content, keys, each
 *    source's chrome shards: state/shard-census.ts), so a lost or damaged shard is found when read
 *    instead of reading as empty. Any mismatch, or a commit that did not finish, makes the next
 *    gather rebuild everything (`full`).
 *
 * Must not: write anything itself (gather-documents.ts writes in commit()), or read the clock.
 * Tunables: CONTENT_SHARDS, RACY_MS, FINE_RACY_MS.
 */
import type { Storage, StoredEntry } from '../../ports/storage.ts';
import { parseCensus, type ShardCensus } from '../state/shard-census.ts';

export const INDEX_PREFIX = 'index/';
export const CONTENT_INDEX_PREFIX = 'index/content/';
export const KEYS_INDEX_PREFIX = 'index/keys/';
export const REMOTE_INDEX_KEY = 'index/remote.json';
export const INDEX_META_KEY = 'index/meta.json';
/** 256 shards: ~400 entries each at 100,000 articles, so a one-file change reads ~40 KB. */
export const CONTENT_SHARDS = 256;
/**
 * Bumped when the layout of the index files changes: an older index is rebuilt, never misread.
 * 3: the meta holds the census of every sharded part. 4: the story index (story-index.ts).
 */
export const INDEX_FORMAT = 4;
/**
 * A file whose mtime was this close to the moment it was read may be rewritten within the same
 * mtime tick with the same size ("racy" in git's terms): it is re-read on the next scan. How
 * close depends on the file system's timestamp granularity, read from the mtime itself: a
 * whole-second mtime may come from a coarse one (FAT: 2 s; ext3, HFS+: 1 s), so RACY_MS; an
 * mtime with milliseconds comes from a fine one (ext4, XFS, btrfs, APFS, NTFS: the kernel's
 * clock tick, ≤ 10 ms), so FINE_RACY_MS, with a wide margin. A corpus written just before a build
 * (a checkout, a sync, a generator) would otherwise have its last 2 s of files re-read and
 * hashed by the next scan: 20,000 files after a generator writing 10,000 a second.
 */
export const RACY_MS = 2000;
export const FINE_RACY_MS = 100;

/**
 * True when a file with this mtime, read at or after `readFrom` (ms), may change again without
 * its mtime changing. No mtime (a store listing etags): never racy.
 */
export function isRacy(mtime: number | undefined, readFrom: number): boolean {
  if (mtime === undefined) return false;
  return mtime >= readFrom - (mtime % 1000 === 0 ? RACY_MS : FINE_RACY_MS);
}

/** How a listed object looked: its size and, when the store knows them, mtime (ms) and etag. */
export interface ListedStat {
  readonly size: number;
  readonly mtime?: number;
  readonly etag?: string;
}

export interface ContentEntry extends ListedStat {
  readonly source: string;
  /** SHA-256 (32 hex) of the raw document; absent when the file failed to load or parse. */
  readonly hash?: string;
  /** The sidecar (`.meta.json`) the article was read with, as listed. */
  readonly sidecar?: ListedStat & { readonly key: string };
  /** Read within RACY_MS of its mtime: re-read on the next scan. */
  readonly racy?: true;
}

export interface RemoteEntry {
  readonly source: string;
  readonly hash?: string;
  readonly keys?: readonly string[];
}

export interface IndexMeta {
  readonly format: number;
  readonly cleaner: string;
  readonly language: string;
  /** `committing` while a commit writes shards; `committed` once all are written. */
  readonly state: 'committing' | 'committed';
  /** Shard folder (`index/content/`, …) → the census of its stored shards (written when committed). */
  readonly census?: Readonly<Record<string, ShardCensus>>;
}

const decoder = new TextDecoder();

export function statOf(entry: StoredEntry): ListedStat {
  return {
    size: entry.size,
    ...(entry.modified ? { mtime: entry.modified.getTime() } : {}),
    ...(entry.etag ? { etag: entry.etag } : {}),
  };
}

/**
 * True when a listed object is known to be the one indexed: same size and the same mtime or
 * etag. Without either (a store that reports neither), nothing can be trusted.
 */
export function sameStat(indexed: ListedStat | undefined, listed: ListedStat | undefined): boolean {
  if (!indexed || !listed) return indexed === listed;
  if (indexed.size !== listed.size || listed.size < 0) return false;
  if (listed.mtime !== undefined && indexed.mtime === listed.mtime) return true;
  return listed.etag !== undefined && indexed.etag === listed.etag;
}

export async function readJson<T>(state: Storage, key: string): Promise<T | null> {
  const stored = await state.get(key).catch(() => null);
  if (!stored) return null;
  try {
    return JSON.parse(decoder.decode(stored.body)) as T;
  } catch {
    return null;
  }
}

/** The meta of a usable index, or null when the next gather must rebuild everything. */
export async function readIndexMeta(
  state: Storage,
  expected: { readonly cleaner: string; readonly language: string },
): Promise<IndexMeta | null> {
  const meta = await readJson<IndexMeta>(state, INDEX_META_KEY);
  if (!meta || meta.format !== INDEX_FORMAT || meta.state !== 'committed') return null;
  if (meta.cleaner !== expected.cleaner || meta.language !== expected.language) return null;
  if (typeof meta.census !== 'object' || meta.census === null) return null;
  for (const census of Object.values(meta.census)) if (parseCensus(census) === null) return null;
  return meta;
}
