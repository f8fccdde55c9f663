/**
 * Where the site index keeps each scope's frozen archive pages (frozen-pages.ts): their member
 * counts in the head, run-length coded, and their boundary keys in one object per scope
 * (`site-index/frozen/<hash>.json`), read on the first use by a run that touches the scope and
 * written only when the keys change (a page froze or dropped; a count change keeps every key).
 * Objects are named by scope and content, so a stored head always names complete objects.
 * Version 2 heads held the keys inline: `parseInlineFrozen` reads them for an in-place upgrade.
 *
 * Must not: decide which pages freeze (frozen-pages.ts), write the head or delete objects (the
 * site index does both, after the head is written).
 */
import type { Storage } from '../../ports/storage.ts';
import { sha256Hex } from '../digest/hash.ts';
import { DamagedStateError } from './damaged-state.ts';
import type { FrozenPage } from './frozen-pages.ts';
import type { OrderKey } from './item-order.ts';
import type { ScopeList } from './scope-list.ts';
import type { ScopeState } from './scope-state.ts';

/** One object per scope with frozen pages: their boundary keys, oldest first. */
export const FROZEN_PREFIX = 'site-index/frozen/';

/** [object holding the keys (hex name), member counts as [count, pages in a row] runs] */
export type StoredFrozen = [string, [number, number][]];

/** Counts → runs of equal counts (most frozen pages hold exactly `archivePageSize`). */
function encodeCounts(counts: readonly number[]): [number, number][] {
  const runs: [number, number][] = [];
  for (const n of counts) {
    const last = runs[runs.length - 1];
    if (last && last[0] === n) last[1]++;
    else runs.push([n, 1]);
  }
  return runs;
}

function decodeCounts(value: unknown): number[] | null {
  if (!Array.isArray(value)) return null;
  const counts: number[] = [];
  for (const run of value) {
    if (
      !Array.isArray(run) ||
      !Number.isInteger(run[0]) ||
      run[0] < 0 ||
      !Number.isInteger(run[1]) ||
      run[1] < 1
    ) {
      return null;
    }
    for (let i = 0; i < run[1]; i++) counts.push(run[0]);
  }
  return counts;
}

export function parseStoredFrozen(value: unknown): { ref: string; counts: number[] } | null {
  if (value === undefined) return { ref: '', counts: [] };
  if (!Array.isArray(value) || typeof value[0] !== 'string' || !/^[0-9a-f]{32}$/.test(value[0])) return null;
  const counts = decodeCounts(value[1]);
  return counts && counts.length > 0 ? { ref: value[0], counts } : null;
}

/** Version 2 heads held every frozen page inline: [published, id, source id, count] rows. */
export const INLINE_FROZEN_VERSION = 2;

export function parseInlineFrozen(value: unknown): FrozenPage[] | null {
  if (value === undefined) return [];
  if (!Array.isArray(value)) return null;
  const pages: FrozenPage[] = [];
  for (const row of value) {
    if (
      !Array.isArray(row) ||
      typeof row[0] !== 'string' ||
      typeof row[1] !== 'string' ||
      typeof row[2] !== 'string' ||
      !Number.isInteger(row[3])
    ) {
      return null;
    }
    pages.push({ last: { published: row[0], id: row[1], sourceId: row[2] }, n: row[3] });
  }
  return pages;
}

/** The name of a scope's keys object: a digest of the scope and the object's text. */
async function frozenRef(scopeKey: string, text: string): Promise<string> {
  return (await sha256Hex(`${scopeKey}\n${text}`)).slice(0, 32);
}

export function frozenKeyOf(ref: string): string {
  return `${FROZEN_PREFIX}${ref}.json`;
}

/** [published, id, source id] of each frozen page's newest key, oldest page first. */
function parseFrozenKeys(key: string, body: Uint8Array): OrderKey[] {
  let rows: unknown;
  try {
    rows = JSON.parse(new TextDecoder().decode(body));
  } catch {
    throw new DamagedStateError(`site index object ${key} is not JSON`);
  }
  if (!Array.isArray(rows)) throw new DamagedStateError(`site index object ${key} is not an array`);
  return rows.map((row: unknown) => {
    if (!Array.isArray(row) || row.length !== 3 || !row.every((part) => typeof part === 'string')) {
      throw new DamagedStateError(`site index object ${key} has a malformed row`);
    }
    return { published: row[0] as string, id: row[1] as string, sourceId: row[2] as string };
  });
}

/**
 * One scope's frozen pages: counts always in memory, keys read from state on first use. Saving
 * rewrites the keys object only when a page froze or dropped (a count change keeps every key).
 */
export interface FrozenSlot {
  readonly state: ScopeState;
  /** The keys object the loaded head names ('' for none). */
  readonly storedRef: string;
  /** The head's value for this scope, writing the keys object first if they changed. */
  store(): Promise<{ stored: StoredFrozen | null; retired: string | null }>;
}

export function frozenSlot(
  storage: Storage,
  scopeKey: string,
  list: ScopeList,
  spellings: Map<string, number>,
  stored: { ref: string; counts: number[] },
  loaded: FrozenPage[] | null,
): FrozenSlot {
  let counts = stored.counts;
  // A scope without frozen pages has nothing to read.
  let pages: FrozenPage[] | null = loaded ?? (stored.ref === '' ? [] : null);
  /** The keys as stored (identity): what `store` compares with. */
  let storedLasts: readonly OrderKey[] = [];
  let loading: Promise<FrozenPage[]> | null = null;
  const state: ScopeState = {
    list,
    spellings,
    frozenCounts: () => (pages ? pages.map((page) => page.n) : [...counts]),
    frozenPages() {
      if (pages) return Promise.resolve(pages);
      loading ??= (async () => {
        const key = frozenKeyOf(stored.ref);
        const body = await storage.get(key);
        if (!body) throw new DamagedStateError(`site index object ${key} is missing`);
        // Named by a digest of its content: other bytes under the name are damage.
        if ((await frozenRef(scopeKey, new TextDecoder().decode(body.body))) !== stored.ref)
          throw new DamagedStateError(`site index object ${key} does not match its name`);
        const lasts = parseFrozenKeys(key, body.body);
        if (lasts.length !== counts.length) {
          throw new DamagedStateError(
            `site index object ${key} holds ${lasts.length} keys for ${counts.length} pages`,
          );
        }
        storedLasts = lasts;
        pages ??= lasts.map((last, i) => ({ last, n: counts[i] ?? 0 }));
        return pages;
      })();
      return loading;
    },
    setFrozen(next) {
      pages = next;
      counts = next.map((page) => page.n);
    },
  };
  return {
    state,
    storedRef: stored.ref,
    async store() {
      const now = state.frozenCounts();
      if (now.length === 0) return { stored: null, retired: stored.ref || null };
      const runs = encodeCounts(now);
      const unchanged =
        pages === null ||
        (stored.ref !== '' &&
          pages.length === storedLasts.length &&
          pages.every((page, i) => page.last === storedLasts[i]));
      if (unchanged) return { stored: [stored.ref, runs], retired: null };
      const rows = (pages as FrozenPage[]).map((page) => [
        page.last.published,
        page.last.id,
        page.last.sourceId,
      ]);
      const text = JSON.stringify(rows);
      const body = new TextEncoder().encode(text);
      // Named by scope and content: two scopes with the same boundaries never share an object.
      const ref = await frozenRef(scopeKey, text);
      if (ref !== stored.ref) await storage.put(frozenKeyOf(ref), body);
      return { stored: [ref, runs], retired: stored.ref !== '' && stored.ref !== ref ? stored.ref : null };
    },
  };
}
