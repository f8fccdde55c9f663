/**
 * A fake upstream for the source contract: a few article pages and an RSS feed listing them,
 * served by a fake HttpFetch (no network), and a SourceWorld over the feed or the article-URL source
 * (remote-kind-source.ts), each over its own run's remote collection (remote-collection.ts).
 */
import { ENTRY_REVALIDATE_MS } from '../../../src/core/remote/collect-remote.ts';
import { LEDGER_KEY } from '../../../src/core/remote/item-ledger.ts';
import { DEFAULT_RETENTION_DAYS, type RemoteSource } from '../../../src/core/remote/remote-source.ts';
import { REMOTE_INDEX_KEY } from '../../../src/core/sources/content-index.ts';
import { createRemoteCollection } from '../../../src/core/sources/remote-collection.ts';
import { createArticleSource, createFeedSource } from '../../../src/core/sources/remote-kind-source.ts';
import type { SourceRun } from '../../../src/core/sources/source.ts';
import type { ShardCensus } from '../../../src/core/state/shard-census.ts';
import { createMemoryStorage } from '../../../src/drivers/storage/memory.ts';
import type { HttpFetch } from '../../../src/ports/fetch.ts';
import type { Logger } from '../../../src/ports/logger.ts';
import type { SourceWorld } from './source-contract.ts';

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} };
export const ORIGIN = 'https://upstream.example';

export function page(title: string, lead: string): string {
  return `<!doctype html><html lang="fr"><head><title>${title}</title></head><body><article><h1>${title}</h1>
<p>${lead} Le conseil municipal a voté mardi soir un budget pour la rénovation des écoles du quartier nord.</p>
<p>Les travaux commenceront au printemps et dureront deux ans, selon la mairie, qui promet des classes neuves.</p></article></body></html>`;
}

export function feed(paths: readonly string[]): string {
  const items = paths
    .map(
      (
        path,
        i,
      ) => `<item><title>Post ${path}</title><link>${ORIGIN}${path}</link><guid>${ORIGIN}${path}</guid>
<pubDate>Mon, ${10 + i} Nov 2026 08:00:00 GMT</pubDate><description>Résumé ${path}</description></item>`,
    )
    .join('\n');
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>Up</title><link>${ORIGIN}/</link><description>d</description>
${items}</channel></rss>`;
}

/** `kind`: one upstream feed listing the pages, or each page as an article URL. */
export async function upstreamWorld(kind: 'feed' | 'article'): Promise<SourceWorld> {
  const state = createMemoryStorage();
  let now = Date.parse('2026-11-16T12:00:00Z');
  const clock = { now: () => new Date(now) };
  const pages = new Map<string, string>([
    ['/one', page('One', 'Premier.')],
    ['/two', page('Two', 'Deuxième.')],
    ['/three', page('Three', 'Troisième.')],
  ]);
  const broken = new Set<string>();
  const fetch: HttpFetch = async (url) => {
    const path = new URL(url).pathname;
    if (broken.has(path)) return new Response('down', { status: 500 });
    if (path === '/feed.xml') {
      return new Response(feed([...pages.keys()]), { headers: { 'content-type': 'application/rss+xml' } });
    }
    const body = pages.get(path);
    return body === undefined
      ? new Response('missing', { status: 404 })
      : new Response(body, { headers: { 'content-type': 'text/html; charset=utf-8' } });
  };
  let census: Readonly<Record<string, ShardCensus>> = {};
  let sources: RemoteSource[] =
    kind === 'feed'
      ? [{ type: 'feed', url: `${ORIGIN}/feed.xml`, name: 'up' }]
      : [...pages.keys()].map((path) => ({ type: 'article' as const, url: `${ORIGIN}${path}`, name: 'up' }));
  return {
    state,
    open(run: SourceRun) {
      const collection = createRemoteCollection(run, {
        state,
        logger: silent,
        clock,
        fetch,
        sources,
        census,
      });
      const source = kind === 'feed' ? createFeedSource(collection) : createArticleSource(collection);
      const commit = source.commit.bind(source);
      // What commitGather stores in index/meta.json: the census the next run checks the index against.
      source.commit = async () => {
        await commit();
        census = collection.census();
      };
      return source;
    },
    owns: (key) => key === REMOTE_INDEX_KEY || key === LEDGER_KEY,
    async breakOne() {
      broken.add('/two');
      return `${ORIGIN}/two`;
    },
    async editOne() {
      pages.set('/two', page('Two', 'Deuxième, corrigé.'));
      // A feed's entry pages are revalidated once ENTRY_REVALIDATE_MS has passed (fetch-remote-source.ts).
      now += ENTRY_REVALIDATE_MS + 1;
      return `${ORIGIN}/two`;
    },
    async removeOne() {
      // Gone upstream (and from the config, for an article URL): retained from its last good
      // copy, then expired past the retention window.
      pages.delete('/three');
      sources = sources.filter((source) => source.url !== `${ORIGIN}/three`);
      now += (DEFAULT_RETENTION_DAYS + 1) * 86_400_000;
      return `${ORIGIN}/three`;
    },
  };
}
