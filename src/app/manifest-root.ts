/**
 * The manifest root as the published reader holds it: root bytes → shard states (a shard object is
 * kept across refreshes while its content-addressed key is unchanged, with its loaded entries; a
 * version 1 manifest is grouped into in-memory shards), the root re-read at most every `refreshMs`
 * (one read at a time however many requests arrive), and a path's entry looked up in its shard
 * (loaded once per key).
 *
 * Must not: load or verify document bytes (published-document.ts), or write anything. A missing or
 * unreadable root after one was seen keeps the last one: never un-publish by accident.
 */
import {
  MANIFEST_KEY,
  type ManifestEntry,
  parseStoredManifest,
  rootDocumentCount,
  type ShardEntries,
} from '../core/publish/manifest.ts';
import { SHARD_LAYOUT_VERSION, shardOf } from '../core/publish/manifest-shard.ts';
import { loadShard } from '../core/publish/manifest-store.ts';
import type { Clock } from '../ports/clock.ts';
import type { Logger } from '../ports/logger.ts';
import type { Storage } from '../ports/storage.ts';

/** What the app reports about the manifest it serves, without loading any shard. */
export interface ManifestSummary {
  readonly generation: number;
  readonly publishedAt: string;
  /** Routes published (sum of the root's shard counts). */
  readonly documents: number;
}

/** One shard as the current root names it; the object is kept across refreshes while its key is. */
export interface ShardState {
  readonly id: string;
  /** Storage key of the shard object (`v1:<generation>` for a version 1 manifest). */
  readonly key: string;
  readonly count: number;
  entries: ShardEntries | null;
  loading: Promise<ShardEntries> | null;
}

export interface RootState {
  readonly summary: ManifestSummary;
  readonly shards: ReadonlyMap<string, ShardState>;
  /** The shard layout the root was cut with: it says which shard holds a path. */
  readonly layout: number;
}

/** Root bytes → the new state, keeping each shard of `previous` whose key did not change (and its entries). */
function nextState(bytes: Uint8Array, previous: ReadonlyMap<string, ShardState> | undefined): RootState {
  const stored = parseStoredManifest(bytes);
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

export interface RootTracker {
  /** The current state when it is fresh (read less than refreshMs ago), else null. No I/O. */
  freshState(): RootState | null;
  /** The current state, re-read first when it is not fresh. */
  root(): Promise<RootState | null>;
  /** Re-reads the root now (joining a read already in flight). */
  refresh(): Promise<RootState | null>;
  /** Waits for a read in flight, then reads anew (call after a publish in the same process). */
  reload(): Promise<void>;
}

export function createRootTracker(
  storage: Storage,
  clock: Clock,
  refreshMs: number,
  logger: Logger | undefined,
): RootTracker {
  let current: RootState | null = null;
  let loadedAt = Number.NEGATIVE_INFINITY;
  let inflightRoot: Promise<RootState | null> | null = null;

  async function readRoot(): Promise<RootState | null> {
    try {
      const stored = await storage.get(MANIFEST_KEY);
      if (stored) current = nextState(stored.body, current?.shards);
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
  function refresh(): Promise<RootState | null> {
    inflightRoot ??= readRoot().finally(() => {
      inflightRoot = null;
    });
    return inflightRoot;
  }

  const freshState = (): RootState | null =>
    current !== null && clock.now().getTime() - loadedAt < refreshMs ? current : null;

  return {
    freshState,
    refresh,
    async root() {
      return freshState() ?? refresh();
    },
    async reload() {
      // A read already in flight may have started before the publish: wait for it, then read anew.
      await inflightRoot?.catch(() => null);
      await refresh();
    },
  };
}

/** A shard's entries, loaded once per key however many requests ask at once. */
export function shardEntries(storage: Storage, shard: ShardState, layout: number): Promise<ShardEntries> {
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

/** A path's manifest entry and the shard state it was found in. */
export interface Located {
  readonly entry: ManifestEntry;
  readonly shard: ShardState;
}

export async function locateIn(
  storage: Storage,
  state: RootState | null,
  path: string,
): Promise<Located | null> {
  if (!state) return null;
  const shard = state.shards.get(shardOf(path, state.layout));
  if (!shard) return null;
  const entries = await shardEntries(storage, shard, state.layout);
  const entry = Object.hasOwn(entries, path) ? entries[path] : undefined;
  return entry ? { entry, shard } : null;
}
