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
import { createFeedLinks } from '../render/feed-links.ts';
import {
  itemInputs,
  itemsInputs,
  type PlannedDocument,
  planDocument,
  renderPlanned,
} from '../render/planned-document.ts';
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
  planFeedSet,
  type SyndicationOptions,
  scopeLinks,
} from '../syndicate/build-feed-set.ts';
import { FEED_CONTENT_TYPES } from '../syndicate/feed-kinds.ts';
import { publishersOf, selectTopics, type Topic, tagsOf } from '../syndicate/select-topics.ts';
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

interface ScopedTopic {
  readonly topic: Topic;
  readonly scope: FeedScope;
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
  const { site } = doc;
  const mainLinks = createFeedLinks(site);
  const root = mainLinks.home.replace(/\/$/, '');
  const options: SyndicationOptions = {
    ...DEFAULT_SYNDICATION,
    ...build,
    feedSize,
    stylesheet: `${root}${STATIC_PATHS.xsl}`,
  };
  const mainScope: FeedScope = { basePath: '', site, items: doc.items, fallbackUpdated: doc.updated };
  const main = scopeLinks(mainScope, options);

  const scoped = (topics: Topic[], prefix: string, describe: (label: string) => string): ScopedTopic[] =>
    topics.map((topic) => {
      const scope: FeedScope = {
        basePath: `${prefix}/${topic.slug}`,
        site: scopeSite(site, topic.label, describe(topic.label)),
        items: topic.items,
        fallbackUpdated: doc.updated,
      };
      const feeds = scopeLinks(scope, options);
      return {
        topic,
        scope,
        link: { label: topic.label, page: feeds.home, feeds, count: topic.items.length },
      };
    });
  const tags = scoped(selectTopics(doc.items, tagsOf), '/tags', (label) => `Articles tagged “${label}”`);
  const publishers = scoped(
    selectTopics(doc.items, publishersOf),
    '/publishers',
    (label) => `Articles from ${label}`,
  );

  const documents: PlannedDocument[] = planFeedSet(mainScope, options);
  for (const { scope } of [...tags, ...publishers]) documents.push(...planFeedSet(scope, options));

  const opmlUrl = `${root}${STATIC_PATHS.opml}`;
  const directory: SiteDirectory = {
    tags: tags.map((t) => t.link),
    publishers: publishers.map((p) => p.link),
    opml: opmlUrl,
  };
  const current = (items: readonly FeedItem[]): readonly FeedItem[] => items.slice(0, feedSize);
  const home = { ...doc, items: current(doc.items) };
  documents.push(
    planDocument(
      '/',
      CONTENT_TYPES.html,
      [home.site, home.updated, main, directory, itemsInputs(home.items)],
      () => renderIndexPage(home, main, { directory }),
    ),
  );
  for (const { scope, link } of [...tags, ...publishers]) {
    const page = { site: scope.site, items: current(scope.items), updated: doc.updated };
    const backTo = { href: main.home, title: site.title };
    documents.push(
      planDocument(
        scope.basePath,
        CONTENT_TYPES.html,
        [page.site, page.updated, link.feeds, backTo, itemsInputs(page.items)],
        () => renderIndexPage(page, link.feeds, { backTo }),
      ),
    );
  }

  const tagLinks = new Map(tags.map((t) => [t.topic.slug, t.link]));
  for (const item of doc.items) {
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
    // Inputs: the item and its tag links (a tag's count changes its links' text), not the site's
    // other items: a new article elsewhere re-renders no other page.
    documents.push(
      planDocument(
        `/articles/${item.slug}`,
        CONTENT_TYPES.html,
        [itemInputs(item), site, main, itemTopics],
        () => renderArticlePage(item, site, main, itemTopics),
      ),
    );
  }

  const groups: OpmlGroup[] = [
    { title: 'Tags', feeds: tags.map((t) => ({ title: t.scope.site.title, links: t.link.feeds })) },
    {
      title: 'Publishers',
      feeds: publishers.map((p) => ({ title: p.scope.site.title, links: p.link.feeds })),
    },
  ];
  documents.push(
    planDocument(STATIC_PATHS.xsl, CONTENT_TYPES.xsl, [site], () => renderFeedXsl(site)),
    planDocument(STATIC_PATHS.opml, CONTENT_TYPES.opml, [site, main, groups, doc.updated], () =>
      renderOpml(site, main, groups, doc.updated),
    ),
    planDocument(STATIC_PATHS.robots, CONTENT_TYPES.text, [opmlUrl], () => renderRobots(opmlUrl)),
  );
  return documents;
}
