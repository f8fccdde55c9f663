/**
 * The chrome index: for each source, how many of its documents contain each short block
 * (comparison key of ≤ THRESHOLDS.repeatedBlockMaxChars characters, stored as its 64-bit
 * keyHash), and which documents while that number is small. A key counted in ≥ 2 documents is
 * the source's chrome (learn-source-chrome.ts), so this index answers, without reading the
 * corpus, "which keys are chrome" and, when a change moves a key across that boundary, "which
 * other documents hold it" (they must be cleaned again).
 *
 * Stored in state as `index/chrome/<source hash>/<xx>.json` (CHROME_SHARDS shards per source),
 * each mapping keyHash → [count, ...document ids]. The ids are listed only while count ≤
 * MAX_TRACKED_IDS; `ids` is null ("unknown") otherwise, and stays unknown until the source is
 * relearnt (`relearn`), which a caller does when it needs holders it cannot name.
 *
 * Each source's shards are checked against the census the caller stored with them
 * (state/sharded-map.ts, state/shard-census.ts): a lost shard would read as "no document has
 * these lines".
 *
 * Must not: write before the caller's commit (it only hands out writes), or guess: a count is
 * always exact; ids are either complete or null.
 * Tunables: CHROME_SHARDS, MAX_TRACKED_IDS.
 */
import type { Storage } from '../../ports/storage.ts';
import { keyHash } from '../digest/key-hash.ts';
import type { ShardCensus } from '../state/shard-census.ts';
import { createShardedMap, type ShardedMap } from '../state/sharded-map.ts';

export const CHROME_PREFIX = 'index/chrome/';
/** Shards per source: ~4k-article sources give shards of a few KB. */
export const CHROME_SHARDS = 64;
/**
 * Ids kept per key while its count is at most this: the count-2 boundary needs at most one
 * survivor's id, and a margin lets several holders of a key be deleted in one run without a relearn.
 */
export const MAX_TRACKED_IDS = 8;

/** Stored form: [count, ...ids]; the ids are complete iff there are `count` of them. */
type StoredCount = [number, ...string[]];

export interface KeyState {
  readonly count: number;
  /** Every document holding the key, or null when not tracked. */
  readonly ids: readonly string[] | null;
}

export interface ChromeIndex {
  /** Loads the shards of these (source, key hashes). */
  ensure(source: string, hashes: Iterable<string>): Promise<void>;
  /** Current count of a key in a source (its shard must be loaded). */
  count(source: string, hash: string): number;
  /** State of a key as loaded, before this run changed it. */
  original(source: string, hash: string): KeyState;
  current(source: string, hash: string): KeyState;
  add(source: string, hash: string, id: string): void;
  remove(source: string, hash: string, id: string): void;
  /** Keys changed this run, per source (always empty for a fresh index: nothing to compare). */
  touched(): ReadonlyMap<string, ReadonlySet<string>>;
  /**
   * Replaces a source's counts with a recount of `docs` (every document of the source): all its
   * shards are loaded first, so `original` still reports the stored state for every key.
   * Returns every key of the source with its full (untruncated) holder list.
   */
  relearn(
    source: string,
    docs: Iterable<{ readonly id: string; readonly keys: readonly string[] }>,
  ): Promise<ReadonlyMap<string, readonly string[]>>;
  writes(): Promise<{ readonly key: string; readonly body: Uint8Array | null }[]>;
  /** Shard folder → its census, for the sources this run opened (after `writes()`). */
  census(): Record<string, ShardCensus>;
}

function toState(stored: StoredCount | undefined): KeyState {
  if (!stored) return { count: 0, ids: [] };
  const [count, ...ids] = stored;
  return { count, ids: ids.length === count ? ids : null };
}

function toStored(state: KeyState): StoredCount | undefined {
  if (state.count <= 0) return undefined;
  return state.ids && state.count <= MAX_TRACKED_IDS ? [state.count, ...state.ids] : [state.count];
}

/**
 * `fresh`: start empty and replace everything stored (a full rebuild). `census`: shard folder →
 * the census stored with its shards (a folder it does not name holds none); omitted, unchecked.
 */
export function createChromeIndex(
  state: Storage,
  options: { readonly fresh?: boolean; readonly census?: Readonly<Record<string, ShardCensus>> } = {},
): ChromeIndex {
  const maps = new Map<string, ShardedMap<StoredCount>>();
  const originals = new Map<string, Map<string, KeyState>>();
  const touched = new Map<string, Set<string>>();
  const fresh = options.fresh === true;

  const mapOf = (source: string): ShardedMap<StoredCount> => {
    let map = maps.get(source);
    if (!map) {
      const prefix = `${CHROME_PREFIX}${keyHash(source)}/`;
      const census = fresh || !options.census ? {} : { census: options.census[prefix] ?? {} };
      map = createShardedMap<StoredCount>(state, prefix, CHROME_SHARDS, { fresh, ...census });
      maps.set(source, map);
    }
    return map;
  };

  const remember = (source: string, hash: string): void => {
    // A full rebuild has no "before" to compare with: keeping one would hold every key twice.
    if (fresh) return;
    let perSource = originals.get(source);
    if (!perSource) {
      perSource = new Map();
      originals.set(source, perSource);
    }
    if (!perSource.has(hash)) perSource.set(hash, toState(mapOf(source).get(hash)));
    let keys = touched.get(source);
    if (!keys) {
      keys = new Set();
      touched.set(source, keys);
    }
    keys.add(hash);
  };

  const current = (source: string, hash: string): KeyState => toState(mapOf(source).get(hash));

  const put = (source: string, hash: string, next: KeyState): void => {
    const stored = toStored(next);
    if (stored) mapOf(source).set(hash, stored);
    else mapOf(source).delete(hash);
  };

  return {
    async ensure(source, hashes) {
      await mapOf(source).ensure(hashes);
    },
    count(source, hash) {
      return current(source, hash).count;
    },
    original(source, hash) {
      return originals.get(source)?.get(hash) ?? current(source, hash);
    },
    current,
    add(source, hash, id) {
      remember(source, hash);
      const { count, ids } = current(source, hash);
      // Ids in sorted order: a document removed and counted again leaves its key as it was.
      put(source, hash, { count: count + 1, ids: ids && !ids.includes(id) ? [...ids, id].sort() : null });
    },
    remove(source, hash, id) {
      remember(source, hash);
      const { count, ids } = current(source, hash);
      if (count === 0) return;
      put(source, hash, { count: count - 1, ids: ids ? ids.filter((x) => x !== id) : null });
    },
    touched() {
      return touched;
    },
    async relearn(source, docs) {
      const map = mapOf(source);
      await map.ensureAll();
      const holders = new Map<string, string[]>();
      for (const { id, keys } of docs) {
        for (const hash of new Set(keys)) {
          let list = holders.get(hash);
          if (!list) {
            list = [];
            holders.set(hash, list);
          }
          list.push(id);
        }
      }
      const stale = [...map.entries()].map(([hash]) => hash).filter((hash) => !holders.has(hash));
      for (const hash of stale) {
        remember(source, hash);
        map.delete(hash);
      }
      for (const [hash, ids] of holders) {
        const before = current(source, hash);
        if (before.count !== ids.length || !before.ids) {
          remember(source, hash);
          put(source, hash, { count: ids.length, ids });
        }
      }
      return holders;
    },
    async writes() {
      const out: { key: string; body: Uint8Array | null }[] = [];
      for (const map of maps.values()) out.push(...(await map.writes()));
      if (fresh) {
        // Sources gone since the last build: their shard folders go too.
        const live = new Set([...maps.keys()].map((source) => `${CHROME_PREFIX}${keyHash(source)}/`));
        for (const key of await state.list(CHROME_PREFIX).catch(() => [] as string[])) {
          const folder = key.slice(0, key.lastIndexOf('/') + 1);
          if (!live.has(folder)) out.push({ key, body: null });
        }
      }
      return out;
    },
    census() {
      const out: Record<string, ShardCensus> = {};
      for (const [source, map] of maps) {
        const census = map.census();
        if (census) out[`${CHROME_PREFIX}${keyHash(source)}/`] = census;
      }
      return out;
    },
  };
}
