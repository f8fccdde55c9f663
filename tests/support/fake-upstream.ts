/**
 * A fake upstream for regeneration tests: article pages and one RSS feed listing the pages still
 * `listed`, served by a fake HttpFetch (no network). Pages can be unlisted (the feed drops them,
 * the page stays: upstream retention applies) or edited.
 *
 * Must not: reach the network or read the wall clock.
 */
import type { RemoteSource } from '../../src/core/remote/remote-source.ts';
import type { HttpFetch } from '../../src/ports/fetch.ts';

export const UPSTREAM_ORIGIN = 'https://upstream.example';

export interface FakeUpstream {
  readonly fetch: HttpFetch;
  /** The configured source: one feed named `up`. */
  readonly sources: readonly RemoteSource[];
  /** Paths the feed lists (each has a page); deleting one unlists it, its page stays. */
  readonly listed: Set<string>;
  /** Path → revision of its page (an edit bumps it). */
  readonly revisions: Map<string, number>;
  /** The URL of a page. */
  url(path: string): string;
}

function page(path: string, revision: number): string {
  const title = `Nouvelles ${path.slice(1)}`;
  return `<!doctype html><html lang="fr"><head><title>${title}</title></head><body><article><h1>${title}</h1>
<p>Révision ${revision}. Le conseil municipal a voté mardi soir un budget pour la rénovation des écoles du quartier ${path.slice(1)}.</p>
<p>Les travaux commenceront au printemps et dureront deux ans, selon la mairie, qui promet des classes neuves.</p></article></body></html>`;
}

function feed(paths: readonly string[]): string {
  const items = paths
    .map(
      (path, i) =>
        `<item><title>Nouvelles ${path.slice(1)}</title><link>${UPSTREAM_ORIGIN}${path}</link><guid>${UPSTREAM_ORIGIN}${path}</guid>
<pubDate>Mon, ${10 + i} Oct 2026 08:00:00 GMT</pubDate></item>`,
    )
    .join('\n');
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>Up</title><link>${UPSTREAM_ORIGIN}/</link><description>d</description>
${items}</channel></rss>`;
}

/** An upstream listing `paths` (e.g. `/alpha`), every page at revision 0. */
export function fakeUpstream(paths: readonly string[]): FakeUpstream {
  const listed = new Set(paths);
  const revisions = new Map(paths.map((path) => [path, 0]));
  const fetch: HttpFetch = async (url) => {
    const path = new URL(url).pathname;
    if (path === '/feed.xml') {
      return new Response(feed([...listed].sort()), {
        headers: { 'content-type': 'application/rss+xml' },
      });
    }
    const revision = revisions.get(path);
    return revision === undefined
      ? new Response('missing', { status: 404 })
      : new Response(page(path, revision), { headers: { 'content-type': 'text/html; charset=utf-8' } });
  };
  return {
    fetch,
    sources: [{ type: 'feed', url: `${UPSTREAM_ORIGIN}/feed.xml`, name: 'up' }],
    listed,
    revisions,
    url: (path) => `${UPSTREAM_ORIGIN}${path}`,
  };
}
