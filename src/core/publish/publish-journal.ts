/**
 * The publish journal: one small object whose presence at the start of a publish means the
 * previous one died mid-way, and whose content says what that run may have left inconsistent.
 *
 *   `{ "version": 2, "keys": [...], "copies": [...] }`
 *   - `copies`: route paths whose route-named copies (`feed.xml`, …) a run was about to refresh
 *     after its manifest swap: the next run copies them again from the live version keys;
 *   - `keys`: storage keys that may hold bytes no manifest describes (the version 1 format,
 *     still read): the next run verifies those it publishes; `null` = verify everything.
 * Its presence alone also makes the next run sweep `_v/` for versions and shards no manifest
 * references (what a run killed before its swap leaves behind).
 * An unreadable journal means "verify everything".
 *
 * Must not: be read by the app. Tunables: none.
 */
import type { Storage } from '../../ports/storage.ts';

/** Written before the first write of a publish, deleted after the last. */
export const PUBLISH_JOURNAL_KEY = 'publish-journal.json';

/** What a dead run's journal says. */
export interface Journal {
  /** Verify every key (the journal was unreadable, or said so). */
  readonly all: boolean;
  /** Keys that may hold bytes no manifest describes. */
  readonly keys: ReadonlySet<string>;
  /** Route paths whose route-named copies may be stale. */
  readonly copies: ReadonlySet<string>;
}

const ALL: Journal = { all: true, keys: new Set(), copies: new Set() };

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

/** The journal a dead run left, or null when the previous run finished. */
export async function readJournal(storage: Storage): Promise<Journal | null> {
  const stored = await storage.get(PUBLISH_JOURNAL_KEY);
  if (!stored) return null;
  try {
    const value = JSON.parse(new TextDecoder().decode(stored.body)) as { keys?: unknown; copies?: unknown };
    if (value.keys === null) return ALL;
    const keys = value.keys === undefined ? [] : value.keys;
    const copies = value.copies === undefined ? [] : value.copies;
    if (isStringArray(keys) && isStringArray(copies)) {
      return { all: false, keys: new Set(keys), copies: new Set(copies) };
    }
  } catch {
    // fall through: an unreadable journal means "verify everything"
  }
  return ALL;
}

/** A journal → its bytes (sorted, so a retry writes the same bytes). */
export function serializeJournal(journal: Journal): Uint8Array {
  const body = {
    version: 2,
    keys: journal.all ? null : [...journal.keys].sort(),
    copies: [...journal.copies].sort(),
  };
  return new TextEncoder().encode(`${JSON.stringify(body)}\n`);
}
