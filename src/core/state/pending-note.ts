/**
 * The pending note: what a regeneration that died before its manifest swap leaves for the next
 * run. `regenerate-pending.json` says a run was in progress (the next one plans every document,
 * and gathers everything when `complete`); it and the batch notes under `regenerate-pending/` name
 * the items the dead run recorded as added or updated. Item records are committed before publishing,
 * so without the names the next run would call items readers never saw "unchanged".
 *
 * Writes, in order: the note (carried names only) before the run's first record batch; one batch
 * note per record batch with just that batch's names (so a 100,000-item build writes each name once,
 * not a growing list per batch); the full note before the catalog commit. `clear` removes them all
 * after the swap, batch notes first. Stored format: `{ complete, added?: string[], updated?: string[] }`
 * (notes written by older versions hold `complete` only, and are read as naming nothing).
 *
 * Must not: decide what a run plans (regenerate.ts does), or throw on a corrupt note ('unreadable').
 */
import type { Storage } from '../../ports/storage.ts';
import { IO_CONCURRENCY, mapConcurrent } from '../concurrency/map-concurrent.ts';

/**
 * Written before the first item record and removed after the manifest swap. Present at the start of
 * a run → the previous run died in between: this run rebuilds the site index from the catalog and
 * plans every document (publish still skips those whose inputs are equal).
 */
export const PENDING_KEY = 'regenerate-pending.json';
/** Batch notes of a run in progress: `<run start ms>-<batch>.json`. */
export const PENDING_BATCH_PREFIX = 'regenerate-pending/';

export interface Pending {
  /** The dead run re-gathered everything: this one must too. */
  readonly complete: boolean;
  /** Items the dead run (and any dead run before it) recorded as added / updated, never published. */
  readonly added: ReadonlySet<string>;
  readonly updated: ReadonlySet<string>;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function namesOf(value: Record<string, unknown>): { added: string[]; updated: string[] } {
  return { added: stringList(value.added), updated: stringList(value.updated) };
}

/** The added / updated sets of notes, edited ones that are also new counted as new. */
function unite(notes: readonly { added: readonly string[]; updated: readonly string[] }[]): {
  added: Set<string>;
  updated: Set<string>;
} {
  const added = new Set(notes.flatMap((n) => n.added));
  const updated = new Set(notes.flatMap((n) => n.updated).filter((id) => !added.has(id)));
  return { added, updated };
}

/** The note of a run that died before its swap (null: none); 'unreadable' forces a complete run. */
export async function readPending(state: Storage): Promise<Pending | null | 'unreadable'> {
  const stored = await state.get(PENDING_KEY);
  if (!stored) return null;
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(decoder.decode(stored.body)) as Record<string, unknown>;
  } catch {
    return 'unreadable';
  }
  if (typeof value.complete !== 'boolean') return 'unreadable';
  const batches = await mapConcurrent(await state.list(PENDING_BATCH_PREFIX), IO_CONCURRENCY, async (key) => {
    const batch = await state.get(key);
    try {
      return batch ? namesOf(JSON.parse(decoder.decode(batch.body)) as Record<string, unknown>) : null;
    } catch {
      return null; // a torn batch note: its records may be missing too; the rest still counts
    }
  });
  const notes = [namesOf(value), ...batches.filter((b) => b !== null)];
  return { complete: value.complete, ...unite(notes) };
}

export interface PendingNotes {
  /** Before a batch of item records is written: the names recorded since the last batch. */
  beforeBatch(added: readonly string[], updated: readonly string[]): Promise<void>;
  /** Before the catalog commit: the full note (carried names and this run's). */
  beforeCommit(added: readonly string[], updated: readonly string[]): Promise<void>;
  /** After the manifest swap: readers have seen everything; the notes go. */
  clear(): Promise<void>;
}

/** The notes of one run, started at `runMs`, carrying a dead run's names (`carried`). */
export function createPendingNotes(
  state: Storage,
  runMs: number,
  complete: boolean,
  carried: Pending | null,
): PendingNotes {
  let batches = 0;
  let noted = { added: 0, updated: 0 };
  const note = (added: readonly string[], updated: readonly string[]) => {
    const names = unite([
      { added: [...(carried?.added ?? [])], updated: [...(carried?.updated ?? [])] },
      { added, updated },
    ]);
    return state.put(
      PENDING_KEY,
      encoder.encode(JSON.stringify({ complete, added: [...names.added], updated: [...names.updated] })),
    );
  };
  return {
    async beforeBatch(added, updated) {
      if (batches === 0) await note([], []);
      const delta = { added: added.slice(noted.added), updated: updated.slice(noted.updated) };
      noted = { added: added.length, updated: updated.length };
      if (delta.added.length === 0 && delta.updated.length === 0) return;
      await state.put(
        `${PENDING_BATCH_PREFIX}${runMs}-${batches++}.json`,
        encoder.encode(JSON.stringify(delta)),
      );
    },
    beforeCommit: note,
    async clear() {
      if (batches > 0 || carried !== null) {
        const keys = await state.list(PENDING_BATCH_PREFIX);
        await mapConcurrent(keys, IO_CONCURRENCY, (key) => state.delete(key));
      }
      await state.delete(PENDING_KEY);
    },
  };
}

/**
 * Folds a dead run's names into this run's report lists: those still published (`published`) and
 * not already reported; an item new to readers is "added" even when this run saw it edited.
 */
export function foldUnseen(
  carried: Pending,
  added: string[],
  updated: string[],
  published: (sourceId: string) => boolean,
): void {
  const addedNow = new Set(added);
  const reported = new Set([...added, ...updated]);
  const moved = new Set<string>();
  for (const id of carried.added) {
    if (!published(id) || addedNow.has(id)) continue;
    if (reported.has(id)) moved.add(id);
    added.push(id);
  }
  if (moved.size > 0) {
    const kept = updated.filter((id) => !moved.has(id));
    updated.splice(0, updated.length, ...kept);
  }
  for (const id of carried.updated) if (published(id) && !reported.has(id)) updated.push(id);
}
