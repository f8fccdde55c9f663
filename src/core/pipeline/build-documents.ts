/**
 * FeedDocument → every RenderedDocument of one version of the site: the three feeds, the
 * HTML index and one permalink page per item. The feeds carry the newest `feedSize` items;
 * every item keeps its permalink page.
 *
 * Must not: read the clock, storage or config; decide what changed (publish does).
 */
import type { FeedDocument, RenderedDocument } from '../model.ts';
import { createFeedLinks } from '../render/feed-links.ts';
import { renderAtom } from '../render/render-atom.ts';
import { renderArticlePage, renderIndexPage } from '../render/render-html-pages.ts';
import { renderJsonFeed } from '../render/render-json-feed.ts';
import { renderRss } from '../render/render-rss.ts';

export const CONTENT_TYPES = {
  rss: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
  json: 'application/feed+json; charset=utf-8',
  html: 'text/html; charset=utf-8',
} as const;

/** Renders the site; the feeds get the newest `feedSize` items. */
export function buildDocuments(doc: FeedDocument, feedSize: number): RenderedDocument[] {
  const links = createFeedLinks(doc.site);
  const current: FeedDocument = { ...doc, items: doc.items.slice(0, feedSize) };
  const documents: RenderedDocument[] = [
    { path: '/feed.xml', contentType: CONTENT_TYPES.rss, body: renderRss(current, links) },
    { path: '/atom.xml', contentType: CONTENT_TYPES.atom, body: renderAtom(current, links) },
    { path: '/feed.json', contentType: CONTENT_TYPES.json, body: renderJsonFeed(current, links) },
    { path: '/', contentType: CONTENT_TYPES.html, body: renderIndexPage(current, links) },
  ];
  for (const item of doc.items) {
    documents.push({
      path: `/articles/${item.slug}`,
      contentType: CONTENT_TYPES.html,
      body: renderArticlePage(item, doc.site, links),
    });
  }
  return documents;
}
