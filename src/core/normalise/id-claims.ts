/**
 * One item id, one published file: who holds an id when two sources give the same one (the same
 * front-matter `id:`, or the same `url:`/canonical URL that mints it, a content file and an
 * upstream item alike), and the message that names both.
 *
 * The rule (docs/hardening.md, "Duplicate ids"): an id stays with the source it was issued to
 * first: the one whose item record holds it with the earliest first-seen date (then the first
 * source id in code-unit order). A source new to the state has no record, so it never takes an
 * id from a published item; among sources new in one run, the first in source order (content
 * paths sorted, then remote items in config order) is recorded first and keeps it. The other is
 * not published: it is a failed source (build report, /status, exit code 3) until one of them
 * changes.
 *
 * The content files held back are listed in the state store (HELD_DUPLICATES_KEY), so a run given a
 * change hint (a watcher names only the file that changed, perhaps the holder) reads them again too.
 *
 * Must not: read the clock, write storage other than HELD_DUPLICATES_KEY, or decide anything but
 * who holds an id (orchestrate/apply-items.ts holds the loser back, through normalise/assign-identity.ts).
 */
import type { Storage } from '../../ports/storage.ts';
import type { ItemCatalog } from '../state/item-catalog.ts';
import { isLive } from '../state/item-order.ts';
import type { ItemRecord } from '../state/item-record.ts';
import type { SiteIndex } from '../state/site-index.ts';

/** A source claiming an id, with its item record when it has one. */
export interface IdClaim {
  readonly sourceId: string;
  readonly record: ItemRecord | null;
}

/** True when `a` keeps an id both claim (see the rule above). */
export function keepsId(a: IdClaim, b: IdClaim): boolean {
  if (a.record && !b.record) return true;
  if (!a.record && b.record) return false;
  const seenA = a.record?.firstSeen ?? '';
  const seenB = b.record?.firstSeen ?? '';
  if (seenA !== seenB) return seenA < seenB;
  return a.sourceId < b.sourceId;
}

/** The front-matter field an id came from, for the message. */
export type IdField = 'id' | 'url';

/** The failure reported for the source that does not keep the id. */
export function duplicateIdMessage(loser: string, holder: string, field: IdField, value: string): string {
  return `duplicate item id: ${loser} and ${holder} both give ${field} "${value}"; ${holder} keeps the id (it was issued to it first), ${loser} is not published until one of them gives another ${field}`;
}

export interface IdClaims {
  /** The live sources other than `sourceId` published under `id` now (this run's changes included). */
  holders(id: string, sourceId: string): Promise<string[]>;
  /** Records that `sourceId` is now published under `id` (after its catalog entry is set). */
  claim(id: string, sourceId: string): void;
}

/**
 * Claims over the catalog: every live entry's when the catalog is fully loaded (`all`), else the
 * site index's id shards plus this run's claims; each candidate is checked against its catalog entry.
 */
export function createIdClaims(catalog: ItemCatalog, index: SiteIndex | null, all: boolean): IdClaims {
  const claimed = new Map<string, Set<string>>();
  const add = (id: string, sourceId: string): void => {
    const set = claimed.get(id);
    if (set) set.add(sourceId);
    else claimed.set(id, new Set([sourceId]));
  };
  if (all)
    for (const entry of catalog.entries()) if (isLive(entry) && entry.id) add(entry.id, entry.sourceId);
  return {
    async holders(id, sourceId) {
      const candidates = new Set(claimed.get(id) ?? []);
      if (!all && index) {
        await index.ids.ensure([id]);
        for (const other of index.ids.get(id) ?? []) candidates.add(other);
      }
      candidates.delete(sourceId);
      if (candidates.size === 0) return [];
      await catalog.ensure(candidates);
      return [...candidates].filter((other) => {
        const entry = catalog.get(other);
        return isLive(entry) && entry.digest !== '' && entry.id === id;
      });
    },
    claim: add,
  };
}

/** State key listing the content files held back for a duplicate id by the last run. */
export const HELD_DUPLICATES_KEY = 'held-duplicates.json';

/** Remote items are collected every run; only content keys need naming to a hinted run. */
function isContentKey(sourceId: string): boolean {
  return !/^[a-z][a-z0-9+.-]*:\/\//i.test(sourceId);
}

/** The content files the last run held back (empty when none, or unreadable). */
export async function readHeldDuplicates(state: Storage): Promise<string[]> {
  const object = await state.get(HELD_DUPLICATES_KEY);
  if (!object) return [];
  try {
    const value = JSON.parse(new TextDecoder().decode(object.body)) as unknown;
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

/** Records the content files this run held back (deletes the key when none). */
export async function saveHeldDuplicates(state: Storage, sourceIds: Iterable<string>): Promise<void> {
  const keys = [...sourceIds].filter(isContentKey).sort();
  if (keys.length === 0) {
    if ((await state.get(HELD_DUPLICATES_KEY)) !== null) await state.delete(HELD_DUPLICATES_KEY);
    return;
  }
  await state.put(HELD_DUPLICATES_KEY, new TextEncoder().encode(`${JSON.stringify(keys)}\n`));
}
