/**
 * The item catalog: one compact entry per item the site publishes (or holds back), everything
 * planning needs without an item's body: id, slug, dates, tags, publisher, the digest of what
 * renderers read (`digest`), warning count and quality-gate flag. Stored in state as
 * CATALOG_SHARDS shards (`catalog/<xx>.json`, by a hash of the source id), so a run that changes
 * one article reads and rewrites one shard, never the whole catalog (a complete run reads every
 * existing shard, after one listing of the prefix).
 *
 * Bodies (the full FeedItem) live apart, content-addressed by the digest (item-bodies.ts).
 *
 * A census (`catalog/census.json`, state/shard-census.ts) names every stored shard with the digest
 * of its text, written after the shards: a shard missing, stray or holding other bytes than the
 * census says counts as damaged (a lost shard would otherwise read as empty and its items would
 * silently go). Shards stored without a census (state from an earlier release, the census lost)
 * are damaged too: one complete run rewrites them with one.
 *
 * Must not: touch the clock, or throw on a damaged shard (it is logged and its items are rebuilt
 * by the next complete run: `loadCatalog` reports it as `damaged`).
 * Tunables: CATALOG_SHARDS, CATALOG_PREFIX.
 */
import type { Logger } from '../../ports/logger.ts';
import type { Storage } from '../../ports/storage.ts';
import { IO_CONCURRENCY, mapConcurrent } from '../concurrency/map-concurrent.ts';
import type { FeedItem } from '../model.ts';
import {
  checkShard,
  parseCensus,
  type ShardCensus,
  shardDigest,
  shardName,
  updateCensus,
} from './shard-census.ts';

export const CATALOG_PREFIX = 'catalog/';
/** 256 shards: ≈ 400 entries (≈ 100 KB) each at 100,000 items. */
export const CATALOG_SHARDS = 256;
/** The census of the stored shards (state/shard-census.ts). */
export const CATALOG_CENSUS_KEY = 'catalog/census.json';

export interface CatalogFlag {
  readonly code: string;
  readonly message: string;
  /** Held back (not published) rather than published and flagged. */
  readonly heldBack: boolean;
  /** The item's title as cleaning found it, for /status. */
  readonly title?: string;
}

export interface CatalogEntry {
  readonly sourceId: string;
  readonly id: string;
  readonly slug: string;
  readonly published: string;
  readonly updated: string;
  /** Digest of `itemInputs(item)`: equal → every renderer reads the same of this item. */
  readonly digest: string;
  readonly tags: readonly string[];
  readonly publisher?: string;
  readonly warnings: number;
  readonly flag?: CatalogFlag;
}

/** The catalog entry of a published item: what planning needs, with the digest of its inputs. */
export function catalogEntryOf(
  item: Pick<
    FeedItem,
    'sourceId' | 'id' | 'slug' | 'published' | 'updated' | 'tags' | 'publisher' | 'warnings'
  >,
  digest: string,
  flag: CatalogFlag | null = null,
): CatalogEntry {
  return {
    sourceId: item.sourceId,
    id: item.id,
    slug: item.slug,
    published: item.published,
    updated: item.updated,
    digest,
    tags: item.tags,
    ...(item.publisher !== undefined ? { publisher: item.publisher } : {}),
    warnings: item.warnings.length,
    ...(flag ? { flag } : {}),
  };
}

/** Row layout in a shard (arrays parse about twice as fast as objects at 100,000 rows). */
export type Row = [
  string,
  string,
  string,
  string,
  string,
  string,
  string[],
  string | null,
  number,
  CatalogFlag | null,
];

export function toRow(e: CatalogEntry): Row {
  return [
    e.sourceId,
    e.id,
    e.slug,
    e.published,
    e.updated,
    e.digest,
    [...e.tags],
    e.publisher ?? null,
    e.warnings,
    e.flag ?? null,
  ];
}

function isFlag(value: unknown): value is CatalogFlag {
  if (typeof value !== 'object' || value === null) return false;
  const flag = value as Record<string, unknown>;
  return (
    typeof flag.code === 'string' &&
    typeof flag.message === 'string' &&
    typeof flag.heldBack === 'boolean' &&
    (flag.title === undefined || typeof flag.title === 'string')
  );
}

export function fromRow(value: unknown): CatalogEntry | null {
  if (!Array.isArray(value) || value.length !== 10) return null;
  const [sourceId, id, slug, published, updated, digest, tags, publisher, warnings, flag] =
    value as unknown[];
  if (
    typeof sourceId !== 'string' ||
    typeof id !== 'string' ||
    typeof slug !== 'string' ||
    typeof published !== 'string' ||
    typeof updated !== 'string' ||
    typeof digest !== 'string' ||
    !Array.isArray(tags) ||
    !tags.every((t) => typeof t === 'string') ||
    (publisher !== null && typeof publisher !== 'string') ||
    typeof warnings !== 'number' ||
    (flag !== null && !isFlag(flag))
  ) {
    return null;
  }
  return {
    sourceId,
    id,
    slug,
    published,
    updated,
    digest,
    tags: tags as string[],
    ...(publisher !== null ? { publisher } : {}),
    warnings,
    ...(flag !== null ? { flag } : {}),
  };
}

/** FNV-1a (32 bits) of the UTF-16 units: a fast, synchronous, stable shard choice. */
export function catalogShardOf(sourceId: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < sourceId.length; i++) {
    hash ^= sourceId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % CATALOG_SHARDS;
}

function shardKey(shard: number): string {
  return `${CATALOG_PREFIX}${shardName(shard)}.json`;
}

/** The stored census; null when there is none or it is unreadable (then no shard may exist). */
async function readCensus(state: Storage): Promise<ShardCensus | null> {
  const stored = await state.get(CATALOG_CENSUS_KEY);
  if (!stored) return null;
  try {
    return parseCensus(JSON.parse(new TextDecoder().decode(stored.body)));
  } catch {
    return null;
  }
}

/** Whether a shard as read is the one the census names (a missing census names none). */
function matchesCensus(census: ShardCensus | null, shard: number, text: string | null): boolean {
  try {
    checkShard(census ?? {}, shard, text, shardKey(shard));
    return true;
  } catch {
    return false;
  }
}

export interface ItemCatalog {
  /** Loads the shards holding these source ids (once each). */
  ensure(sourceIds: Iterable<string>): Promise<void>;
  /** Loads every shard (after one listing of the prefix). */
  ensureAll(): Promise<void>;
  /** The entry of a source id; throws when its shard was never loaded (a bug, not a miss). */
  get(sourceId: string): CatalogEntry | undefined;
  set(entry: CatalogEntry): void;
  delete(sourceId: string): void;
  /** Every entry, in no particular order (after ensureAll). */
  entries(): IterableIterator<CatalogEntry>;
  /** Entries held (every entry after ensureAll). */
  readonly size: number;
  /**
   * Shards that failed to parse when loaded, or that are not the ones the census names (missing,
   * stray, other bytes): their items are missing until a complete run.
   */
  readonly damaged: number;
  /** Writes the shards changed since loading (and only those). */
  save(state: Storage): Promise<number>;
}

/** Thrown by `get` for a shard that was never loaded. */
export class CatalogShardNotLoadedError extends Error {
  override readonly name = 'CatalogShardNotLoadedError';
}

/**
 * The catalog with nothing loaded: an incremental run loads the shards of the items it touches
 * (`ensure`), a complete run every shard (`ensureAll`). A missing shard is an empty one.
 */
export function openCatalog(state: Storage, logger: Logger): ItemCatalog {
  const entries = new Map<string, CatalogEntry>();
  const loaded = new Set<number>();
  const dirty = new Set<number>();
  /** Shards found in storage, and shards found damaged (rewritten, or deleted, on save). */
  const present = new Set<number>();
  const broken = new Set<number>();
  let damaged = 0;
  let all = false;
  let census: Promise<ShardCensus | null> | null = null;
  const censusOf = (): Promise<ShardCensus | null> => {
    census ??= readCensus(state);
    return census;
  };
  const parse = (shard: number, text: string): void => {
    let rows: unknown;
    try {
      rows = JSON.parse(text);
    } catch {
      rows = null;
    }
    if (!Array.isArray(rows)) {
      damaged++;
      broken.add(shard);
      logger.warn('item catalog shard unreadable; its items are rebuilt by a complete run', {
        key: shardKey(shard),
      });
      return;
    }
    for (const row of rows) {
      const entry = fromRow(row);
      if (entry && catalogShardOf(entry.sourceId) === shard) entries.set(entry.sourceId, entry);
      else {
        damaged++;
        broken.add(shard);
      }
    }
  };
  /** A shard that is not the one the census names: its items are not to be trusted. */
  const mismatch = (shard: number): void => {
    damaged++;
    broken.add(shard);
    // One line for the catalog (state from an earlier release has no census: every shard).
    if (broken.size === 1)
      logger.warn(
        'item catalog shard missing or not matching its census; its items are rebuilt by a complete run',
        { key: shardKey(shard) },
      );
  };
  const load = async (shards: readonly number[]): Promise<void> => {
    const wanted = shards.filter((shard) => !loaded.has(shard));
    for (const shard of wanted) loaded.add(shard);
    const names = await censusOf();
    const bodies = await mapConcurrent(wanted, IO_CONCURRENCY, async (shard) => {
      const stored = await state.get(shardKey(shard));
      return stored ? new TextDecoder().decode(stored.body) : null;
    });
    bodies.forEach((text, i) => {
      const shard = wanted[i] ?? -1;
      if (text !== null) present.add(shard);
      if (!matchesCensus(names, shard, text)) mismatch(shard);
      if (text !== null) parse(shard, text);
    });
  };
  return {
    async ensure(sourceIds) {
      if (all) return;
      const shards = new Set<number>();
      for (const sourceId of sourceIds) shards.add(catalogShardOf(sourceId));
      await load([...shards]);
    },
    async ensureAll() {
      if (all) return;
      // One listing first: a small site has a few shards, and on R2 every read is a billed request.
      const existing = new Set(await state.list(CATALOG_PREFIX));
      const names = await censusOf();
      const shards = Array.from({ length: CATALOG_SHARDS }, (_, i) => i);
      // Listed, or named by the census (a lost one is then found missing when read).
      await load(
        shards.filter((shard) => existing.has(shardKey(shard)) || names?.[shardName(shard)] !== undefined),
      );
      for (const shard of shards) loaded.add(shard);
      all = true;
    },
    get(sourceId) {
      if (!all && !loaded.has(catalogShardOf(sourceId)))
        throw new CatalogShardNotLoadedError(`catalog shard of ${JSON.stringify(sourceId)} not loaded`);
      return entries.get(sourceId);
    },
    set(entry) {
      entries.set(entry.sourceId, entry);
      dirty.add(catalogShardOf(entry.sourceId));
    },
    delete(sourceId) {
      if (entries.delete(sourceId)) dirty.add(catalogShardOf(sourceId));
    },
    entries: () => entries.values(),
    get size() {
      return entries.size;
    },
    get damaged() {
      return damaged;
    },
    async save(storage) {
      // With every shard loaded, damaged ones are rewritten from what the run holds (or deleted).
      const rebuilt = all && broken.size > 0;
      if (rebuilt) for (const shard of [...broken, ...present]) dirty.add(shard);
      const byShard = new Map<number, Row[]>([...dirty].map((shard) => [shard, []]));
      for (const entry of entries.values()) byShard.get(catalogShardOf(entry.sourceId))?.push(toRow(entry));
      const writes = [...byShard].map(([shard, rows]) => {
        // Sorted by source id: the same catalog always serialises to the same bytes.
        rows.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
        const text = rows.length === 0 ? null : JSON.stringify(rows);
        return { shard, key: shardKey(shard), text };
      });
      if (writes.length === 0) return 0;
      const before = (await censusOf()) ?? {};
      await mapConcurrent(writes, IO_CONCURRENCY, (write) =>
        write.text === null
          ? storage.delete(write.key)
          : storage.put(write.key, new TextEncoder().encode(write.text)),
      );
      // After the shards: a run that dies between leaves a census that finds the mismatch.
      const next = updateCensus(
        rebuilt ? {} : before,
        writes.map((write) => [write.shard, write.text === null ? null : shardDigest(write.text)] as const),
      );
      if (Object.keys(next).length === 0) await storage.delete(CATALOG_CENSUS_KEY);
      else await storage.put(CATALOG_CENSUS_KEY, new TextEncoder().encode(JSON.stringify(next)));
      census = Promise.resolve(next);
      dirty.clear();
      broken.clear();
      return writes.length;
    },
  };
}

/** Reads every shard (IO_CONCURRENCY at a time). A missing catalog is an empty one. */
export async function loadCatalog(state: Storage, logger: Logger): Promise<ItemCatalog> {
  const catalog = openCatalog(state, logger);
  await catalog.ensureAll();
  return catalog;
}
