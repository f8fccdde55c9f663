/**
 * Memoised per-item fragments: an item's rendered `<item>`, `<entry>` or JSON Feed object text
 * depends on the item alone, and one run renders the same item into many documents (the current
 * feed and its `?limit` prefixes, each of its tags' and its publisher's feeds, archive pages). The
 * body loader hands every document the same FeedItem object for one item, so a WeakMap keyed by
 * that object renders each fragment once per run and frees it with the item.
 *
 * Must not: key on anything but the item object (FeedItems are never mutated), or hold items alive.
 */
import type { FeedItem } from '../model.ts';

/** `render` memoised per item object. */
export function memoisePerItem(render: (item: FeedItem) => string): (item: FeedItem) => string {
  const cache = new WeakMap<FeedItem, string>();
  return (item) => {
    let out = cache.get(item);
    if (out === undefined) {
      out = render(item);
      cache.set(item, out);
    }
    return out;
  };
}
