/**
 * Feed order over catalog entries: newest first (published), then id, then source id — the order
 * every feed, page and scope list uses — and the one-entry-per-id rule (regenerate holds back a
 * second source giving an id already held, id-claims.ts; this rule is the backstop: the first in
 * feed order is the item).
 *
 * Must not: read storage or the clock.
 */
import type { CatalogEntry } from './item-catalog.ts';

/** The fields feed order reads. */
export type OrderKey = Pick<CatalogEntry, 'published' | 'id' | 'sourceId'>;

/** Negative when `a` comes first in feed order. */
export function compareEntries(a: OrderKey, b: OrderKey): number {
  if (a.published !== b.published) return a.published < b.published ? 1 : -1;
  if (a.id !== b.id) return a.id < b.id ? -1 : 1;
  return a.sourceId < b.sourceId ? -1 : a.sourceId > b.sourceId ? 1 : 0;
}

/** Published (not held back by the quality gate). */
export function isLive(entry: CatalogEntry | null | undefined): entry is CatalogEntry {
  return entry !== null && entry !== undefined && entry.flag?.heldBack !== true;
}

/** One entry per id, the first in feed order. */
export function dedupeIds<T extends OrderKey>(sorted: readonly T[]): T[] {
  const seen = new Set<string>();
  return sorted.filter((entry) => {
    if (seen.has(entry.id)) return false;
    seen.add(entry.id);
    return true;
  });
}

/** Newest first, one entry per id, live entries only: the items a complete run publishes. */
export function orderEntries(entries: Iterable<CatalogEntry>): CatalogEntry[] {
  return dedupeIds([...entries].filter((entry) => isLive(entry)).sort(compareEntries));
}
