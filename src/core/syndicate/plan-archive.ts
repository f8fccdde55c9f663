/**
 * RFC 5005 archive plan: items (newest first) → the current feed's items and the archive
 * pages of everything older.
 *
 * - The current feed holds the newest `feedSize` items.
 * - Older items are cut into pages of `pageSize`, numbered from the OLDEST (page 1), so a
 *   page's items never change once it is full: new items only ever land in the newest page.
 * - A page is `immutable` (frozen) once it is full AND its successor exists. Only then are its
 *   bytes final: its `next-archive` link names the successor, which a full page without
 *   successor cannot do yet. The newest page (full or not) is served with ordinary caching.
 * Items are ordered by `published`, which never changes, so no item moves between pages. A
 * frozen page is rendered when it freezes and again only when its members, links or site change,
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
  readonly immutable: boolean;
}

export interface ArchivePlan<T = FeedItem> {
  readonly current: readonly T[];
  /** Oldest page first. */
  readonly pages: readonly ArchivePage<T>[];
}

/** Archive pages needed for `count` items (items beyond the current feed, `pageSize` per page). */
export function archivePageCount(count: number, feedSize: number, pageSize: number): number {
  return Math.ceil(Math.max(0, count - feedSize) / pageSize);
}

/**
 * Generic over the item type (FeedItems, or catalog entries when planning without bodies).
 * `wanted(n)` limits which pages are materialised (the others are left out of `pages`; page
 * numbers and `immutable` are unaffected): an incremental run plans only pages that can change.
 */
export function planArchive<T = FeedItem>(
  items: ItemList<T>,
  feedSize: number,
  pageSize: number,
  wanted: (page: number) => boolean = () => true,
): ArchivePlan<T> {
  if (!Number.isInteger(feedSize) || feedSize < 1 || !Number.isInteger(pageSize) || pageSize < 1) {
    throw new RangeError(
      `planArchive: feedSize and pageSize must be integers ≥ 1, got ${feedSize}, ${pageSize}`,
    );
  }
  const current = items.slice(0, feedSize);
  const older = items.length - feedSize;
  const count = archivePageCount(items.length, feedSize, pageSize);
  const pages: ArchivePage<T>[] = [];
  for (let n = 1; n <= count; n++) {
    if (!wanted(n)) continue;
    // Oldest-first positions [(n-1)·pageSize, n·pageSize) = newest-first indexes counted from the end.
    const end = items.length - (n - 1) * pageSize;
    const start = Math.max(feedSize, items.length - n * pageSize);
    const pageItems = items.slice(start, end);
    pages.push({
      number: n,
      items: pageItems,
      immutable: pageItems.length === pageSize && n < count && older > 0,
    });
  }
  return { current, pages };
}
