/**
 * Step 5 of a publish, second half (after the swap and the route copies): deletes what the new
 * manifest no longer references: the old versions and route copies of removed and rewritten
 * routes, the shards the new root replaced, and, after a dead run or a lost manifest only,
 * everything unreferenced under `_v/` (at 100,000 documents that listing walks 100,000 folders).
 *
 * Must not: delete a key the new manifest names (a kept entry shares its keys with the previous
 * one), a shard the new root names, or a route copy of a published document; or fail the publish:
 * the swap is done, so a failed delete or listing is logged and only leaves garbage.
 * Tunables: none (deletes leave no temp file and their order does not matter: IO_CONCURRENCY).
 */
import type { Logger } from '../../ports/logger.ts';
import type { Storage } from '../../ports/storage.ts';
import { IO_CONCURRENCY, mapConcurrent } from '../concurrency/map-concurrent.ts';
import { entryKeys, routeCopyKey, variantKeys } from './entry-keys.ts';
import { routeToKey, type ShardRef, VERSIONED_PREFIX } from './manifest.ts';
import type { Publishable } from './publish-input.ts';
import type { PreviousState, ShardContents } from './read-previous.ts';
import type { Outcome } from './write-document.ts';

/** The run as the sweep sees it once the new root is live. */
export interface SweepInput {
  readonly documents: readonly Publishable[];
  readonly routeKeys: readonly string[];
  readonly outcomes: readonly Outcome[];
  /** Routes this run unpublished. */
  readonly removed: ReadonlySet<string>;
  readonly previous: PreviousState;
  /** The touched shards' new entries. */
  readonly next: ShardContents;
  /** The shards the new root names. */
  readonly refs: ReadonlyMap<string, ShardRef>;
}

/** Deletes every key the new manifest leaves unreferenced; failures are logged. */
export async function sweepOrphans(storage: Storage, logger: Logger, run: SweepInput): Promise<void> {
  const doomed = replacedKeys(run);
  // Orphans exist only if a run died (journal) or the previous manifest was lost: only then
  // is the whole `_v/` tree listed.
  if (run.previous.journal !== null || !run.previous.complete) {
    const live = liveKeys(run);
    try {
      for (const key of await storage.list(VERSIONED_PREFIX)) if (!live.has(key)) doomed.add(key);
    } catch (error) {
      logger.warn('could not list old versions', { error: (error as Error).message });
    }
  }
  spareLive(doomed, run);
  await mapConcurrent([...doomed].sort(), IO_CONCURRENCY, async (key) => {
    try {
      await storage.delete(key);
    } catch (error) {
      logger.warn('could not delete unpublished object', { key, error: (error as Error).message });
    }
  });
}

/** Keys of removed routes, the old versions of rewritten ones and the replaced shards. */
function replacedKeys({ documents, routeKeys, outcomes, removed, previous, refs }: SweepInput): Set<string> {
  const doomed = new Set<string>();
  for (const path of removed) {
    const before = previous.entryOf(path);
    if (before) for (const key of entryKeys(before)) doomed.add(key);
    for (const key of variantKeys(routeToKey(path))) doomed.add(key);
  }
  for (const [index, document] of documents.entries()) {
    const outcome = outcomes[index] as Outcome;
    const before = previous.entryOf(document.path);
    if (!outcome.changed) continue;
    const keep = new Set(entryKeys(outcome.entry));
    if (before) for (const key of entryKeys(before)) if (!keep.has(key)) doomed.add(key);
    // The route copy mirrors the entry: a variant copy only where the entry has one.
    const routeKey = routeKeys[index] ?? routeToKey(document.path);
    if (!outcome.entry.gzip) doomed.add(`${routeKey}.gz`);
    if (!outcome.entry.br) doomed.add(`${routeKey}.br`);
  }
  for (const [id, ref] of previous.refs) if (refs.get(id)?.key !== ref.key) doomed.add(ref.key);
  return doomed;
}

/** Every `_v/` key the new manifest references: its shards and the keys of all its entries. */
function liveKeys({ previous, next, refs }: SweepInput): Set<string> {
  const live = new Set<string>();
  for (const ref of refs.values()) live.add(ref.key);
  for (const [id, shard] of previous.shards)
    if (!next.has(id)) for (const entry of shard.values()) for (const key of entryKeys(entry)) live.add(key);
  for (const shard of next.values())
    for (const entry of shard.values()) for (const key of entryKeys(entry)) live.add(key);
  return live;
}

/** Takes out of `doomed` whatever the new manifest names and the route copies of published documents. */
function spareLive(doomed: Set<string>, { documents, routeKeys, outcomes, next, refs }: SweepInput): void {
  // Never delete what the new manifest names (a kept entry shares its keys with the previous one).
  for (const shard of next.values())
    for (const entry of shard.values()) for (const key of entryKeys(entry)) doomed.delete(key);
  for (const ref of refs.values()) doomed.delete(ref.key);
  // Nor the route copies of published documents (identity, and the variants their entry has).
  for (const [index, document] of documents.entries()) {
    const entry = (outcomes[index] as Outcome).entry;
    const routeKey = routeKeys[index] ?? routeToKey(document.path);
    for (const key of entryKeys(entry)) doomed.delete(routeCopyKey(routeKey, entry, key));
  }
}
