/**
 * Rebuilding lost item-ledger records (`items/`) from what is published: the site's JSON Feed
 * documents (the current feed and every archive page, found through the published manifest)
 * carry each item's id, permalink (whose last segment is the slug), `date_published` and
 * `date_modified`. A file without a record is matched to a published item by the id normalise
 * would mint for it (mint-item-id.ts: explicit id, else URL, else source path); the record
 * rebuilt from it gives the same id, slug and dates, so the next publication is byte for byte
 * the last one (docs/derived-state.md, "State that can and cannot be rebuilt"). The archive
 * pages of every scope also give the frozen page boundaries a rebuilt site index keeps.
 *
 * What a published item cannot tell: the content hash the ledger kept (the observed one is
 * adopted, so an edit made while the state was lost does not move `updated`), and the first-seen
 * date of an item whose file states its own date (that date is taken: `published` is the same).
 *
 * Must not: write storage (regenerate.ts writes the records), read remote/ (the upstream
 * ledger is not rebuilt), or read the clock.
 */
import type { Logger } from '../../ports/logger.ts';
import type { Storage } from '../../ports/storage.ts';
import { IO_CONCURRENCY, mapConcurrent } from '../concurrency/map-concurrent.ts';
import { loadManifest } from '../publish/manifest-store.ts';
import { FEED_PATHS } from '../render/feed-formats.ts';
import type { FrozenPage } from './frozen-pages.ts';
import type { CatalogEntry } from './item-catalog.ts';
import { compareEntries, orderEntries } from './item-order.ts';
import type { ItemObservation, ItemRecord } from './item-record.ts';
import { mintItemId } from './mint-item-id.ts';

/** What the published feeds say of one item. */
export interface PublishedItem {
  readonly slug: string;
  /** ISO-8601 (`toISOString` form, as the ledger writes dates). */
  readonly published: string;
  readonly modified: string;
}

/** What the published JSON Feed documents tell: items by id, each scope's archive pages. */
export interface PublishedFeeds {
  readonly items: ReadonlyMap<string, PublishedItem>;
  /** Scope (`''`, `/tags/<slug>`, …) → the id of each archive page's newest item, oldest page first (null: empty). */
  readonly archives: ReadonlyMap<string, readonly (string | null)[]>;
}

/**
 * `/tags/x/archive/3/feed.json` → ['/tags/x', 3]; `/feed.json` → ['', 0]; `/tags/x/feed.json` →
 * ['/tags/x', 0]; null for another route. A topic's current feed counts: it may be the only one
 * that shows an edit to an item whose site archive page is frozen.
 */
function jsonFeedRoute(route: string): readonly [string, number] | null {
  const match = /^(.*)\/archive\/(\d+)(\/[^/]+)$/.exec(route);
  if (match) return match[3] === FEED_PATHS.json ? [match[1] ?? '', Number(match[2])] : null;
  if (!route.endsWith(FEED_PATHS.json)) return null;
  const scope = route.slice(0, -FEED_PATHS.json.length);
  return scope === '' || /^\/(tags|publishers)\/[^/]+$/.test(scope) ? [scope, 0] : null;
}

function isoOf(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/** `https://example.org/articles/some-slug` → `some-slug`; null for another shape. */
function slugOf(url: unknown): string | null {
  if (typeof url !== 'string') return null;
  const match = /\/articles\/([^/?#]+)$/.exec(url);
  if (!match?.[1]) return null;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return null;
  }
}

/**
 * What the published JSON Feed documents say (every scope's current feed and archive pages):
 * the items, and each scope's archive pages; null when nothing usable is published (no
 * manifest, no current JSON Feed, a feed missing or not JSON).
 */
export async function readPublishedFeeds(published: Storage): Promise<PublishedFeeds | null> {
  try {
    const manifest = await loadManifest(published);
    if (manifest === null) return null;
    const routes = Object.keys(manifest.documents).flatMap((route) => {
      const parsed = jsonFeedRoute(route);
      // Every scope's current feed and archive pages (not the `?limit` variants: subsets).
      return parsed ? [{ route, scope: parsed[0], page: parsed[1] }] : [];
    });
    if (!routes.some((r) => r.route === FEED_PATHS.json)) return null;
    const feeds = await mapConcurrent(routes, IO_CONCURRENCY, async ({ route, scope, page }) => {
      const key = manifest.documents[route]?.key ?? '';
      const stored = await published.get(key);
      if (!stored) throw new Error(`${route} (${key}) is missing`);
      const feed = JSON.parse(new TextDecoder().decode(stored.body)) as { items?: unknown };
      return { scope, page, items: feed.items };
    });
    const items = new Map<string, PublishedItem>();
    const archives = new Map<string, (string | null)[]>();
    for (const feed of feeds) {
      if (!Array.isArray(feed.items)) return null;
      if (feed.page > 0) {
        const pages = archives.get(feed.scope) ?? [];
        const newest = (feed.items as Record<string, unknown>[])[0]?.id;
        pages[feed.page - 1] = typeof newest === 'string' ? newest : null;
        archives.set(feed.scope, pages);
      }
      for (const item of feed.items as Record<string, unknown>[]) {
        const slug = slugOf(item.url);
        const datePublished = isoOf(item.date_published);
        const modified = isoOf(item.date_modified) ?? datePublished;
        if (typeof item.id !== 'string' || slug === null || datePublished === null || modified === null)
          continue;
        // A frozen archive page keeps an edited item as it was (it names items by place): the
        // newest date_modified any feed shows is the item as last published.
        const seen = items.get(item.id);
        if (!seen || seen.modified < modified)
          items.set(item.id, { slug, published: datePublished, modified });
      }
    }
    return { items, archives };
  } catch {
    return null;
  }
}

export interface LedgerRecovery {
  /** Whether a published item holds this slug: a file starting fresh must not take it. */
  holdsSlug(slug: string): Promise<boolean>;
  /**
   * The record the published feeds give a file that has none, or null (nothing published under
   * its id, or another file already claimed it). The observed content hash is adopted.
   */
  recover(observed: Omit<ItemObservation, 'slug'>): Promise<ItemRecord | null>;
  /**
   * Each scope's frozen archive page boundaries as published (every archive page but the newest
   * is frozen in a settled index, frozen-pages.ts): the newest item of each, found among the
   * catalog's entries. A scope stops at a page whose newest item is not there.
   */
  frozenPages(entries: readonly CatalogEntry[]): Promise<Map<string, FrozenPage[]>>;
  /** Files given a record, files that start fresh. */
  counts(): { readonly recovered: number; readonly fresh: number };
}

function frozenPagesOf(
  archives: PublishedFeeds['archives'],
  entries: readonly CatalogEntry[],
): Map<string, FrozenPage[]> {
  const byId = new Map<string, CatalogEntry>();
  for (const entry of orderEntries(entries)) byId.set(entry.id, entry);
  const out = new Map<string, FrozenPage[]>();
  for (const [scope, pages] of archives) {
    const frozen: FrozenPage[] = [];
    for (let n = 0; n < pages.length - 1; n++) {
      const entry = byId.get(pages[n] ?? '');
      const previous = frozen[frozen.length - 1];
      // Oldest page first: each boundary must be newer in feed order than the one before.
      if (!entry || (previous && compareEntries(entry, previous.last) >= 0)) break;
      frozen.push({ last: { published: entry.published, id: entry.id, sourceId: entry.sourceId }, n: 0 });
    }
    if (frozen.length > 0) out.set(scope, frozen);
  }
  return out;
}

/**
 * Recovery over published items loaded on first use (`load` runs at most once). When they
 * cannot be read, every file starts fresh and one warning says so.
 */
export function createLedgerRecovery(
  load: () => Promise<PublishedFeeds | null>,
  logger: Logger,
): LedgerRecovery {
  let loading: Promise<{
    byId: ReadonlyMap<string, PublishedItem>;
    slugs: ReadonlySet<string>;
    archives: PublishedFeeds['archives'];
  }> | null = null;
  const table = () => {
    loading ??= load().then((feeds) => {
      if (feeds === null)
        logger.warn('the published feeds cannot be read: files without an item record start fresh');
      const items = feeds?.items ?? new Map<string, PublishedItem>();
      return {
        byId: items,
        slugs: new Set([...items.values()].map((item) => item.slug)),
        archives: feeds?.archives ?? new Map(),
      };
    });
    return loading;
  };
  const claimed = new Set<string>();
  let recovered = 0;
  let fresh = 0;
  return {
    async holdsSlug(slug) {
      return (await table()).slugs.has(slug);
    },
    async recover(observed) {
      const id = await mintItemId(observed.identityKey);
      const item = (await table()).byId.get(id);
      // Two files claiming one id: only one was published; the first here takes its record.
      if (item === undefined || claimed.has(id)) {
        fresh++;
        return null;
      }
      claimed.add(id);
      recovered++;
      return {
        sourceId: observed.sourceId,
        id,
        slug: item.slug,
        firstSeen: item.published,
        contentHash: observed.contentHash,
        changedAt: item.modified > item.published ? item.modified : null,
      };
    },
    frozenPages: async (entries) => frozenPagesOf((await table()).archives, entries),
    counts: () => ({ recovered, fresh }),
  };
}

/**
 * The record of a file whose record is missing while the item catalog still holds its entry (the
 * ledger deleted, the caches kept): the entry carries the id, slug and dates the item was
 * published with. Null for an entry that was never published (held back).
 */
export function recordFromEntry(entry: CatalogEntry, contentHash: string): ItemRecord | null {
  if (!entry.id || !entry.slug || !entry.published) return null;
  return {
    sourceId: entry.sourceId,
    id: entry.id,
    slug: entry.slug,
    firstSeen: entry.published,
    contentHash,
    changedAt: entry.updated > entry.published ? entry.updated : null,
  };
}
