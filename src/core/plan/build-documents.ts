/**
 * FeedDocument → every RenderedDocument of one version of the site:
 * - the site's feed set, one per tag (`/tags/<slug>/…`) and one per publisher
 *   (`/publishers/<slug>/…`): current feeds, `?limit` variants, RFC 5005 archive pages
 *   (core/syndicate/build-feed-set.ts);
 * - HTML: the index (items, feeds, tags, publishers), one page per tag and per publisher,
 *   one permalink page per item (linking its tag feeds);
 * - `/feed.xsl` (browser view of RSS/Atom), `/opml.xml` (every feed), `/robots.txt`.
 * Every item keeps its permalink page, whatever the feed size.
 *
 * Must not: read the clock, storage or config; decide what changed (publish does).
 * Defaults of the syndication options: DEFAULT_SYNDICATION below (config overrides them).
 */
import type { FeedDocument, FeedItem, RenderedDocument, SiteInfo } from '../model.ts';
import { FEED_CONTENT_TYPES } from '../render/feed-formats.ts';
import { createFeedLinks, type FeedLinks } from '../render/feed-links.ts';
import { localeFor } from '../render/i18n/translate.ts';
import { IN_MEMORY_ITEMS, type ItemList, type ItemSource, withItems } from '../render/item-source.ts';
import { type PlannedDocument, planDocument, renderPlanned } from '../render/planned-document.ts';
import { renderFeedXsl } from '../render/render-feed-xsl.ts';
import {
  renderArticlePage,
  renderIndexPage,
  type SiteDirectory,
  type TopicLink,
} from '../render/render-html-pages.ts';
import { type OpmlGroup, renderOpml } from '../render/render-opml.ts';
import { renderRobots } from '../render/render-robots.ts';
import {
  type FeedScope,
  planScopeFeeds,
  type SyndicationOptions,
  scopeLinks,
} from '../syndicate/build-feed-set.ts';
import { publishersOf, selectTopics } from '../syndicate/select-topics.ts';
import { topicSlug } from '../syndicate/topic-slug.ts';

export const CONTENT_TYPES = {
  ...FEED_CONTENT_TYPES,
  html: 'text/html; charset=utf-8',
  // text/xsl is what browsers (Chromium, Firefox) accept for <?xml-stylesheet type="text/xsl"?>.
  xsl: 'text/xsl; charset=utf-8',
  opml: 'text/x-opml; charset=utf-8',
  text: 'text/plain; charset=utf-8',
} as const;

export const STATIC_PATHS = { xsl: '/feed.xsl', opml: '/opml.xml', robots: '/robots.txt' } as const;

export const DEFAULT_SYNDICATION: Omit<SyndicationOptions, 'feedSize' | 'stylesheet'> = {
  archivePageSize: 50,
  feedLimits: [10, 25],
  hubs: [],
};

export type BuildOptions = Partial<Omit<SyndicationOptions, 'feedSize' | 'stylesheet'>>;

interface ScopedTopic<T> {
  readonly topic: TopicView<T>;
  readonly scope: FeedScope<T>;
  readonly link: TopicLink;
}

function scopeSite(site: SiteInfo, title: string, description: string): SiteInfo {
  return { ...site, title: `${title} — ${site.title}`, description };
}

/** Renders the site; current feeds get the newest `feedSize` items, older ones go to archives. */
export function buildDocuments(
  doc: FeedDocument,
  feedSize: number,
  build: BuildOptions = {},
): RenderedDocument[] {
  return planDocuments(doc, feedSize, build).map(renderPlanned);
}

/**
 * The same documents, planned (render/planned-document.ts): the publisher renders only those
 * whose inputs changed since the live manifest, so an incremental run stays proportional.
 */
export function planDocuments(
  doc: FeedDocument,
  feedSize: number,
  build: BuildOptions = {},
): PlannedDocument[] {
  return planSite(
    { site: doc.site, items: doc.items, updated: doc.updated, source: IN_MEMORY_ITEMS, item: (i) => i },
    feedSize,
    build,
  );
}

/** Newest first, de-duplicated: what a site is planned from, over any item type. */
export interface SiteItems<T> {
  readonly site: SiteInfo;
  readonly items: readonly T[];
  /** The site-wide `updated` (newest item's), for documents without items. */
  readonly updated: string;
  readonly source: ItemSource<T>;
  /** The fields of an item that topics, slugs and page paths need. */
  item(item: T): Pick<FeedItem, 'slug' | 'tags' | 'publisher'>;
  /** A scope's frozen archive pages (member counts, oldest first); absent → positional pages. */
  frozen?(basePath: string): readonly number[];
}

/**
 * Which documents to plan from in-memory items (tests and tools; an incremental run selects
 * through the site index instead: index-changes.ts, site-view.ts). Absent → everything. The home page, `/feed.xsl`, `/opml.xml` and `/robots.txt` are always planned.
 */
export interface SiteSelection<T> {
  /** A scope (`''`, `/tags/<slug>`, `/publishers/<slug>`) → the archive pages to plan, or null to plan none of its documents. */
  scope(basePath: string): ((page: number) => boolean) | null;
  /** Whether the item's permalink page is planned. */
  article(item: T): boolean;
}

/** Plans every document of the site (or the selected ones) from items of any source. */
export function planSite<T>(
  input: SiteItems<T>,
  feedSize: number,
  build: BuildOptions = {},
  selection?: SiteSelection<T>,
): PlannedDocument[] {
  const frozenOf = (basePath: string): { frozen?: readonly number[] } => {
    const frozen = input.frozen?.(basePath);
    return frozen && frozen.length > 0 ? { frozen } : {};
  };
  const topics = (prefix: string, labelsOf: (item: T) => readonly string[]): TopicView<T>[] =>
    selectTopics(input.items, labelsOf).map(({ slug, label, items }) => ({
      slug,
      label,
      items,
      ...frozenOf(`${prefix}/${slug}`),
    }));
  return planSiteView(
    {
      site: input.site,
      items: input.items,
      updated: input.updated,
      source: input.source,
      ...frozenOf(''),
      tags: topics('/tags', (item) => input.item(item).tags),
      publishers: topics('/publishers', (item) => publishersOf(input.item(item))),
      articles: (selection ? input.items.filter((item) => selection.article(item)) : input.items).map(
        (entry) => ({ entry, fields: input.item(entry) }),
      ),
      ...(selection ? { scopes: (basePath: string) => selection.scope(basePath) } : {}),
    },
    feedSize,
    build,
  );
}

/** A tag or publisher as planning sees it; `items` may hold only the ranges a run plans. */
export interface TopicView<T> {
  readonly slug: string;
  readonly label: string;
  /** Newest first; only `length` is read when the scope is not planned. */
  readonly items: ItemList<T>;
  /** Member counts of its frozen archive pages, oldest first. */
  readonly frozen?: readonly number[];
}

/**
 * The site as planning reads it, whether from every item in memory (planSite) or from the site
 * index of an incremental run (plan/site-view.ts).
 */
export interface SiteView<T> {
  readonly site: SiteInfo;
  /** Every published item, newest first. */
  readonly items: ItemList<T>;
  /** Member counts of the site's frozen archive pages, oldest first. */
  readonly frozen?: readonly number[];
  /** The home page's and OPML's `updated`, and the site feeds' when there is no item. */
  readonly updated: string;
  readonly source: ItemSource<T>;
  /** Sorted by slug. */
  readonly tags: readonly TopicView<T>[];
  readonly publishers: readonly TopicView<T>[];
  /** Items whose permalink pages are planned, with the fields the page links from. */
  readonly articles: Iterable<{ readonly entry: T; readonly fields: Pick<FeedItem, 'slug' | 'tags'> }>;
  /** Which scopes' documents and archive pages to plan; absent → all of them. */
  readonly scopes?: (basePath: string) => ((page: number) => boolean) | null;
}

/** What the page planners share: the site view, the syndication options and the main scope's links. */
interface PlanContext<T> {
  readonly view: SiteView<T>;
  readonly options: SyndicationOptions;
  readonly feedSize: number;
  readonly main: FeedLinks;
  /** Which archive pages of a scope to plan; null: none of its documents. */
  readonly wanted: (basePath: string) => ((page: number) => boolean) | null;
}

/** Each tag or publisher as a feed scope under `prefix`, with the link pages use. */
function scopedTopics<T>(
  ctx: PlanContext<T>,
  topics: readonly TopicView<T>[],
  prefix: string,
  describe: (label: string) => string,
): ScopedTopic<T>[] {
  const { view, options } = ctx;
  return topics.map((topic) => {
    const scope: FeedScope<T> = {
      basePath: `${prefix}/${topic.slug}`,
      site: scopeSite(view.site, topic.label, describe(topic.label)),
      items: topic.items,
      fallbackUpdated: view.updated,
      ...(topic.frozen ? { frozen: topic.frozen } : {}),
    };
    const feeds = scopeLinks(scope, options);
    return { topic, scope, link: { label: topic.label, page: feeds.home, feeds } };
  });
}

/** What a page's inputs say of its items: their digests, in order. */
function itemsKey<T>(source: ItemSource<T>, items: readonly T[]): string {
  return items.map((item) => source.inputsOf(item)).join('\n');
}

/** The home page, then each planned tag and publisher page. */
function planIndexPages<T>(
  ctx: PlanContext<T>,
  topics: readonly ScopedTopic<T>[],
  directory: SiteDirectory,
): PlannedDocument[] {
  const { view, feedSize, main } = ctx;
  const { site, source } = view;
  const homeItems = view.items.slice(0, feedSize);
  const homeUpdated = view.updated;
  const documents = [
    planDocument(
      '/',
      CONTENT_TYPES.html,
      [site, homeUpdated, main, directory, itemsKey(source, homeItems)],
      () =>
        withItems(source, homeItems, (items) =>
          renderIndexPage({ site, items, updated: homeUpdated }, main, { directory }),
        ),
    ),
  ];
  for (const { scope, link } of topics) {
    if (!ctx.wanted(scope.basePath)) continue;
    const pageItems = scope.items.slice(0, feedSize);
    const backTo = { href: main.home, title: site.title };
    // The page's own newest `updated`, not the site's: a change elsewhere must not touch it.
    const updated = pageItems.reduce(
      (max, item) => (source.updatedOf(item) > max ? source.updatedOf(item) : max),
      '',
    );
    documents.push(
      planDocument(
        scope.basePath,
        CONTENT_TYPES.html,
        [scope.site, updated, link.feeds, backTo, itemsKey(source, pageItems)],
        () =>
          withItems(source, pageItems, (items) =>
            renderIndexPage({ site: scope.site, items, updated }, link.feeds, { backTo }),
          ),
      ),
    );
  }
  return documents;
}

/** One permalink page per planned article, linking the tags it carries. */
function planArticlePages<T>(ctx: PlanContext<T>, tags: readonly ScopedTopic<T>[]): PlannedDocument[] {
  const { site, source } = ctx.view;
  const { main } = ctx;
  const documents: PlannedDocument[] = [];
  const tagLinks = new Map(tags.map((t) => [t.topic.slug, t.link]));
  for (const { entry, fields: item } of ctx.view.articles) {
    // One TopicLink per tag of the item, labelled as the item spells it.
    const itemTopics: TopicLink[] = [];
    const seen = new Set<string>();
    for (const tag of item.tags) {
      const slug = topicSlug(tag);
      const link = tagLinks.get(slug);
      if (link === undefined || seen.has(slug)) continue;
      seen.add(slug);
      itemTopics.push({ ...link, label: tag });
    }
    // Inputs: the item and its tag links, not the site's other items: a new article elsewhere
    // re-renders no other page.
    documents.push(
      planDocument(
        `/articles/${item.slug}`,
        CONTENT_TYPES.html,
        [source.inputsOf(entry), site, main, itemTopics],
        () =>
          withItems(source, [entry], ([full]) => {
            if (!full) throw new Error(`item ${item.slug} could not be loaded`);
            return renderArticlePage(full, site, main, itemTopics);
          }),
      ),
    );
  }
  return documents;
}

/** The feed stylesheet, the OPML subscription list and robots.txt. */
function planStaticDocuments<T>(
  ctx: PlanContext<T>,
  tags: readonly ScopedTopic<T>[],
  publishers: readonly ScopedTopic<T>[],
  opmlUrl: string,
): PlannedDocument[] {
  const { site, updated } = ctx.view;
  const { t } = localeFor(site.language);
  const groups: OpmlGroup[] = [
    { title: t.tags, feeds: tags.map((tag) => ({ title: tag.scope.site.title, links: tag.link.feeds })) },
    {
      title: t.publishers,
      feeds: publishers.map((p) => ({ title: p.scope.site.title, links: p.link.feeds })),
    },
  ];
  return [
    planDocument(STATIC_PATHS.xsl, CONTENT_TYPES.xsl, [site], () => renderFeedXsl(site)),
    planDocument(STATIC_PATHS.opml, CONTENT_TYPES.opml, [site, ctx.main, groups, updated], () =>
      renderOpml(site, ctx.main, groups, updated),
    ),
    planDocument(STATIC_PATHS.robots, CONTENT_TYPES.text, [opmlUrl], () => renderRobots(opmlUrl)),
  ];
}

/**
 * Every document of the view, in publishing order: each planned scope's feeds and archive pages
 * (main, tags, publishers), the home and topic pages, the article pages, then the static documents.
 */
export function planSiteView<T>(
  view: SiteView<T>,
  feedSize: number,
  build: BuildOptions = {},
): PlannedDocument[] {
  const { site, source } = view;
  const root = createFeedLinks(site).home.replace(/\/$/, '');
  const options: SyndicationOptions = {
    ...DEFAULT_SYNDICATION,
    ...build,
    feedSize,
    stylesheet: `${root}${STATIC_PATHS.xsl}`,
  };
  const mainScope: FeedScope<T> = {
    basePath: '',
    site,
    items: view.items,
    fallbackUpdated: view.updated,
    ...(view.frozen ? { frozen: view.frozen } : {}),
  };
  const selected = view.scopes;
  const wanted = (basePath: string): ((page: number) => boolean) | null =>
    selected ? selected(basePath) : () => true;
  const ctx: PlanContext<T> = { view, options, feedSize, main: scopeLinks(mainScope, options), wanted };
  const { t } = localeFor(site.language);
  const tags = scopedTopics(ctx, view.tags, '/tags', t.taggedWith);
  const publishers = scopedTopics(ctx, view.publishers, '/publishers', t.fromPublisher);

  const documents: PlannedDocument[] = [];
  for (const scope of [mainScope, ...[...tags, ...publishers].map((t) => t.scope)]) {
    const pages = wanted(scope.basePath);
    if (pages) documents.push(...planScopeFeeds(scope, options, source, pages));
  }
  const opmlUrl = `${root}${STATIC_PATHS.opml}`;
  const directory: SiteDirectory = {
    tags: tags.map((t) => t.link),
    publishers: publishers.map((p) => p.link),
    opml: opmlUrl,
  };
  documents.push(
    ...planIndexPages(ctx, [...tags, ...publishers], directory),
    ...planArticlePages(ctx, tags),
    ...planStaticDocuments(ctx, tags, publishers, opmlUrl),
  );
  return documents;
}
