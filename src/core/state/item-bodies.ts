/**
 * Item bodies: the full FeedItem of every published item, stored in state under a
 * content-addressed key (`item-bodies/<hash of the source id>/<catalog digest>.json`), so a body
 * never changes under a key the catalog names: a run killed mid-way leaves every live entry
 * pointing at complete bytes. Old bodies are deleted once the catalog that named them is
 * replaced. Reads are cached per run (the current feed, its tag feeds and the home page share
 * most of their items).
 *
 * Must not: decide what to render, or keep more than BODY_CACHE_ITEMS items in memory.
 * Tunables: BODIES_PREFIX, BODY_CACHE_ITEMS.
 */
import type { Storage } from '../../ports/storage.ts';
import { IO_CONCURRENCY, mapConcurrent } from '../concurrency/map-concurrent.ts';
import { sha256Hex } from '../digest/hash.ts';
import type { FeedItem } from '../model.ts';
import type { CatalogEntry } from './item-catalog.ts';

export const BODIES_PREFIX = 'item-bodies/';
/** Bodies kept in memory during one run (≈ 20 KB each): enough for a page of every scope. */
const BODY_CACHE_ITEMS = 2000;

export async function bodyKey(sourceId: string, digest: string): Promise<string> {
  return `${BODIES_PREFIX}${(await sha256Hex(sourceId)).slice(0, 32)}/${digest}.json`;
}

/** The stored bytes of a body (the loader below reads them back). */
export function bodyBytes(item: FeedItem): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(item));
}

/** Thrown when the catalog names a body that storage does not hold (state damaged or lost). */
export class MissingBodyError extends Error {
  override readonly name = 'MissingBodyError';
}

/** Loads the bodies of catalog entries, in order, through a bounded per-run cache. */
/** What locates a body: the item's source id and the digest of its inputs. */
export type BodyRef = Pick<CatalogEntry, 'sourceId' | 'digest'>;

export function createBodyLoader(state: Storage): (entries: readonly BodyRef[]) => Promise<FeedItem[]> {
  const cache = new Map<string, Promise<FeedItem>>();
  const loadOne = (entry: BodyRef): Promise<FeedItem> => {
    const cacheKey = `${entry.sourceId}\n${entry.digest}`;
    let pending = cache.get(cacheKey);
    if (pending) {
      // Refresh its place (Map order = insertion order = LRU order).
      cache.delete(cacheKey);
      cache.set(cacheKey, pending);
      return pending;
    }
    pending = (async () => {
      const key = await bodyKey(entry.sourceId, entry.digest);
      const stored = await state.get(key);
      if (!stored) throw new MissingBodyError(`item body ${key} of ${entry.sourceId} is missing from state`);
      return JSON.parse(new TextDecoder().decode(stored.body)) as FeedItem;
    })();
    cache.set(cacheKey, pending);
    pending.catch(() => cache.delete(cacheKey));
    if (cache.size > BODY_CACHE_ITEMS) {
      const oldest = cache.keys().next().value;
      if (oldest !== undefined) cache.delete(oldest);
    }
    return pending;
  };
  return (entries) => mapConcurrent(entries, IO_CONCURRENCY, loadOne);
}
