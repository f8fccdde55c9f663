/**
 * One feed set: a scope (the whole site, a tag or a publisher) + its items → every feed
 * document of that scope, in RSS 2.0, Atom 1.0 and JSON Feed 1.1:
 *   `<base>/feed.xml|atom.xml|feed.json`               current feed (newest feedSize items)
 *   `<base>/feed.xml?limit=L` …                         one per configured L below the item count
 *   `<base>/archive/<n>/feed.xml|atom.xml|feed.json`    RFC 5005 archive pages (plan-archive.ts)
 * Every document advertises the WebSub hubs and its own URL (`rel="self"`, `feed_url`) and
 * the XML ones reference the browser stylesheet. The current feed and each archive page also get
 * one HTML preview for the three formats (`<base>/feed.html`, `<base>/archive/<n>/feed.html`,
 * render-feed-preview.ts), planned with the same items and inputs as the feeds it shows, so it is
 * re-rendered exactly when they are; `?limit` variants share the current feed's preview.
 *
 * Links: current → `prev-archive` = newest page; page n → `prev-archive` n-1, `next-archive`
 * n+1, `current` = the current feed, `<fh:archive/>`. JSON Feed has no archive vocabulary,
 * only `next_url` ("the next, older, items"): current → newest page, page n → page n-1.
 * Limit variants carry no archive links: their prev-archive would skip the items between L
 * and feedSize.
 *
 * Must not: read the clock or config (everything comes in SyndicationOptions).
 * Tunables: IMMUTABLE_TTL_MINUTES.
 */
import type { FeedDocument, FeedItem, RenderedDocument, SiteInfo } from '../model.ts';
import { FEED_CONTENT_TYPES, FEED_FORMAT_LIST, FEED_PATHS, type FeedFormat } from '../render/feed-formats.ts';
import { createFeedLinks, type FeedLinks, PREVIEW_FILE } from '../render/feed-links.ts';
import { IN_MEMORY_ITEMS, type ItemList, type ItemSource, withItems } from '../render/item-source.ts';
import { type PlannedDocument, planDocument, renderPlanned } from '../render/planned-document.ts';
import { renderAtom } from '../render/render-atom.ts';
import { renderFeedPreview } from '../render/render-feed-preview.ts';
import { renderJsonFeed } from '../render/render-json-feed.ts';
import { renderRss } from '../render/render-rss.ts';
import { limitVariantPath } from './limit-query.ts';
import { archivePageCount, planArchive } from './plan-archive.ts';

/** RSS `<ttl>` of an immutable archive page: one year, like its Cache-Control max-age. */
export const IMMUTABLE_TTL_MINUTES = 525_600;

export interface SyndicationOptions {
  readonly feedSize: number;
  readonly archivePageSize: number;
  /** `?limit=` values to publish; only those below the scope's current item count are. */
  readonly feedLimits: readonly number[];
  readonly hubs: readonly string[];
  /** Absolute URL of the XSL stylesheet, or undefined for none. */
  readonly stylesheet?: string;
}

export interface FeedScope<T = FeedItem> {
  /** `''` for the site, `/tags/<slug>`, `/publishers/<slug>`. */
  readonly basePath: string;
  /** The site as this scope's feeds describe it (title and description of the scope). */
  readonly site: SiteInfo;
  /** Newest first. */
  readonly items: ItemList<T>;
  /** Used when a document has no item: the site-wide `updated`. */
  readonly fallbackUpdated: string;
  /** Member counts of the scope's frozen archive pages, oldest first (state/frozen-pages.ts). */
  readonly frozen?: readonly number[];
}

const FORMATS = FEED_FORMAT_LIST;

/** One renderer per row of render/feed-formats.ts (the compiler names a missing one). */
const RENDERERS: Readonly<Record<FeedFormat, (doc: FeedDocument, links: FeedLinks) => string>> = {
  rss: renderRss,
  atom: renderAtom,
  json: renderJsonFeed,
};

/** `updated` of a document = the newest `updated` of ITS items, so it moves only with them. */
function newestUpdated<T>(items: readonly T[], source: ItemSource<T>, fallback: string): string {
  let newest: string | null = null;
  for (const item of items) {
    const updated = source.updatedOf(item);
    if (newest === null || updated > newest) newest = updated;
  }
  return newest ?? fallback;
}

function join(root: string, path: string): string {
  return `${root.replace(/\/+$/, '')}${path}`;
}

/** Route path of a scope's archive page in one format. */
export function archivePagePath(basePath: string, page: number, format: FeedFormat): string {
  return `${basePath}/archive/${page}${FEED_PATHS[format]}`;
}

/** Route path of a scope's archive page preview (HTML). */
export function archivePreviewPath(basePath: string, page: number): string {
  return `${basePath}/archive/${page}${PREVIEW_FILE}`;
}

/** The content type of a feed preview (an HTML page). */
export const PREVIEW_CONTENT_TYPE = 'text/html; charset=utf-8';

/** The feed links of a scope, with hubs and stylesheet. */
export function scopeLinks(
  scope: Pick<FeedScope<unknown>, 'site' | 'basePath'>,
  options: SyndicationOptions,
): FeedLinks {
  return {
    ...createFeedLinks(scope.site, scope.basePath),
    ...(options.hubs.length > 0 ? { hubs: options.hubs } : {}),
    ...(options.stylesheet !== undefined ? { stylesheet: options.stylesheet } : {}),
  };
}

/** Links where every format's URL is the same document's URL in that format. */
function pageLinks(base: FeedLinks, urlOf: (format: FeedFormat) => string): FeedLinks {
  return { ...base, rss: urlOf('rss'), atom: urlOf('atom'), json: urlOf('json') };
}

/** Every feed document of the scope, rendered. */
export function buildFeedSet(scope: FeedScope, options: SyndicationOptions): RenderedDocument[] {
  return planFeedSet(scope, options).map(renderPlanned);
}

/**
 * Every feed document of the scope, planned: each names its inputs (items, site, links) so the
 * publisher can skip rendering one whose inputs did not change (render/planned-document.ts).
 */
export function planFeedSet(scope: FeedScope, options: SyndicationOptions): PlannedDocument[] {
  return planScopeFeeds(scope, options, IN_MEMORY_ITEMS);
}

/**
 * `planFeedSet` over any item source (catalog entries whose bodies load on render). `wantedPage`
 * limits the archive pages planned (an incremental run plans only pages that can have changed);
 * the current feed and its `?limit` variants are always planned.
 */
export function planScopeFeeds<T>(
  scope: FeedScope<T>,
  options: SyndicationOptions,
  source: ItemSource<T>,
  wantedPage: (page: number) => boolean = () => true,
): PlannedDocument[] {
  const { site, basePath } = scope;
  const baseUrl = site.baseUrl;
  const links = scopeLinks(scope, options);
  const frozen = scope.frozen ?? [];
  const plan = planArchive(scope.items, options.feedSize, options.archivePageSize, wantedPage, frozen);
  const pageUrl = (page: number, format: FeedFormat): string =>
    join(baseUrl, archivePagePath(basePath, page, format));
  const newestPage = archivePageCount(scope.items.length, options.feedSize, options.archivePageSize, frozen);
  const documents: PlannedDocument[] = [];
  // Items are shared by the three formats of one document: their inputs are built once.
  const joinedOnce = (name: (item: T) => string): ((items: readonly T[]) => string) => {
    const built = new Map<readonly T[], string>();
    return (items) => {
      let key = built.get(items);
      if (key === undefined) {
        key = items.map(name).join('\n');
        built.set(items, key);
      }
      return key;
    };
  };
  const itemsKey = joinedOnce((item) => source.inputsOf(item));
  const placesKey = joinedOnce((item) => source.placeOf(item));

  const render = (
    format: FeedFormat,
    path: string,
    doc: { site: SiteInfo; items: readonly T[]; updated: string },
    docLinks: FeedLinks,
    immutable = false,
    frozen = false,
  ) => {
    // A frozen archive page names its items by place, not content, and not the `updated` their
    // content sets: an edit to one of its articles leaves it as published (plan-archive.ts); any
    // change of its members, links or site re-renders it.
    const inputs = frozen
      ? [format, doc.site, 'frozen', docLinks, placesKey(doc.items)]
      : [format, doc.site, doc.updated, docLinks, itemsKey(doc.items)];
    documents.push(
      planDocument(
        path,
        FEED_CONTENT_TYPES[format],
        inputs,
        () =>
          withItems(source, doc.items, (items) =>
            RENDERERS[format]({ site: doc.site, items, updated: doc.updated }, docLinks),
          ),
        immutable,
      ),
    );
  };

  // The preview of one feed set: same doc, same inputs as its feeds (frozen pages by place).
  const preview = (
    path: string,
    doc: { site: SiteInfo; items: readonly T[]; updated: string },
    docLinks: FeedLinks,
    archivePage?: number,
    immutable = false,
    frozen = false,
  ) => {
    const inputs = frozen
      ? ['preview', doc.site, 'frozen', docLinks, archivePage, placesKey(doc.items)]
      : ['preview', doc.site, doc.updated, docLinks, archivePage, itemsKey(doc.items)];
    documents.push(
      planDocument(
        path,
        PREVIEW_CONTENT_TYPE,
        inputs,
        () =>
          withItems(source, doc.items, (items) =>
            renderFeedPreview(
              { site: doc.site, items, updated: doc.updated },
              docLinks,
              archivePage === undefined ? {} : { archivePage },
            ),
          ),
        immutable,
      ),
    );
  };

  const currentDoc = {
    site,
    items: plan.current,
    updated: newestUpdated(plan.current, source, scope.fallbackUpdated),
  };
  for (const format of FORMATS) {
    const archiveLinks: Partial<FeedLinks> =
      newestPage === 0
        ? {}
        : format === 'json'
          ? { nextUrl: pageUrl(newestPage, 'json') }
          : { prevArchive: pageUrl(newestPage, format) };
    render(format, `${basePath}${FEED_PATHS[format]}`, currentDoc, { ...links, ...archiveLinks });
  }
  preview(`${basePath}${PREVIEW_FILE}`, currentDoc, links);

  for (const limit of options.feedLimits) {
    if (limit >= plan.current.length) continue;
    const items = plan.current.slice(0, limit);
    const doc = { site, items, updated: newestUpdated(items, source, scope.fallbackUpdated) };
    for (const format of FORMATS) {
      const path = limitVariantPath(`${basePath}${FEED_PATHS[format]}`, limit);
      render(
        format,
        path,
        doc,
        pageLinks(links, (f) => limitVariantPath(links[f], limit)),
      );
    }
  }

  for (const page of plan.pages) {
    const n = page.number;
    const pageSite: SiteInfo = page.immutable ? { ...site, ttlMinutes: IMMUTABLE_TTL_MINUTES } : site;
    const doc = {
      site: pageSite,
      items: page.items,
      updated: newestUpdated(page.items, source, scope.fallbackUpdated),
    };
    for (const format of FORMATS) {
      const navigation: Partial<FeedLinks> =
        format === 'json'
          ? n > 1
            ? { nextUrl: pageUrl(n - 1, 'json') }
            : {}
          : {
              archive: true,
              current: links[format],
              ...(n > 1 ? { prevArchive: pageUrl(n - 1, format) } : {}),
              ...(n < newestPage ? { nextArchive: pageUrl(n + 1, format) } : {}),
            };
      const docLinks = { ...pageLinks(links, (f) => pageUrl(n, f)), ...navigation };
      render(format, archivePagePath(basePath, n, format), doc, docLinks, page.immutable, page.frozen);
    }
    const previewLinks = { ...links, ...pageLinks(links, (f) => pageUrl(n, f)) };
    preview(archivePreviewPath(basePath, n), doc, previewLinks, n, page.immutable, page.frozen);
  }
  return documents;
}
