/**
 * Published reader: Storage → what the app serves (manifest root and shards, verified document
 * bytes, status).
 *
 * The manifest root (core/publish/manifest.ts) is re-read at most every `refreshMs` (or on
 * `reload()`, which the Node process calls right after publishing); it is small whatever the
 * site's size. A shard is loaded on the first request for a path in it and cached by its
 * content-addressed key: a refresh keeps every shard whose key the new root still names and
 * drops the others (loaded again on demand). A version 1 manifest (before the first publish of
 * this version) is read whole and grouped into in-memory shards. Document bytes load lazily and
 * are verified ONCE, on load, against the manifest (identity bytes against the ETag, variants
 * against their digests). Publish writes content-addressed keys that no live manifest names yet,
 * so a mismatch means storage was damaged or an old manifest named a version already deleted
 * after a newer swap. On a mismatch (or a shard missing for that reason) the reader re-reads the
 * root and retries once; then it serves the last verified version of that path, or throws
 * DocumentUnavailableError (→ 503). It never serves bytes that do not match the ETag it sends.
 * Verified documents are cached per (path, ETag) in a byte-bounded cache, so a request never hashes.
 *
 * `peek(path)` is the request fast path: synchronous, no promise, no allocation — the current
 * verified document when the root is fresh, the document's shard is the one it was verified
 * against (object identity), and its bytes are cached; else null (the caller then takes the
 * async `document()` path, which refreshes and loads). Eviction is LRU for the async path and
 * "second chance" (CLOCK) for peeks: a peek only sets a bit, instead of moving the entry, and an
 * entry whose bit is set is moved to the back once instead of being evicted.
 *
 * The parts: manifest-root.ts (root, shards, lookup), published-document.ts (verified loading),
 * document-cache.ts (the byte-bounded cache); this file joins them and decides retries and fallbacks.
 *
 * Must not: render, clean or write anything. Tunables: DEFAULT_REFRESH_MS, DEFAULT_CACHE_BYTES
 * (shards are not counted there: ≈0.5 KB per route, all of them only if every route is requested).
 */

import type { ManifestEntry } from '../core/publish/manifest.ts';
import { type BuildStatus, readBuildStatus } from '../core/report/build-status.ts';
import type { Clock } from '../ports/clock.ts';
import type { Logger } from '../ports/logger.ts';
import type { Storage } from '../ports/storage.ts';
import { cacheKey, createDocumentCache, type DocumentCache } from './document-cache.ts';
import {
  createRootTracker,
  type Located,
  locateIn,
  type ManifestSummary,
  type RootTracker,
  shardEntries,
} from './manifest-root.ts';
import { loadVerified, type PublishedDocument } from './published-document.ts';

export type { ManifestSummary } from './manifest-root.ts';
export type { PublishedDocument } from './published-document.ts';

/** How stale the in-memory manifest may get when nobody calls reload() (edge, other process). */
const DEFAULT_REFRESH_MS = 1000;
/** Upper bound on cached document bytes (identity + variants) per process. */
const DEFAULT_CACHE_BYTES = 64 * 1024 * 1024;

export interface PublishedReader {
  /** The verified document published at a route path, or null when the path is not published. */
  document(path: string): Promise<PublishedDocument | null>;
  /**
   * Synchronous lookup for the request fast path: the verified document at `path` when it is
   * already cached and the manifest needs no refresh; null means "ask document()", not "absent".
   */
  peek?(path: string): PublishedDocument | null;
  /** The manifest entry of a route (loads its shard), or null when the path is not published. */
  entry(path: string): Promise<ManifestEntry | null>;
  manifest(): Promise<ManifestSummary | null>;
  status(): Promise<BuildStatus | null>;
}

export interface StorageReader extends PublishedReader {
  peek(path: string): PublishedDocument | null;
  /** Re-reads the manifest root now (call after a publish in the same process). */
  reload(): Promise<void>;
  /** Every published route path, sorted (loads every shard: for tools and tests, not requests). */
  paths(): Promise<string[]>;
}

export interface StorageReaderOptions {
  readonly refreshMs?: number;
  readonly clock?: Clock;
  readonly maxCacheBytes?: number;
  readonly logger?: Logger;
}

/** The manifest names bytes that are missing or do not match, and no verified copy is cached. */
export class DocumentUnavailableError extends Error {
  override readonly name = 'DocumentUnavailableError';
  constructor(readonly path: string) {
    super(`Published bytes for ${path} do not match the manifest yet (publish in progress?)`);
  }
}

const systemClock: Clock = { now: () => new Date() };

export function createStorageReader(storage: Storage, options: StorageReaderOptions = {}): StorageReader {
  const logger = options.logger;
  const roots = createRootTracker(
    storage,
    options.clock ?? systemClock,
    options.refreshMs ?? DEFAULT_REFRESH_MS,
    logger,
  );
  const cache = createDocumentCache(options.maxCacheBytes ?? DEFAULT_CACHE_BYTES);
  const inflightDocuments = new Map<string, Promise<PublishedDocument | null>>();
  const parts: ReaderParts = { storage, logger, roots, cache };

  async function document(path: string): Promise<PublishedDocument | null> {
    const found = await locate(parts, path);
    if (found === null) return null;
    const key = cacheKey(path, found.entry.etag);
    const cached = cache.recall(path, key, found.shard);
    if (cached) return cached;
    let pending = inflightDocuments.get(key);
    if (!pending) {
      pending = loadDocument(parts, path, found).finally(() => inflightDocuments.delete(key));
      inflightDocuments.set(key, pending);
    }
    return pending;
  }

  function peek(path: string): PublishedDocument | null {
    const state = roots.freshState();
    if (state === null) return null;
    const record = cache.latest(path);
    if (record === undefined) return null;
    // Verified against this very shard state: its entry for the path is unchanged.
    if (state.shards.get(record.shardId) !== record.shard) return null;
    record.used = true;
    return record.document;
  }

  return {
    document,
    peek,
    async entry(path) {
      return (await locate(parts, path))?.entry ?? null;
    },
    async manifest() {
      return (await roots.root())?.summary ?? null;
    },
    status: () => readBuildStatus(storage),
    async paths() {
      const state = await roots.root();
      if (state === null) return [];
      const out: string[] = [];
      for (const shard of state.shards.values())
        out.push(...Object.keys(await shardEntries(storage, shard, state.layout)));
      return out.sort();
    },
    reload: roots.reload,
  };
}

/** What the lookups below share with the reader. */
interface ReaderParts {
  readonly storage: Storage;
  readonly logger: Logger | undefined;
  readonly roots: RootTracker;
  readonly cache: DocumentCache;
}

/**
 * The entry of `path` under the current root. A shard that cannot be loaded is most likely
 * one a newer publish replaced (and deleted): re-read the root and try once more.
 */
async function locate(parts: ReaderParts, path: string): Promise<Located | null> {
  const { storage, logger, roots } = parts;
  const state = await roots.root();
  try {
    return await locateIn(storage, state, path);
  } catch (error) {
    logger?.warn('manifest shard unreadable; re-reading the root', {
      path,
      error: (error as Error).message,
    });
    return locateIn(storage, await roots.refresh(), path);
  }
}

async function loadDocument(
  parts: ReaderParts,
  path: string,
  found: Located,
): Promise<PublishedDocument | null> {
  const { storage, logger, roots, cache } = parts;
  const first = await loadVerified(storage, logger, path, found.entry);
  if (first) {
    cache.remember(path, found.shard, first);
    return first;
  }
  // Probably a publish between its writes and its manifest swap: look again once.
  const retry = await locateIn(storage, await roots.refresh(), path).catch(() => null);
  if (retry === null) return null;
  const cached = cache.recall(path, cacheKey(path, retry.entry.etag), retry.shard);
  if (cached) return cached;
  const second = await loadVerified(storage, logger, path, retry.entry);
  if (second) {
    cache.remember(path, retry.shard, second);
    return second;
  }
  const fallback = cache.latest(path);
  if (fallback) return fallback.document;
  throw new DocumentUnavailableError(path);
}
