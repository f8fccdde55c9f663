/**
 * Published reader: Storage → what the app serves (manifest, verified document bytes, status).
 *
 * The manifest is parsed once and re-read at most every `refreshMs` (or on `reload()`, which the
 * Node process calls right after publishing). Document bytes load lazily and are verified ONCE,
 * on load, against the manifest (identity bytes against the ETag, variants against their
 * digests). Publish writes content-addressed keys that no live manifest names yet (see
 * core/pipeline/manifest.ts), so a mismatch means storage was damaged or an old manifest named a
 * version already deleted after a newer swap. On a mismatch the
 * reader re-reads the manifest and retries once; then it serves the last verified version of
 * that path, or throws DocumentUnavailableError (→ 503). It never serves bytes that do not match
 * the ETag it sends. Verified documents are cached per (path, ETag) in a byte-bounded cache, so a
 * request never hashes.
 *
 * `peek(path)` is the request fast path: synchronous, no promise, no allocation — the current
 * verified document when the manifest is fresh and its bytes are cached, else null (the caller
 * then takes the async `document()` path, which refreshes and loads). Eviction is LRU for the
 * async path and "second chance" (CLOCK) for peeks: a peek only sets a bit, instead of moving
 * the entry, and an entry whose bit is set is moved to the back once instead of being evicted.
 *
 * Must not: render, clean or write anything. Tunables: DEFAULT_REFRESH_MS, DEFAULT_CACHE_BYTES.
 */
import { type BuildStatus, readBuildStatus } from '../core/pipeline/build-status.ts';
import { shortDigest } from '../core/pipeline/hash.ts';
import { MANIFEST_KEY, type Manifest, type ManifestEntry, parseManifest } from '../core/pipeline/manifest.ts';
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

export interface PublishedReader {
  /** The verified document published at a route path, or null when the path is not published. */
  document(path: string): Promise<PublishedDocument | null>;
  /**
   * Synchronous lookup for the request fast path: the verified document at `path` when it is
   * already cached and the manifest needs no refresh; null means "ask document()", not "absent".
   */
  peek?(path: string): PublishedDocument | null;
  manifest(): Promise<Manifest | null>;
  status(): Promise<BuildStatus | null>;
}

export interface StorageReader extends PublishedReader {
  peek(path: string): PublishedDocument | null;
  /** Re-reads the manifest now (call after a publish in the same process). */
  reload(): Promise<void>;
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

interface CachedDocument {
  readonly key: string;
  readonly path: string;
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

  let current: Manifest | null = null;
  let loadedAt = Number.NEGATIVE_INFINITY;
  let inflightManifest: Promise<Manifest | null> | null = null;

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

  function remember(path: string, document: PublishedDocument): void {
    const key = cacheKey(path, document.entry.etag);
    const bytes = sizeOf(document);
    const known = cache.get(key);
    if (known !== undefined) {
      latest.set(path, known);
      return;
    }
    if (bytes > maxCacheBytes) {
      latest.delete(path);
      return;
    }
    const record: CachedDocument = { key, path, document, bytes, used: false };
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

  function recall(key: string): PublishedDocument | null {
    const hit = cache.get(key);
    if (!hit) return null;
    cache.delete(key);
    cache.set(key, hit);
    return hit.document;
  }

  async function readManifest(): Promise<Manifest | null> {
    try {
      const stored = await storage.get(MANIFEST_KEY);
      if (stored) current = parseManifest(stored.body);
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
  function refreshManifest(): Promise<Manifest | null> {
    inflightManifest ??= readManifest().finally(() => {
      inflightManifest = null;
    });
    return inflightManifest;
  }

  async function manifest(): Promise<Manifest | null> {
    if (current !== null && clock.now().getTime() - loadedAt < refreshMs) return current;
    return refreshManifest();
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

  async function loadDocument(path: string, entry: ManifestEntry): Promise<PublishedDocument | null> {
    const first = await loadVerified(path, entry);
    if (first) {
      remember(path, first);
      return first;
    }
    // Probably a publish between its writes and its manifest swap: look again once.
    const fresh = await refreshManifest();
    const retryEntry = fresh && Object.hasOwn(fresh.documents, path) ? fresh.documents[path] : undefined;
    if (retryEntry === undefined) return null;
    const cached = recall(cacheKey(path, retryEntry.etag));
    if (cached) return cached;
    const second = await loadVerified(path, retryEntry);
    if (second) {
      remember(path, second);
      return second;
    }
    const fallback = latest.get(path);
    if (fallback) return recall(fallback.key) ?? fallback.document;
    throw new DocumentUnavailableError(path);
  }

  async function document(path: string): Promise<PublishedDocument | null> {
    const published = await manifest();
    if (!published || !Object.hasOwn(published.documents, path)) return null;
    const entry = published.documents[path];
    if (!entry) return null;
    const key = cacheKey(path, entry.etag);
    const cached = recall(key);
    if (cached) return cached;
    let pending = inflightDocuments.get(key);
    if (!pending) {
      pending = loadDocument(path, entry).finally(() => inflightDocuments.delete(key));
      inflightDocuments.set(key, pending);
    }
    return pending;
  }

  function peek(path: string): PublishedDocument | null {
    if (current === null || clock.now().getTime() - loadedAt >= refreshMs) return null;
    const record = latest.get(path);
    if (record === undefined) return null;
    // `documents` came from JSON.parse: an inherited name (`constructor`) has no string etag.
    const entry = current.documents[path];
    if (entry === undefined || entry.etag !== record.document.entry.etag) return null;
    record.used = true;
    return record.document;
  }

  return {
    document,
    peek,
    manifest,
    status: () => readBuildStatus(storage),
    async reload() {
      // A read already in flight may have started before the publish: wait for it, then read anew.
      await inflightManifest?.catch(() => null);
      await refreshManifest();
    },
  };
}
