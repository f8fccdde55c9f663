/**
 * How planning sees items: `inputsOf` names what every renderer reads of one item (equal strings →
 * byte-identical output), `placeOf` names only which item it is and where it sorts (what a frozen
 * archive page's inputs hold: see syndicate/plan-archive.ts), `updatedOf` gives its `updated`
 * date, and `load` turns the planned items into full FeedItems only when a document is actually
 * rendered.
 *
 * Two sources exist: FeedItems themselves (everything in memory: tests, `buildDocuments`), and
 * catalog entries whose bodies load from state (core/state/item-bodies.ts), so a run over
 * 100,000 articles plans from compact rows and reads only the bodies of documents it renders.
 *
 * Must not: read storage or the clock itself (a source's `load` may, behind its own port).
 */
import type { FeedItem } from '../model.ts';
import { itemInputs, itemPlace } from './planned-document.ts';

/**
 * Newest-first items as planning reads them: a length and slices. Arrays are ItemLists; an
 * incremental run passes lists that hold only the ranges it planned (plan/site-view.ts).
 */
export interface ItemList<T> {
  readonly length: number;
  slice(start: number, end?: number): readonly T[];
}

export interface ItemSource<T> {
  inputsOf(item: T): string;
  /** The item's identity and feed-order key (source id, id, published), never its content. */
  placeOf(item: T): string;
  updatedOf(item: T): string;
  load(items: readonly T[]): readonly FeedItem[] | Promise<readonly FeedItem[]>;
}

/** FeedItems already in memory: loading is the identity (so rendering stays synchronous). */
export const IN_MEMORY_ITEMS: ItemSource<FeedItem> = {
  inputsOf: itemInputs,
  placeOf: itemPlace,
  updatedOf: (item) => item.updated,
  load: (items) => items,
};

/** Renders with the loaded items: synchronously when the source loads synchronously. */
export function withItems<T>(
  source: ItemSource<T>,
  items: readonly T[],
  render: (items: readonly FeedItem[]) => string,
): string | Promise<string> {
  const loaded = source.load(items);
  return loaded instanceof Promise ? loaded.then(render) : render(loaded);
}
