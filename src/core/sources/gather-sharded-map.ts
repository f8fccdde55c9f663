/**
 * A string → JSON value map kept in Storage as shard files (`<prefix><xx>.json`, the shard chosen
 * by a hash of the key), so state that grows with the corpus is read and rewritten a shard at a
 * time: a run that touches one key reads and writes one shard. Used by the content index and
 * the chrome index.
 *
 * Reads are lazy (`ensure` loads the shards of some keys, `ensureAll` every shard); changes stay
 * in memory until `writes()` hands the caller the dirty shards to store (the gather writes them
 * only in `commit()`, so an abandoned run leaves the stored map as it was). Given the census the
 * caller stored with the shards (state/shard-census.ts), every shard read is checked against it:
 * one missing, stray or holding other bytes throws DamagedStateError (the run starts again as a
 * complete one), and `census()` gives the census to store with the writes. Without one, a corrupt
 * or missing shard reads as empty (a map being replaced: only what it still tells is used).
 * A shard whose changed keys all end the run with the value they were loaded with is not written
 * (a document's chrome keys are removed and counted again when it is re-read: most come back).
 *
 * Must not: write anything by itself, or read the clock. Tunables: the shard count, per caller.
 */
import type { Storage } from '../../ports/storage.ts';
import { IO_CONCURRENCY, mapConcurrent } from '../pipeline/map-concurrent.ts';
import {
  shardName as censusName,
  checkShard,
  type ShardCensus,
  shardDigest,
  updateCensus,
} from '../state/shard-census.ts';
import { shardOf } from './gather-key-hash.ts';

export interface ShardedMap<V> {
  /** Loads the shards holding these keys (once each). */
  ensure(keys: Iterable<string>): Promise<void>;
  /** Loads every shard. */
  ensureAll(): Promise<void>;
  /** The value of a key; throws when its shard was never loaded (a bug, not a miss). */
  get(key: string): V | undefined;
  set(key: string, value: V): void;
  delete(key: string): void;
  /** Entries of the loaded shards. */
  entries(): IterableIterator<[string, V]>;
  /** True once every shard is loaded (ensureAll, or a fresh map). */
  readonly complete: boolean;
  /** Storage writes for the shards changed since loading: bytes to put, or null to delete. */
  writes(): Promise<{ readonly key: string; readonly body: Uint8Array | null }[]>;
  /**
   * The census of the shards as stored once `writes()` are done (call after it): every shard of
   * a fresh map, else the census it was opened with, updated. Null for an unchecked map.
   */
  census(): ShardCensus | null;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function shardName(prefix: string, shard: number): string {
  return `${prefix}${censusName(shard)}.json`;
}

/**
 * `fresh`: start from an empty map and replace whatever is stored (a full rebuild): every shard
 * counts as loaded, and `writes()` also deletes stored shards that end up empty.
 * `census`: the census stored with the shards: each shard read is checked against it.
 */
export function createShardedMap<V>(
  storage: Storage,
  prefix: string,
  shardCount: number,
  options: { readonly fresh?: boolean; readonly census?: ShardCensus } = {},
): ShardedMap<V> {
  const shards = new Map<number, Map<string, V>>();
  /** Changed shards → their changed keys, each with its value as loaded (undefined: absent). */
  const dirty = new Map<number, Map<string, V | undefined>>();
  const fresh = options.fresh === true;
  let complete = fresh;
  const checked = options.census;
  /** Shards written (digest of the text) or deleted (null) by `writes()`. */
  const written = new Map<number, string | null>();

  /** Records a change to `key` (in `values`, shard `shard`) before it is made. */
  const touch = (shard: number, values: Map<string, V>, key: string): void => {
    let originals = dirty.get(shard);
    if (!originals) {
      originals = new Map();
      dirty.set(shard, originals);
    }
    if (!originals.has(key)) originals.set(key, values.get(key));
  };

  /**
   * True when a shard must be written: a fresh map writes every changed shard; otherwise some
   * changed key must end with another value than it was loaded with (values are JSON, replaced
   * and never mutated in place, so their JSON text compares them).
   */
  const changed = (shard: number, originals: ReadonlyMap<string, V | undefined>): boolean => {
    if (fresh) return true;
    const values = shards.get(shard);
    for (const [key, original] of originals) {
      if (JSON.stringify(values?.get(key)) !== JSON.stringify(original)) return true;
    }
    return false;
  };

  const load = async (shard: number): Promise<void> => {
    if (shards.has(shard) || complete) return;
    const values = new Map<string, V>();
    const key = shardName(prefix, shard);
    // Checked: a failing read fails the run (it must not read as an empty shard).
    const stored = checked ? await storage.get(key) : await storage.get(key).catch(() => null);
    const text = stored ? decoder.decode(stored.body) : null;
    if (checked) checkShard(checked, shard, text, key);
    if (text !== null) {
      try {
        const parsed = JSON.parse(text) as Record<string, V>;
        for (const [key, value] of Object.entries(parsed)) values.set(key, value);
      } catch {
        // Corrupt shard: read as empty (documented above).
      }
    }
    if (!shards.has(shard)) shards.set(shard, values);
  };

  const shardFor = (key: string): Map<string, V> => {
    const shard = shardOf(key, shardCount);
    let values = shards.get(shard);
    if (!values) {
      if (!complete) throw new Error(`sharded map ${prefix}: shard of ${JSON.stringify(key)} not loaded`);
      values = new Map();
      shards.set(shard, values);
    }
    return values;
  };

  return {
    async ensure(keys) {
      const wanted = new Set<number>();
      for (const key of keys) wanted.add(shardOf(key, shardCount));
      await mapConcurrent([...wanted], IO_CONCURRENCY, load);
    },
    async ensureAll() {
      if (complete) return;
      await mapConcurrent(
        Array.from({ length: shardCount }, (_, i) => i),
        IO_CONCURRENCY,
        load,
      );
      complete = true;
    },
    get(key) {
      return shardFor(key).get(key);
    },
    set(key, value) {
      const values = shardFor(key);
      touch(shardOf(key, shardCount), values, key);
      values.set(key, value);
    },
    delete(key) {
      const values = shardFor(key);
      if (!values.has(key)) return;
      touch(shardOf(key, shardCount), values, key);
      values.delete(key);
    },
    *entries() {
      for (const values of shards.values()) yield* values.entries();
    },
    get complete() {
      return complete;
    },
    async writes() {
      const out: { key: string; body: Uint8Array | null }[] = [];
      const keys = new Set<string>();
      for (const [shard, originals] of [...dirty].sort(([a], [b]) => a - b)) {
        if (!changed(shard, originals)) continue;
        const values = shards.get(shard);
        const key = shardName(prefix, shard);
        keys.add(key);
        if (!values || values.size === 0) {
          out.push({ key, body: null });
          written.set(shard, null);
        } else {
          // Sorted keys: the same map always gives the same bytes.
          const sorted = [...values.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
          const text = JSON.stringify(Object.fromEntries(sorted));
          out.push({ key, body: encoder.encode(text) });
          written.set(shard, shardDigest(text));
        }
      }
      if (fresh) {
        for (const key of await storage.list(prefix).catch(() => [] as string[])) {
          if (!keys.has(key)) out.push({ key, body: null });
        }
      }
      return out;
    },
    census() {
      const base = fresh ? {} : checked;
      return base ? updateCensus(base, written) : null;
    },
  };
}
