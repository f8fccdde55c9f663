/**
 * FeedItem[] → FeedDocument: de-duplicated by id, sorted newest first (published, then id
 * for a stable order), `updated` = the newest item's `updated` so that the document's bytes
 * change only when its content does.
 *
 * Must not: read the clock except through the `fallbackUpdated` passed for an empty feed.
 */
import type { FeedDocument, FeedItem, SiteInfo } from '../model.ts';

export function assembleFeed(
  items: readonly FeedItem[],
  site: SiteInfo,
  fallbackUpdated: string,
): FeedDocument {
  const byId = new Map<string, FeedItem>();
  for (const item of items) if (!byId.has(item.id)) byId.set(item.id, item);
  const sorted = [...byId.values()].sort((a, b) =>
    a.published === b.published ? a.id.localeCompare(b.id) : a.published < b.published ? 1 : -1,
  );
  const updated = sorted.reduce<string | null>(
    (max, item) => (max === null || item.updated > max ? item.updated : max),
    null,
  );
  return { site, items: sorted, updated: updated ?? fallbackUpdated };
}
