/**
 * Rebuilding lost item-ledger records (`items/`) from what is published: the site's JSON Feed
 * documents (the current feed and every archive page, found through the published manifest)
 * carry each item's id, permalink (whose last segment is the slug), `date_published` and
 * `date_modified`. A file without a record is matched to a published item by the id normalise
 * would mint for it (mint-item-id.ts: explicit id, else URL, else source path); the record
 * rebuilt from it gives the same id, slug and dates, so the next publication is byte for byte
 * the last one (docs/derived-state.md, "State that can and cannot be rebuilt").
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
import type { ItemObservation, ItemRecord } from '../normalise/item-record.ts';
import { mintItemId } from '../normalise/mint-item-id.ts';
import { loadManifest } from '../pipeline/manifest-store.ts';
import { IO_CONCURRENCY, mapConcurrent } from '../pipeline/map-concurrent.ts';
import { FEED_PATHS } from '../render/feed-links.ts';

/** What the published feeds say of one item. */
export interface PublishedItem {
  readonly slug: string;
  /** ISO-8601 (`toISOString` form, as the ledger writes dates). */
  readonly published: string;
  readonly modified: string;
}

/** The site scope's JSON Feed documents: `/feed.json` and `/archive/<n>/feed.json`. */
function isSiteJsonFeed(route: string): boolean {
  if (route === FEED_PATHS.json) return true;
  const match = /^\/archive\/\d+(\/.*)$/.exec(route);
  return match?.[1] === FEED_PATHS.json;
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
 * Item id → what the published feeds say of it; null when nothing usable is published (no
 * manifest, no current JSON Feed, a feed missing or not JSON).
 */
export async function readPublishedItems(published: Storage): Promise<Map<string, PublishedItem> | null> {
  try {
    const manifest = await loadManifest(published);
    if (manifest === null) return null;
    const routes = Object.keys(manifest.documents).filter(isSiteJsonFeed);
    if (!routes.includes(FEED_PATHS.json)) return null;
    const feeds = await mapConcurrent(routes, IO_CONCURRENCY, async (route) => {
      const key = manifest.documents[route]?.key ?? '';
      const stored = await published.get(key);
      if (!stored) throw new Error(`${route} (${key}) is missing`);
      return JSON.parse(new TextDecoder().decode(stored.body)) as { items?: unknown };
    });
    const items = new Map<string, PublishedItem>();
    for (const feed of feeds) {
      if (!Array.isArray(feed.items)) return null;
      for (const item of feed.items as Record<string, unknown>[]) {
        const slug = slugOf(item.url);
        const datePublished = isoOf(item.date_published);
        const modified = isoOf(item.date_modified) ?? datePublished;
        if (typeof item.id !== 'string' || slug === null || datePublished === null || modified === null)
          continue;
        if (!items.has(item.id)) items.set(item.id, { slug, published: datePublished, modified });
      }
    }
    return items;
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
  /** Files given a record, files that start fresh. */
  counts(): { readonly recovered: number; readonly fresh: number };
}

/**
 * Recovery over published items loaded on first use (`load` runs at most once). When they
 * cannot be read, every file starts fresh and one warning says so.
 */
export function createLedgerRecovery(
  load: () => Promise<ReadonlyMap<string, PublishedItem> | null>,
  logger: Logger,
): LedgerRecovery {
  let loading: Promise<{ byId: ReadonlyMap<string, PublishedItem>; slugs: ReadonlySet<string> }> | null =
    null;
  const table = () => {
    loading ??= load().then((byId) => {
      if (byId === null)
        logger.warn('the published feeds cannot be read: files without an item record start fresh');
      const items = byId ?? new Map<string, PublishedItem>();
      return { byId: items, slugs: new Set([...items.values()].map((item) => item.slug)) };
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
    counts: () => ({ recovered, fresh }),
  };
}
