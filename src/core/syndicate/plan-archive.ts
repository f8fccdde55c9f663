/**
 * RFC 5005 archive plan: items (newest first) → the current feed's items and the archive
 * pages of everything older.
 *
 * - The current feed holds the newest `feedSize` items.
 * - Older items are cut into pages numbered from the OLDEST (page 1): first the scope's frozen
 *   pages, given as member counts (their key ranges are kept in the site index,
 *   state/frozen-pages.ts, so an item entering or leaving one changes that page alone), then
 *   pages of `pageSize` by position. Without frozen counts every page is positional.
 * - A page is `immutable` (frozen) once it is full AND its successor exists. Only then are its
 *   bytes final: its `next-archive` link names the successor, which a full page without
 *   successor cannot do yet. The newest page (full or not) is served with ordinary caching.
 * Items are ordered by `published`. A frozen page (`frozen`: one of the given frozen pages, or a
 * full positional page with a successor) is rendered when it freezes and again only when its
 * members, links or site change,
 * never for an edit to one of its articles: it is served `immutable` for a year, and RFC 5005 §4
 * has archive documents stable (the edit is in the article's permalink page and, while the
 * article is in the current window, in the current feeds; `kiosque build --full` re-renders
 * frozen pages with the articles as they are now). See README: archives.
 *
 * Must not: render or read anything; page numbers start at 1.
 * Spec: https://www.rfc-editor.org/rfc/rfc5005#section-4
 */
import type { FeedItem } from '../model.ts';
import type { ItemList } from '../render/item-source.ts';

export interface ArchivePage<T = FeedItem> {
  /** 1 = the oldest items. */
  readonly number: number;
  /** Newest first, like every feed document. */
  readonly items: readonly T[];
  /** Served as final (Cache-Control immutable): frozen, or full, and with a successor. */
  readonly immutable: boolean;
  /** Its inputs name its items by place, not content (see the header). */
  readonly frozen: boolean;
}

export interface ArchivePlan<T = FeedItem> {
  readonly current: readonly T[];
  /** Oldest page first. */
  readonly pages: readonly ArchivePage<T>[];
}

/**
 * Running totals of frozen counts (`[0, n1, n1+n2, …]`), kept per array: a run asks for the
 * span of many pages of one scope (a scope of 100,000 items has 2,000 frozen pages), and
 * summing the counts before each page made that quadratic. Count arrays are never mutated.
 */
const prefixCache = new WeakMap<readonly number[], Float64Array>();

function prefixSums(counts: readonly number[]): Float64Array {
  let prefix = prefixCache.get(counts);
  if (prefix === undefined) {
    prefix = new Float64Array(counts.length + 1);
    for (let i = 0; i < counts.length; i++) prefix[i + 1] = (prefix[i] ?? 0) + (counts[i] ?? 0);
    prefixCache.set(counts, prefix);
  }
  return prefix;
}

function sum(counts: readonly number[]): number {
  return prefixSums(counts)[counts.length] ?? 0;
}

/**
 * Archive pages needed for `count` items (items beyond the current feed): the frozen pages
 * (their member counts, oldest first: state/frozen-pages.ts), then `pageSize` per page.
 */
export function archivePageCount(
  count: number,
  feedSize: number,
  pageSize: number,
  frozen: readonly number[] = [],
): number {
  const archived = Math.max(0, count - feedSize);
  return frozen.length + Math.ceil(Math.max(0, archived - sum(frozen)) / pageSize);
}

/** Newest-first indexes [start, end) of page n's items among `count` items. */
export function archivePageSpan(
  n: number,
  count: number,
  feedSize: number,
  pageSize: number,
  frozen: readonly number[] = [],
): [number, number] {
  // Oldest-first positions [from, to): frozen pages by their counts, then pageSize each.
  let from: number;
  let to: number;
  if (n <= frozen.length) {
    from = prefixSums(frozen)[n - 1] ?? 0;
    to = from + (frozen[n - 1] ?? 0);
  } else {
    from = sum(frozen) + (n - frozen.length - 1) * pageSize;
    to = Math.min(Math.max(0, count - feedSize), from + pageSize);
  }
  return [count - to, count - from];
}

/**
 * Generic over the item type (FeedItems, or catalog entries when planning without bodies).
 * `wanted(n)` limits which pages are materialised (the others are left out of `pages`; page
 * numbers and `immutable` are unaffected): an incremental run plans only pages that can change.
 * `frozen`: the member counts of the scope's frozen pages, oldest first (none: positional).
 */
export function planArchive<T = FeedItem>(
  items: ItemList<T>,
  feedSize: number,
  pageSize: number,
  wanted: (page: number) => boolean = () => true,
  frozen: readonly number[] = [],
): ArchivePlan<T> {
  if (!Number.isInteger(feedSize) || feedSize < 1 || !Number.isInteger(pageSize) || pageSize < 1) {
    throw new RangeError(
      `planArchive: feedSize and pageSize must be integers ≥ 1, got ${feedSize}, ${pageSize}`,
    );
  }
  const current = items.slice(0, feedSize);
  const older = Math.max(0, items.length - feedSize);
  if (sum(frozen) > older) {
    throw new RangeError(`planArchive: frozen pages hold ${sum(frozen)} items, the archive ${older}`);
  }
  const count = archivePageCount(items.length, feedSize, pageSize, frozen);
  const pages: ArchivePage<T>[] = [];
  for (let n = 1; n <= count; n++) {
    if (!wanted(n)) continue;
    const [start, end] = archivePageSpan(n, items.length, feedSize, pageSize, frozen);
    const pageItems = items.slice(start, end);
    const isFrozen = n <= frozen.length;
    pages.push({
      number: n,
      items: pageItems,
      frozen: isFrozen || (pageItems.length === pageSize && n < count),
      immutable: n < count && (isFrozen || pageItems.length === pageSize),
    });
  }
  return { current, pages };
}
