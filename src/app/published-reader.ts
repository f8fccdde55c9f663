/**
 * Published reader: Storage → what the app serves (manifest root and shards, verified document
 * bytes, status).
 *
 * The manifest root (core/pipeline/manifest.ts) is re-read at most every `refreshMs` (or on
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
 * Must not: render, clean or write anything. Tunables: DEFAULT_REFRESH_MS, DEFAULT_CACHE_BYTES
 * (shards are not counted there: ≈0.5 KB per route, all of them only if every route is requested).
 */
import { shortDigest } from '../core/digest/hash.ts';
import { type BuildStatus, readBuildStatus } from '../core/pipeline/build-status.ts';
import {
  MANIFEST_KEY,
  type ManifestEntry,
  parseStoredManifest,
  rootDocumentCount,
  type ShardEntries,
} from '../core/pipeline/manifest.ts';
import { SHARD_LAYOUT_VERSION, shardOf } from '../core/pipeline/manifest-shard.ts';
import { loadShard } from '../core/pipeline/manifest-store.ts';
import type { Clock } from '../ports/clock.ts';
import type { Logger } from '../ports/logger.ts';
import type { Storage } from '../ports/storage.ts';

/** How stale the in-memory manifest may get when nobody calls reload() (edge, other process). */
const DEFAULT_REFRESH_MS = 1000;
/** Upper bound on cached document bytes (identity + variants) per process. */
const DEFAULT_CACHE_BYTES = 64 * 1024 * 1024;

export interface PublishedDocument {
  readonly entry: ManifestEntry;
  readonly body: Uint8Array;
  readonly gzip?: Uint8Array;
  readonly br?: Uint8Array;
}

/** What the app reports about the manifest it serves, without loading any shard. */
export interface ManifestSummary {
  readonly generation: number;
  readonly publishedAt: string;
  /** Routes published (sum of the root's shard counts). */
  readonly documents: number;
}

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

/** One shard as the current root names it; the object is kept across refreshes while its key is. */
interface ShardState {
  readonly id: string;
  /** Storage key of the shard object (`v1:<generation>` for a version 1 manifest). */
  readonly key: string;
  readonly count: number;
  entries: ShardEntries | null;
  loading: Promise<ShardEntries> | null;
}

interface RootState {
  readonly summary: ManifestSummary;
  readonly shards: ReadonlyMap<string, ShardState>;
  /** The shard layout the root was cut with: it says which shard holds a path. */
  readonly layout: number;
}

interface CachedDocument {
  readonly key: string;
  readonly path: string;
  readonly shardId: string;
  /** The shard state this document was last verified against: peek serves it only while current. */
  shard: ShardState;
  readonly document: PublishedDocument;
  readonly bytes: number;
  /** Set by peek (CLOCK bit): spares the entry from the next eviction pass once. */
  used: boolean;
}

const systemClock: Clock = { now: () => new Date() };

function sizeOf(document: PublishedDocument): number {
  return document.body.byteLength + (document.gzip?.byteLength ?? 0) + (document.br?.byteLength ?? 0);
}

export function createStorageReader(storage: Storage, options: StorageReaderOptions = {}): StorageReader {
  const refreshMs = options.refreshMs ?? DEFAULT_REFRESH_MS;
  const clock = options.clock ?? systemClock;
  const maxCacheBytes = options.maxCacheBytes ?? DEFAULT_CACHE_BYTES;
  const logger = options.logger;

  let current: RootState | null = null;
  let loadedAt = Number.NEGATIVE_INFINITY;
  let inflightRoot: Promise<RootState | null> | null = null;

  // LRU by insertion order: a hit re-inserts its key at the end; eviction takes from the front.
  const cache = new Map<string, CachedDocument>();
  let cachedBytes = 0;
  /**
   * Path → its last verified version while that version is cached: what peek serves, and the
   * fallback while a publish is in flight.
   */
  const latest = new Map<string, CachedDocument>();
  const inflightDocuments = new Map<string, Promise<PublishedDocument | null>>();

  const cacheKey = (path: string, etag: string): string => `${etag} ${path}`;

  function remember(path: string, shard: ShardState, document: PublishedDocument): void {
    const key = cacheKey(path, document.entry.etag);
    const bytes = sizeOf(document);
    const known = cache.get(key);
    if (known !== undefined) {
      known.shard = shard;
      latest.set(path, known);
      return;
    }
    if (bytes > maxCacheBytes) {
      latest.delete(path);
      return;
    }
    const record: CachedDocument = { key, path, shardId: shard.id, shard, document, bytes, used: false };
    cache.set(key, record);
    latest.set(path, record);
    cachedBytes += bytes;
    for (const [oldKey, old] of cache) {
      if (cachedBytes <= maxCacheBytes) break;
      cache.delete(oldKey);
      if (old.used) {
        // Second chance: peeked since the last pass, so recently used; move it to the back.
        old.used = false;
        cache.set(oldKey, old);
        continue;
      }
      cachedBytes -= old.bytes;
      if (latest.get(old.path) === old) latest.delete(old.path);
    }
  }

  /** A cached version, marked as verified against `shard` (and most recently used). */
  function recall(path: string, key: string, shard: ShardState): PublishedDocument | null {
    const hit = cache.get(key);
    if (!hit) return null;
    cache.delete(key);
    cache.set(key, hit);
    hit.shard = shard;
    latest.set(path, hit);
    return hit.document;
  }

  /** Root bytes → the new state, keeping each shard whose key did not change (and its entries). */
  function nextState(bytes: Uint8Array): RootState {
    const stored = parseStoredManifest(bytes);
    const previous = current?.shards;
    const shards = new Map<string, ShardState>();
    const keep = (id: string, key: string, count: number, entries: ShardEntries | null): void => {
      const known = previous?.get(id);
      shards.set(id, known?.key === key ? known : { id, key, count, entries, loading: null });
    };
    if (stored.version === 2) {
      for (const [id, ref] of Object.entries(stored.shards)) keep(id, ref.key, ref.count, null);
      return {
        summary: {
          generation: stored.generation,
          publishedAt: stored.publishedAt,
          documents: rootDocumentCount(stored),
        },
        shards,
        layout: stored.layout,
      };
    }
    // Version 1: every entry is here already; group them as the shards a publish will write.
    const grouped = new Map<string, Record<string, ManifestEntry>>();
    for (const [path, entry] of Object.entries(stored.documents)) {
      const id = shardOf(path);
      let group = grouped.get(id);
      if (!group) {
        group = {};
        grouped.set(id, group);
      }
      group[path] = entry;
    }
    for (const [id, group] of grouped) keep(id, `v1:${stored.generation}`, Object.keys(group).length, group);
    const documents = Object.keys(stored.documents).length;
    return {
      summary: { generation: stored.generation, publishedAt: stored.publishedAt, documents },
      shards,
      layout: SHARD_LAYOUT_VERSION,
    };
  }

  async function readRoot(): Promise<RootState | null> {
    try {
      const stored = await storage.get(MANIFEST_KEY);
      if (stored) current = nextState(stored.body);
      // A missing manifest after one was seen keeps serving the last one (never un-publish by accident).
    } catch (error) {
      logger?.error('could not read the published manifest; keeping the previous one', {
        error: (error as Error).message,
      });
      if (current === null) throw error;
    }
    loadedAt = clock.now().getTime();
    return current;
  }

  /** One storage read at a time, however many requests arrive while it runs. */
  function refreshRoot(): Promise<RootState | null> {
    inflightRoot ??= readRoot().finally(() => {
      inflightRoot = null;
    });
    return inflightRoot;
  }

  async function root(): Promise<RootState | null> {
    if (current !== null && clock.now().getTime() - loadedAt < refreshMs) return current;
    return refreshRoot();
  }

  /** A shard's entries, loaded once per key however many requests ask at once. */
  function shardEntries(shard: ShardState, layout: number): Promise<ShardEntries> {
    if (shard.entries !== null) return Promise.resolve(shard.entries);
    shard.loading ??= loadShard(storage, shard.id, { key: shard.key, count: shard.count }, layout)
      .then((entries) => {
        shard.entries = entries;
        return entries;
      })
      .finally(() => {
        shard.loading = null;
      });
    return shard.loading;
  }

  interface Located {
    readonly entry: ManifestEntry;
    readonly shard: ShardState;
  }

  async function locateIn(state: RootState | null, path: string): Promise<Located | null> {
    if (!state) return null;
    const shard = state.shards.get(shardOf(path, state.layout));
    if (!shard) return null;
    const entries = await shardEntries(shard, state.layout);
    const entry = Object.hasOwn(entries, path) ? entries[path] : undefined;
    return entry ? { entry, shard } : null;
  }

  /**
   * The entry of `path` under the current root. A shard that cannot be loaded is most likely
   * one a newer publish replaced (and deleted): re-read the root and try once more.
   */
  async function locate(path: string): Promise<Located | null> {
    const state = await root();
    try {
      return await locateIn(state, path);
    } catch (error) {
      logger?.warn('manifest shard unreadable; re-reading the root', {
        path,
        error: (error as Error).message,
      });
      return locateIn(await refreshRoot(), path);
    }
  }

  /** Loads and verifies one entry's bytes; null when any of them is missing or mismatched. */
  async function loadVerified(path: string, entry: ManifestEntry): Promise<PublishedDocument | null> {
    const [body, gzip, br] = await Promise.all([
      storage.get(entry.key),
      entry.gzip ? storage.get(entry.gzip.key) : null,
      entry.br ? storage.get(entry.br.key) : null,
    ]);
    if (!body || `"${await shortDigest(body.body)}"` !== entry.etag) {
      logger?.warn('published bytes do not match the manifest ETag', { path, etag: entry.etag });
      return null;
    }
    let document: PublishedDocument = { entry, body: body.body };
    if (entry.gzip) {
      if (!gzip || (await shortDigest(gzip.body)) !== entry.gzip.digest) return null;
      document = { ...document, gzip: gzip.body };
    }
    if (entry.br) {
      if (!br || (await shortDigest(br.body)) !== entry.br.digest) return null;
      document = { ...document, br: br.body };
    }
    return document;
  }

  async function loadDocument(path: string, found: Located): Promise<PublishedDocument | null> {
    const first = await loadVerified(path, found.entry);
    if (first) {
      remember(path, found.shard, first);
      return first;
    }
    // Probably a publish between its writes and its manifest swap: look again once.
    const retry = await locateIn(await refreshRoot(), path).catch(() => null);
    if (retry === null) return null;
    const cached = recall(path, cacheKey(path, retry.entry.etag), retry.shard);
    if (cached) return cached;
    const second = await loadVerified(path, retry.entry);
    if (second) {
      remember(path, retry.shard, second);
      return second;
    }
    const fallback = latest.get(path);
    if (fallback) return fallback.document;
    throw new DocumentUnavailableError(path);
  }

  async function document(path: string): Promise<PublishedDocument | null> {
    const found = await locate(path);
    if (found === null) return null;
    const key = cacheKey(path, found.entry.etag);
    const cached = recall(path, key, found.shard);
    if (cached) return cached;
    let pending = inflightDocuments.get(key);
    if (!pending) {
      pending = loadDocument(path, found).finally(() => inflightDocuments.delete(key));
      inflightDocuments.set(key, pending);
    }
    return pending;
  }

  function peek(path: string): PublishedDocument | null {
    if (current === null || clock.now().getTime() - loadedAt >= refreshMs) return null;
    const record = latest.get(path);
    if (record === undefined) return null;
    // Verified against this very shard state: its entry for the path is unchanged.
    if (current.shards.get(record.shardId) !== record.shard) return null;
    record.used = true;
    return record.document;
  }

  return {
    document,
    peek,
    async entry(path) {
      return (await locate(path))?.entry ?? null;
    },
    async manifest() {
      return (await root())?.summary ?? null;
    },
    status: () => readBuildStatus(storage),
    async paths() {
      const state = await root();
      if (state === null) return [];
      const out: string[] = [];
      for (const shard of state.shards.values())
        out.push(...Object.keys(await shardEntries(shard, state.layout)));
      return out.sort();
    },
    async reload() {
      // A read already in flight may have started before the publish: wait for it, then read anew.
      await inflightRoot?.catch(() => null);
      await refreshRoot();
    },
  };
}
