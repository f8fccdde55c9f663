/**
 * Sticky archive pages: a scope's frozen pages (full RFC 5005 archive pages with a successor)
 * kept as key ranges instead of positions, so an item entering or leaving the scope changes the
 * one page whose range holds it, never the pages after it.
 *
 * Frozen page i (0-based, oldest first) holds the members whose feed-order key is newer than page
 * i-1's `last` and not newer than its own `last`; `n` is how many there are now (a page grows or
 * shrinks by one as members come and go, and may end up empty). Members newer than the last
 * frozen page form the open region, cut by position into pages of `pageSize` as before.
 * `settleFrozen` applies the two rules every run ends with, incremental or complete:
 *   - while the frozen pages hold more members than the archive (deletions ate into it), the
 *     newest frozen page is dropped back into the open region;
 *   - while the open region's oldest page is full and has a successor, it freezes: its newest
 *     member's key becomes its `last`.
 * Starting from no frozen page, this is exactly positional paging (plan-archive.ts); a complete
 * run passes the previous runs' `last` keys so both kinds of run agree.
 *
 * Must not: read storage or the clock; depend on where the members come from.
 */
import { compareEntries, type OrderKey } from './item-order.ts';

export interface FrozenPage {
  /** The newest key the page holds (it stays the boundary when that member goes). */
  readonly last: OrderKey;
  /** Members in the page now. */
  readonly n: number;
}

/** Member counts, oldest page first (what planning needs). */
export function frozenCounts(pages: readonly FrozenPage[]): number[] {
  return pages.map((page) => page.n);
}

/** Members held by the frozen pages. */
export function frozenHeld(pages: readonly FrozenPage[]): number {
  let held = 0;
  for (const page of pages) held += page.n;
  return held;
}

/** The 0-based index of the frozen page whose key range holds `key`, or -1 (the open region). */
export function frozenPageOf(pages: readonly FrozenPage[], key: OrderKey): number {
  // The first page whose `last` is not older than the key: compareEntries(key, last) ≥ 0 means
  // the key sorts at or after `last` in feed order (newest first), i.e. it is not newer.
  let lo = 0;
  let hi = pages.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const page = pages[mid] as FrozenPage;
    if (compareEntries(key, page.last) >= 0) hi = mid;
    else lo = mid + 1;
  }
  return lo < pages.length ? lo : -1;
}

/** Frozen pages with these `last` keys, counted over members given oldest first (a complete run). */
export function recountFrozen(lasts: readonly OrderKey[], oldestFirst: readonly OrderKey[]): FrozenPage[] {
  const counts = lasts.map(() => 0);
  const pages = lasts.map((last) => ({ last, n: 0 }));
  for (const member of oldestFirst) {
    const i = frozenPageOf(pages, member);
    if (i < 0) break; // oldest first: every later member is in the open region too
    counts[i] = (counts[i] ?? 0) + 1;
  }
  return lasts.map((last, i) => ({ last, n: counts[i] ?? 0 }));
}

export interface Settled {
  readonly pages: FrozenPage[];
  /** 1-based number of the first page dropped back into the open region, if any. */
  readonly droppedFrom: number | null;
  /** 1-based numbers of the pages frozen by this call. */
  readonly frozen: readonly number[];
}

/**
 * The end-of-run rules (see the header). `archived` = members beyond the current window;
 * `keyAt(p)` is the key at oldest-first position p (only positions inside the archive are asked).
 */
export async function settleFrozen(
  pages: readonly FrozenPage[],
  archived: number,
  pageSize: number,
  keyAt: (oldestFirst: number) => OrderKey | Promise<OrderKey>,
): Promise<Settled> {
  const out = [...pages];
  let held = frozenHeld(out);
  let droppedFrom: number | null = null;
  while (out.length > 0 && held > archived) {
    held -= (out.pop() as FrozenPage).n;
    droppedFrom = out.length + 1;
  }
  const frozen: number[] = [];
  while (archived - held > pageSize) {
    const { published, id, sourceId } = await keyAt(held + pageSize - 1);
    out.push({ last: { published, id, sourceId }, n: pageSize });
    held += pageSize;
    frozen.push(out.length);
  }
  return { pages: out, droppedFrom, frozen };
}
