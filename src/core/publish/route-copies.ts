/**
 * Step 5 of a publish, first half (after the swap): the route-named copies (`feed.xml`,
 * `articles/x.html`, … for people and static hosts; the app never reads them) of the routes this
 * run rewrote, or whose copies a dead run or a verification left stale, copied from the new
 * version keys, variants before identity (with `storage.copy` when the driver has it: no bytes
 * pass through here).
 *
 * Must not: run before the swap (a copy is not content-addressed, so neither a rollback snapshot
 * nor a copy would hold bytes: publish memory stays bounded), or fail the publish: a failed copy
 * is logged and keeps the journal, so the next run copies it again.
 * Tunables: none (copies share publish's write limiter; publish-pool.ts WRITE_CONCURRENCY).
 */
import type { Logger } from '../../ports/logger.ts';
import type { Storage } from '../../ports/storage.ts';
import { routeCopyKey, variantKeys } from './entry-keys.ts';
import { type ManifestEntry, routeToKey } from './manifest.ts';
import type { Journal } from './publish-journal.ts';
import { type Limiter, runPool, WRITE_CONCURRENCY } from './publish-pool.ts';
import type { ShardContents } from './read-previous.ts';

/**
 * After a dead run: adds to `copies` the live routes whose copies it may have left stale (the
 * journal's `copies` and suspect keys; all of them when the journal was unreadable).
 */
export function addDeadRunCopies(
  journal: Journal,
  previous: ShardContents,
  removed: ReadonlySet<string>,
  copies: Set<string>,
  isSuspect: (key: string) => boolean,
  live: (path: string) => ManifestEntry | undefined,
): void {
  for (const shard of previous.values()) {
    for (const path of shard.keys()) {
      if (removed.has(path) || copies.has(path)) continue;
      const routeKey = routeToKey(path);
      if (journal.all || journal.copies.has(path) || variantKeys(routeKey).some(isSuspect)) {
        if (live(path)) copies.add(path);
      }
    }
  }
}

/** Copies every route of `paths` (sorted) from its live entry; false when any copy failed (logged). */
export async function refreshRouteCopies(
  storage: Storage,
  paths: ReadonlySet<string>,
  liveEntry: (path: string) => ManifestEntry | undefined,
  write: Limiter,
  logger: Logger,
): Promise<boolean> {
  let complete = true;
  await runPool([...paths].sort(), WRITE_CONCURRENCY, async (path) => {
    const entry = liveEntry(path);
    if (!entry) return;
    try {
      await copyRoute(storage, path, entry, write);
    } catch (error) {
      complete = false;
      logger.warn('could not refresh a route copy', { path, error: (error as Error).message });
    }
  });
  return complete;
}

/** Route copies (`feed.xml.gz`, `feed.xml.br`, `feed.xml`) of one entry, from its version keys. */
async function copyRoute(
  storage: Storage,
  path: string,
  entry: ManifestEntry,
  write: Limiter,
): Promise<void> {
  const routeKey = routeToKey(path);
  // Variants first, identity last: an identity copy that matches proves its variants were written.
  for (const variant of [entry.gzip, entry.br]) {
    if (!variant) continue;
    const to = routeCopyKey(routeKey, entry, variant.key);
    await write(() => copyVersion(storage, path, variant.key, to));
  }
  await write(() => copyVersion(storage, path, entry.key, routeKey));
}

/** Stores the bytes of version key `from` under route key `to` (storage.copy, else get + put). */
async function copyVersion(storage: Storage, path: string, from: string, to: string): Promise<void> {
  // A driver's copy moves no bytes through here (fs: a hard link renamed into place).
  if (storage.copy) {
    if (!(await storage.copy(from, to))) throw new Error(`version ${from} of ${path} is missing`);
    return;
  }
  const stored = await storage.get(from);
  if (!stored) throw new Error(`version ${from} of ${path} is missing`);
  await storage.put(to, stored.body);
}
