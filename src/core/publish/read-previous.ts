/**
 * Step 1 of a publish: storage → what was published before, as far as this run needs it: the
 * manifest root (or a version 1 manifest), a dead run's journal, and the entries of the shards
 * the run may touch (every shard in full mode, after a dead run or when the root was cut with
 * another layout; in a patch, only the shards of its documents, removals and replaced prefixes).
 * Entries come back grouped by the current shard layout, whatever layout they were read with.
 *
 * Must not: write anything. What it cannot read is a PublishInputError for a patch (it cannot
 * carry over what it cannot read) and a logged warning for a full publish (which starts afresh,
 * or publishes the routes of an unreadable shard afresh). Tunables: none (shards load
 * IO_CONCURRENCY at once).
 */
import type { Logger } from '../../ports/logger.ts';
import type { Storage } from '../../ports/storage.ts';
import { IO_CONCURRENCY, mapConcurrent } from '../concurrency/map-concurrent.ts';
import type { ManifestEntry, ManifestRoot, ShardEntries, ShardRef, StoredManifest } from './manifest.ts';
import { SHARD_LAYOUT_VERSION, shardOf, shardsUnder } from './manifest-shard.ts';
import { loadShard, loadStoredManifest } from './manifest-store.ts';
import { PublishInputError, type PublishPatch } from './publish-input.ts';
import { type Journal, readJournal } from './publish-journal.ts';

/** Route path → entry, per shard id. */
export type ShardContents = Map<string, Map<string, ManifestEntry>>;

export interface PreviousState {
  /** The root (or version 1 manifest) read; null when there is none or it is unreadable. */
  readonly stored: StoredManifest | null;
  /** What a dead run left; null when the previous publish finished. */
  readonly journal: Journal | null;
  /** The shards the previous root names. */
  readonly refs: ReadonlyMap<string, ShardRef>;
  /** Previous entries per shard (current layout), for every shard read or regrouped. */
  readonly shards: ShardContents;
  /** Shard objects read. */
  readonly shardsRead: number;
  /** Shards the root names that could not be read, in reading order. */
  readonly unreadable: readonly string[];
  /** Whether every previous entry is known (needed to sweep `_v/`, and in full mode). */
  readonly complete: boolean;
  /** No root to carry over from (version 1, another layout): every shard is rewritten. */
  readonly rewriteAll: boolean;
  /** The previous entry of a route, when its shard was read. */
  entryOf(path: string): ManifestEntry | undefined;
}

/** Reads the previous state a publish of `documentPaths` (with `patch`: a partial one) needs. */
export async function readPrevious(
  storage: Storage,
  logger: Logger,
  documentPaths: ReadonlySet<string>,
  patch: PublishPatch | undefined,
): Promise<PreviousState> {
  const stored = await readRoot(storage, logger, patch);
  const journal = await readJournal(storage);
  if (journal !== null) logger.warn('the previous publish did not finish; verifying what it wrote');
  const refs = new Map<string, ShardRef>();
  const shards: ShardContents = new Map();
  let read: ShardsRead = { count: 0, unreadable: [] };
  if (stored?.version === 1) {
    regroup(shards, Object.entries(stored.documents));
  } else if (stored?.version === 2) {
    for (const [id, ref] of Object.entries(stored.shards)) refs.set(id, ref);
    const relayout = stored.layout !== SHARD_LAYOUT_VERSION;
    const ids = neededShards(refs, documentPaths, patch, journal !== null || relayout);
    read = await readShards(storage, logger, stored, ids, patch, shards);
  }
  return {
    stored,
    journal,
    refs,
    shards,
    shardsRead: read.count,
    unreadable: read.unreadable,
    complete: stored !== null && read.unreadable.length === 0,
    rewriteAll: stored !== null && (stored.version === 1 || stored.layout !== SHARD_LAYOUT_VERSION),
    entryOf: (path) => shards.get(shardOf(path))?.get(path),
  };
}

/** MANIFEST_KEY → root; an unreadable one fails a patch and is logged (then ignored) by a full publish. */
async function readRoot(
  storage: Storage,
  logger: Logger,
  patch: PublishPatch | undefined,
): Promise<StoredManifest | null> {
  try {
    return await loadStoredManifest(storage);
  } catch (error) {
    if (patch) {
      throw new PublishInputError(
        `A patch needs the previous manifest, which is unreadable (${(error as Error).message}); publish every document once`,
      );
    }
    // A corrupt manifest must not block a full publish forever: start a fresh generation.
    logger.warn('previous manifest unreadable; publishing from scratch', { error: (error as Error).message });
    return null;
  }
}

/** The shards to read, in reading order: all of them, or those a patch's routes and prefixes fall in. */
function neededShards(
  refs: ReadonlyMap<string, ShardRef>,
  documentPaths: ReadonlySet<string>,
  patch: PublishPatch | undefined,
  readAll: boolean,
): string[] {
  const needed = new Set<string>();
  if (!patch || readAll) for (const id of refs.keys()) needed.add(id);
  else {
    for (const path of documentPaths) needed.add(shardOf(path));
    for (const path of patch.remove ?? []) needed.add(shardOf(path));
    for (const prefix of patch.replacePrefixes ?? [])
      for (const id of shardsUnder(prefix, refs.keys())) needed.add(id);
  }
  return [...needed].filter((id) => refs.has(id));
}

interface ShardsRead {
  readonly count: number;
  readonly unreadable: readonly string[];
}

/** Loads shards `ids` of `root` into `shards` (regrouped when the root has another layout). */
async function readShards(
  storage: Storage,
  logger: Logger,
  root: ManifestRoot,
  ids: readonly string[],
  patch: PublishPatch | undefined,
  shards: ShardContents,
): Promise<ShardsRead> {
  const relayout = root.layout !== SHARD_LAYOUT_VERSION;
  const loaded = await mapConcurrent(ids, IO_CONCURRENCY, (id) =>
    readShard(storage, logger, root, id, patch),
  );
  const unreadable: string[] = [];
  for (const [index, id] of ids.entries()) {
    const entries = loaded[index];
    // Same layout: loading checked that every path of the shard belongs to it.
    if (entries && !relayout) shards.set(id, new Map(Object.entries(entries)));
    else if (entries) regroup(shards, Object.entries(entries));
    // An unreadable shard is touched (rewritten or dropped), so the root stops naming it.
    else unreadable.push(id);
  }
  return { count: ids.length, unreadable };
}

/** One shard's entries; null (logged) when a full publish cannot read it, PublishInputError for a patch. */
async function readShard(
  storage: Storage,
  logger: Logger,
  root: ManifestRoot,
  id: string,
  patch: PublishPatch | undefined,
): Promise<ShardEntries | null> {
  try {
    // Read with the layout the root was cut with (it may be an older one: regrouped after).
    return await loadShard(storage, id, root.shards[id] as ShardRef, root.layout);
  } catch (error) {
    if (patch) {
      throw new PublishInputError(
        `A patch needs manifest shard ${id}, which is unreadable (${(error as Error).message}); publish every document once`,
      );
    }
    logger.warn('previous manifest shard unreadable; its routes are published afresh', {
      shard: id,
      error: (error as Error).message,
    });
    return null;
  }
}

/** Adds entries to `shards` under the shard the current layout puts each path in. */
function regroup(shards: ShardContents, entries: Iterable<[string, ManifestEntry]>): void {
  for (const [path, entry] of entries) {
    const id = shardOf(path);
    let shard = shards.get(id);
    if (!shard) {
      shard = new Map();
      shards.set(id, shard);
    }
    shard.set(path, entry);
  }
}
