/**
 * The one table of what kiosque keeps in its state store: each key prefix, what it holds, its
 * format version, and whether it can be rebuilt from the content folder and the settings (a
 * cache) or not (a ledger: first-seen dates, ids issued, upstream validators). A cache may be
 * deleted at any time and the next build rebuilds it; a ledger is never silently reset
 * (docs/derived-state.md).
 *
 * Must not: read storage. The versions here are the ones the modules named below check; bump
 * STATE_RECORD_VERSION or ITEMS_VERSION here when their meaning changes.
 */

/** Format of `state.json` (state-record.ts). */
export const STATE_RECORD_VERSION = 1;
/**
 * What the item catalog and item bodies hold for one item (normalise → FeedItem, to-feed-item.ts).
 * Part of the items settings digest: bumping it re-normalises every item on the next run.
 * 2: titles and names as plain text, input limits, dates and language tags checked (issue 24);
 * images and media in bodies, enclosures (issue 21).
 */
export const ITEMS_VERSION = 2;

export interface StatePrefix {
  readonly prefix: string;
  /** Module that owns the keys. */
  readonly owner: string;
  /** true: derived from content + settings, safe to delete; false: a ledger that must survive. */
  readonly rebuildable: boolean;
}

export const STATE_LAYOUT: readonly StatePrefix[] = [
  { prefix: 'items/', owner: 'state/item-record.ts (ids, slugs, first-seen dates)', rebuildable: false },
  { prefix: 'remote/', owner: 'remote/ (upstream validators, item ledger)', rebuildable: false },
  { prefix: 'index/', owner: 'sources/content-index.ts, chrome-index.ts, story-index.ts', rebuildable: true },
  { prefix: 'catalog/', owner: 'state/item-catalog.ts', rebuildable: true },
  { prefix: 'item-bodies/', owner: 'state/item-bodies.ts', rebuildable: true },
  { prefix: 'site-index/', owner: 'state/site-index.ts, frozen-page-store.ts', rebuildable: true },
  { prefix: 'regenerate-pending.json', owner: 'orchestrate/regenerate.ts', rebuildable: true },
  { prefix: 'lock', owner: 'publish/publish-lock.ts (lock.json, lock-takeover/)', rebuildable: true },
  { prefix: 'held-duplicates.json', owner: 'normalise/id-claims.ts', rebuildable: true },
  {
    prefix: 'state.json',
    owner: 'state/state-record.ts (settings digests, published root)',
    rebuildable: true,
  },
];

/** The prefix holding the item ledger: its absence next to a published site means lost state. */
export const ITEM_LEDGER_PREFIX = 'items/';
