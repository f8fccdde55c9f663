/**
 * The published reader's cache of verified documents, per (path, ETag) and bounded in bytes, plus
 * each path's last verified version while it is cached (what `peek` serves, and the fallback
 * while a publish is in flight). Eviction is LRU for the async path and "second chance" (CLOCK)
 * for peeks: a peek only sets a record's `used` bit, and a record whose bit is set is moved to the
 * back once instead of being evicted.
 *
 * Must not: load, verify or hash anything: it holds what published-reader.ts verified.
 */
import type { ShardState } from './manifest-root.ts';
import { type PublishedDocument, sizeOf } from './published-document.ts';

export interface CachedDocument {
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

export const cacheKey = (path: string, etag: string): string => `${etag} ${path}`;

export interface DocumentCache {
  /** Caches a verified document (when it fits) as the latest version of `path`. */
  remember(path: string, shard: ShardState, document: PublishedDocument): void;
  /** A cached version, marked as verified against `shard` (and most recently used). */
  recall(path: string, key: string, shard: ShardState): PublishedDocument | null;
  /** The last verified version of `path` while it is cached. */
  latest(path: string): CachedDocument | undefined;
}

export function createDocumentCache(maxCacheBytes: number): DocumentCache {
  // LRU by insertion order: a hit re-inserts its key at the end; eviction takes from the front.
  const cache = new Map<string, CachedDocument>();
  let cachedBytes = 0;
  const latest = new Map<string, CachedDocument>();

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

  function recall(path: string, key: string, shard: ShardState): PublishedDocument | null {
    const hit = cache.get(key);
    if (!hit) return null;
    cache.delete(key);
    cache.set(key, hit);
    hit.shard = shard;
    latest.set(path, hit);
    return hit.document;
  }

  return { remember, recall, latest: (path) => latest.get(path) };
}
