import { describe, expect, it } from 'vitest';
import type { RemoteSource } from '../../../src/core/remote/remote-source.ts';
import { createChromeIndex } from '../../../src/core/sources/chrome-index.ts';
import { createCorpusChrome } from '../../../src/core/sources/corpus-chrome.ts';
import { createRemoteCollection } from '../../../src/core/sources/remote-collection.ts';
import { createArticleSource, createFeedSource } from '../../../src/core/sources/remote-kind-source.ts';
import type { SourceRun } from '../../../src/core/sources/source.ts';
import { createMemoryStorage } from '../../../src/drivers/storage/memory.ts';
import type { HttpFetch } from '../../../src/ports/fetch.ts';
import type { Logger } from '../../../src/ports/logger.ts';
import { RUN_STARTED_AT } from './source-contract.ts';
import { feed, ORIGIN, page } from './upstream-fixtures.ts';

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} };

const pages = new Map<string, string>([
  ['/one', page('One', 'Premier.')],
  ['/two', page('Two', 'Deuxième.')],
  ['/three', page('Three', 'Troisième.')],
  ['/four', page('Four', 'Quatrième.')],
]);

const fetch: HttpFetch = async (url) => {
  const path = new URL(url).pathname;
  if (path === '/feed.xml') {
    return new Response(feed(['/one', '/two', '/three']), {
      headers: { 'content-type': 'application/rss+xml' },
    });
  }
  const body = pages.get(path);
  return body === undefined
    ? new Response('missing', { status: 404 })
    : new Response(body, { headers: { 'content-type': 'text/html; charset=utf-8' } });
};

/** An article URL, a feed that lists it again among others, then another article URL. */
const sources: RemoteSource[] = [
  { type: 'article', url: `${ORIGIN}/two`, name: 'up' },
  { type: 'feed', url: `${ORIGIN}/feed.xml`, name: 'up' },
  { type: 'article', url: `${ORIGIN}/four`, name: 'up' },
];

async function scanMixed() {
  const state = createMemoryStorage();
  const run: SourceRun = {
    full: true,
    language: 'fr',
    startedAt: RUN_STARTED_AT,
    chrome: createCorpusChrome(createChromeIndex(state, { fresh: true }), true),
    failures: [],
    removed: [],
  };
  const clock = { now: () => new Date('2026-11-16T12:00:00Z') };
  const collection = createRemoteCollection(run, { state, logger: silent, clock, fetch, sources });
  const feeds = createFeedSource(collection);
  const articles = createArticleSource(collection);
  for (const source of [feeds, articles]) await source.open();
  for (const source of [feeds, articles]) await source.scan();
  return { collection, feeds, articles, run };
}

describe('upstream feeds and article URLs over one remote collection', () => {
  it('gives each item to the kind of the copy kept in config order: a story reached both ways once', async () => {
    const { feeds, articles, run } = await scanMixed();
    expect(run.failures).toEqual([]);
    // /two is an article URL before the feed lists it: the article copy is kept, the feed's is a duplicate.
    expect(articles.pendingIds()).toEqual([`${ORIGIN}/two`, `${ORIGIN}/four`]);
    expect([...feeds.pendingIds()].sort()).toEqual([`${ORIGIN}/one`, `${ORIGIN}/three`]);
    expect(feeds.isPending(`${ORIGIN}/two`)).toBe(false);
    expect(await feeds.load(`${ORIGIN}/two`)).toBeNull();
    expect((await articles.load(`${ORIGIN}/two`))?.parsed.raw.sourceId).toBe(`${ORIGIN}/two`);
    expect(await feeds.holdBack(`${ORIGIN}/two`)).toBe(false);
    expect(await articles.holdBack(`${ORIGIN}/two`)).toBe(true);
  });

  it('hands the clean pass the items in config order, the kinds interleaved as configured', async () => {
    const { collection, feeds, articles } = await scanMixed();
    const runs = collection.pendingRuns(
      new Map([
        [feeds.kind, feeds],
        [articles.kind, articles],
      ]),
    );
    expect(runs.map((r) => r.source.name)).toEqual(['article URLs', 'upstream feeds', 'article URLs']);
    expect(runs[0]?.ids).toEqual([`${ORIGIN}/two`]);
    expect(runs[2]?.ids).toEqual([`${ORIGIN}/four`]);
    expect(runs.flatMap((r) => r.ids).length).toBe(4);
  });

  it('splits the report rows by kind; the collection keeps the whole report', async () => {
    const { collection, feeds, articles } = await scanMixed();
    const all = collection.report();
    expect(all?.sources.map((s) => s.type)).toEqual(['article', 'feed', 'article']);
    expect(feeds.report()?.sources.map((s) => s.url)).toEqual([`${ORIGIN}/feed.xml`]);
    expect(articles.report()?.sources.map((s) => s.url)).toEqual([`${ORIGIN}/two`, `${ORIGIN}/four`]);
    expect(all?.duplicates).toEqual([{ url: `${ORIGIN}/two`, sameAs: `${ORIGIN}/two` }]);
    expect(articles.report()?.duplicates).toEqual(all?.duplicates);
    expect(feeds.report()?.duplicates).toEqual([]);
  });
});
