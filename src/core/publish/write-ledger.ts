/**
 * What one publish wrote before its manifest swap, and the journal that announces it
 * (publish-journal.ts): the journal goes in before the run's first version write, is rewritten to
 * name the route copies to refresh before the shards are written, and goes once the copies are
 * refreshed. If the run fails before its swap, `rollback` deletes what it wrote again.
 *
 * Must not: delete in a rollback a key that was live before the run (a live key rewritten after a
 * failed verification holds the right bytes), or write a version or shard outside the shared
 * write limiter (publish-pool.ts WRITE_CONCURRENCY: the bound on the fs driver's temp files).
 * Tunables: none.
 */
import type { Logger } from '../../ports/logger.ts';
import type { Storage } from '../../ports/storage.ts';
import { type Journal, PUBLISH_JOURNAL_KEY, serializeJournal } from './publish-journal.ts';
import type { Limiter } from './publish-pool.ts';

/** A write this run made before the swap: deleted again on rollback unless it was live. */
interface Written {
  readonly key: string;
  readonly wasLive: boolean;
}

export interface WriteLedger {
  /** Routes whose route-named copies are refreshed after the swap. */
  readonly copies: Set<string>;
  /** Shard objects written so far. */
  readonly shardsWritten: number;
  /** Writes a version key (journal first, once), remembering it for a rollback. */
  putVersion(key: string, body: Uint8Array, wasLive: boolean): Promise<void>;
  /** Writes a shard object, remembering it for a rollback. */
  putShard(key: string, body: Uint8Array): Promise<void>;
  /** Step 3: rewrites the journal to name the copies to refresh, when the run wrote or must verify anything. */
  announceCopies(shardWrites: number): Promise<void>;
  /** Deletes this run's writes after a failure before the swap (failures leave orphans and the journal). */
  rollback(error: unknown, logger: Logger): Promise<void>;
  /** After the swap: deletes the journal, unless a route copy failed (the next run retries it). */
  clearJournal(copiesComplete: boolean, logger: Logger): Promise<void>;
}

/** A ledger for one run; `deadRun` is the journal a dead run left (its findings stay in ours). */
export function createWriteLedger(storage: Storage, write: Limiter, deadRun: Journal | null): WriteLedger {
  const written: Written[] = [];
  const copies = new Set<string>();
  let shardsWritten = 0;
  let journalWritten = false;
  let journalStart: Promise<void> | null = null;
  /** The journal as it must read before this run's next write (carrying a dead run's findings). */
  const journalState = (): Journal => ({
    all: deadRun?.all ?? false,
    keys: deadRun?.keys ?? new Set(),
    copies: new Set([...(deadRun?.copies ?? []), ...copies]),
  });
  const startJournal = (): Promise<void> => {
    journalStart ??= storage.put(PUBLISH_JOURNAL_KEY, serializeJournal(journalState())).then(() => {
      journalWritten = true;
    });
    return journalStart;
  };
  return {
    copies,
    get shardsWritten() {
      return shardsWritten;
    },
    async putVersion(key, body, wasLive) {
      await startJournal();
      await write(() => storage.put(key, body));
      written.push({ key, wasLive });
    },
    async putShard(key, body) {
      await write(() => storage.put(key, body));
      shardsWritten++;
      written.push({ key, wasLive: false });
    },
    async announceCopies(shardWrites) {
      if (journalWritten || shardWrites > 0 || copies.size > 0 || deadRun !== null) {
        await storage.put(PUBLISH_JOURNAL_KEY, serializeJournal(journalState()));
        journalWritten = true;
      }
    },
    async rollback(error, logger) {
      logger.error('publish failed before the manifest swap; removing what it wrote', {
        error: (error as Error).message,
        written: written.length,
      });
      const clean = await deleteWritten(storage, written, logger);
      if (journalStart) await (journalStart as Promise<void>).catch(() => {});
      // A complete rollback leaves nothing to verify: the journal goes (unless a dead run's findings are still open).
      if (clean && journalWritten && deadRun === null)
        await storage.delete(PUBLISH_JOURNAL_KEY).catch(() => {});
    },
    async clearJournal(copiesComplete, logger) {
      if (!journalWritten || !copiesComplete) return;
      await storage
        .delete(PUBLISH_JOURNAL_KEY)
        .catch((error: unknown) =>
          logger.warn('could not clear the publish journal', { error: (error as Error).message }),
        );
    },
  };
}

/** Deletes the keys written (newest first) that were not live; whether every delete succeeded. */
async function deleteWritten(
  storage: Storage,
  written: readonly Written[],
  logger: Logger,
): Promise<boolean> {
  let clean = true;
  for (const { key, wasLive } of [...written].reverse()) {
    // A live key rewritten after a failed verification now holds the right bytes: keep it.
    if (wasLive) continue;
    try {
      await storage.delete(key);
    } catch (deleteError) {
      // Orphans only: the journal stays, and the next run sweeps them.
      clean = false;
      logger.error('publish rollback failed for key', { key, error: (deleteError as Error).message });
    }
  }
  return clean;
}
