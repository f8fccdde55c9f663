/**
 * RFC 5005 archive plan: items (newest first) → the current feed's items and the archive
 * pages of everything older.
 *
 * - The current feed holds the newest `feedSize` items.
 * - Older items are cut into pages of `pageSize`, numbered from the OLDEST (page 1), so a
 *   page's items never change once it is full: new items only ever land in the newest page.
 * - A page is `immutable` once it is full AND its successor exists. Only then are its bytes
 *   final: its `next-archive` link names the successor, which a full page without successor
 *   cannot do yet. The newest page (full or not) is served with ordinary caching.
 * Items are ordered by `published`, which never changes, so no item moves between pages; an
 * edit to an archived article changes that page's content (see README: archives).
 *
 * Must not: render or read anything; page numbers start at 1.
 * Spec: https://www.rfc-editor.org/rfc/rfc5005#section-4
 */
import type { FeedItem } from '../model.ts';

export interface ArchivePage {
  /** 1 = the oldest items. */
  readonly number: number;
  /** Newest first, like every feed document. */
  readonly items: readonly FeedItem[];
  readonly immutable: boolean;
}

export interface ArchivePlan {
  readonly current: readonly FeedItem[];
  /** Oldest page first. */
  readonly pages: readonly ArchivePage[];
}

export function planArchive(items: readonly FeedItem[], feedSize: number, pageSize: number): ArchivePlan {
  if (!Number.isInteger(feedSize) || feedSize < 1 || !Number.isInteger(pageSize) || pageSize < 1) {
    throw new RangeError(
      `planArchive: feedSize and pageSize must be integers ≥ 1, got ${feedSize}, ${pageSize}`,
    );
  }
  const current = items.slice(0, feedSize);
  const older = items.slice(feedSize).reverse();
  const count = Math.ceil(older.length / pageSize);
  const pages: ArchivePage[] = [];
  for (let n = 1; n <= count; n++) {
    const pageItems = older.slice((n - 1) * pageSize, n * pageSize);
    pages.push({
      number: n,
      items: pageItems.reverse(),
      immutable: pageItems.length === pageSize && n < count,
    });
  }
  return { current, pages };
}
