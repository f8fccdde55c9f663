/**
 * Remote sources end to end: regenerate() against the local upstream server (tests/upstream),
 * through the real undici driver, with in-memory storage and a fixed clock. One `it` per named
 * scenario of issue 5.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type BuildReport,
  type RegenerateDeps,
  regenerate,
} from '../../../src/core/orchestrate/regenerate.ts';
import { MANIFEST_KEY } from '../../../src/core/publish/manifest.ts';
import { LEDGER_KEY, loadLedger } from '../../../src/core/remote/item-ledger.ts';
import type { RemoteSource } from '../../../src/core/remote/remote-source.ts';
import { createNodeCompressor } from '../../../src/drivers/compressor/node-zlib.ts';
import { isPublicAddress } from '../../../src/drivers/fetch/address-guard.ts';
import {
  createUndiciFetch,
  type FetchDriver,
  type UndiciFetchOptions,
} from '../../../src/drivers/fetch/undici-fetch.ts';
import { createMemoryStorage } from '../../../src/drivers/storage/memory.ts';
import { startUpstream, type UpstreamServer } from '../../upstream/upstream-server.ts';
import { SITE } from '../normalise/fixtures.ts';

const silent = { debug() {}, info() {}, warn() {}, error() {} };
let upstream: UpstreamServer;
let drivers: FetchDriver[] = [];

beforeAll(async () => {
  upstream = await startUpstream();
});
afterAll(() => upstream.close());
beforeEach(() => {
  for (const id of ['one', 'two', 'three', 'four']) upstream.listed.add(id);
  upstream.broken.clear();
  upstream.limited.clear();
});
afterEach(async () => {
  await Promise.all(drivers.map((d) => d.close()));
  drivers = [];
});

interface JsonFeedItem {
  id: string;
  title: string;
  external_url?: string;
  content_text?: string;
  content_html?: string;
  tags?: string[];
}

function setup(driverOptions: Partial<UndiciFetchOptions> = {}) {
  let now = new Date('2026-01-10T12:00:00Z');
  const driver = createUndiciFetch({
    userAgent: 'kiosque/test (+https://news.example)',
    allowPrivateNetworks: true,
    perHostDelayMs: 0,
    retries: 1,
    retryBaseMs: 5,
    headersTimeoutMs: 400,
    bodyTimeoutMs: 400,
    maxBytes: 1024 * 1024,
    sleep: async () => {},
    ...driverOptions,
  });
  drivers.push(driver);
  const deps: RegenerateDeps = {
    content: createMemoryStorage(),
    published: createMemoryStorage(),
    state: createMemoryStorage(),
    clock: { now: () => now },
    logger: silent,
    compressor: createNodeCompressor(),
    fetch: driver.fetch,
  };
  const run = (sources: RemoteSource[], extra: { signal?: AbortSignal; retentionDays?: number } = {}) =>
    regenerate(deps, { site: SITE, feedSize: 50, sources, ...extra });
  const items = async (): Promise<JsonFeedItem[]> => {
    const stored = await deps.published.get('feed.json');
    return stored
      ? (JSON.parse(new TextDecoder().decode(stored.body)) as { items: JsonFeedItem[] }).items
      : [];
  };
  const advance = (days: number) => {
    now = new Date(now.getTime() + days * 86_400_000);
  };
  return { deps, run, items, advance };
}

const feed = (path: string, extra: Partial<RemoteSource> = {}): RemoteSource => ({
  type: 'feed',
  url: `${upstream.url}${path}`,
  ...extra,
});
const article = (path: string, extra: Partial<RemoteSource> = {}): RemoteSource => ({
  type: 'article',
  url: `${upstream.url}${path}`,
  ...extra,
});

function expectOk(report: BuildReport): void {
  expect(report.error).toBeUndefined();
  expect(report.ok).toBe(true);
}

describe('remote sources against the local upstream', () => {
  it('pulls a feed end to end: entries fetched in full, cleaned, tracking parameters stripped', async () => {
    const { run, items } = setup();
    const report = await run([feed('/feeds/news.xml', { name: 'gazette', tags: ['local-news'] })]);
    expectOk(report);
    expect(report.added).toHaveLength(4);
    const published = await items();
    expect(published.map((i) => i.title).sort()).toEqual(
      [
        'Des vendanges précoces mais prometteuses',
        'La bibliothèque rouvre ses portes',
        'Le budget municipal voté après quatre heures de débat',
        'Le club de football prend la tête du championnat',
      ].sort(),
    );
    const one = published.find((i) => i.title.startsWith('Le budget'));
    expect(one?.external_url).toBe(`${upstream.url}/articles/one`);
    expect(one?.content_text).toContain('Le conseil municipal a voté mardi soir');
    expect(one?.content_text).not.toContain('Tous droits réservés');
    expect(one?.tags).toEqual(expect.arrayContaining(['local', 'local-news']));
    expect(report.remote?.sources[0]).toMatchObject({
      name: 'gazette',
      status: 'fetched',
      entries: 4,
      items: 4,
    });
    const ua = upstream.requests.findLast((r) => r.path === '/articles/one')?.headers['user-agent'];
    expect(ua).toBe('kiosque/test (+https://news.example)');
  });

  it('an unchanged feed fetches no entry page again and re-cleans nothing; a changed feed revalidates (304)', async () => {
    const { run, items, advance } = setup();
    expectOk(await run([feed('/feeds/news.xml')]));
    const ids = (await items()).map((i) => i.id).sort();
    let mark = upstream.requests.length;
    const articleRequests = () =>
      upstream.requests.slice(mark).filter((r) => r.path.startsWith('/articles/'));
    // Same feed bytes: the entry pages of the last run are reused without a request.
    const second = await run([feed('/feeds/news.xml')]);
    expectOk(second);
    expect(articleRequests()).toHaveLength(0);
    expect(second.remote?.sources[0]).toMatchObject({ status: 'fetched', items: 4, reusedPages: 4 });
    expect(second.added).toEqual([]);
    expect(second.unchanged).toBe(4);
    expect(second.summary).toMatchObject({ cleanReused: 4, cleaned: 0 });
    expect((await items()).map((i) => i.id).sort()).toEqual(ids);
    // The feed changed: every listed entry page is asked again, conditionally (304).
    upstream.listed.delete('four');
    mark = upstream.requests.length;
    expectOk(await run([feed('/feeds/news.xml')]));
    expect(articleRequests()).toHaveLength(3);
    for (const r of articleRequests()) expect(r.headers['if-none-match']).toMatch(/^"\w+-v1"$/);
    // Unchanged again, but a day later: revalidated anyway, so an upstream correction shows.
    advance(1.01);
    mark = upstream.requests.length;
    expectOk(await run([feed('/feeds/news.xml')]));
    expect(articleRequests()).toHaveLength(3);
  });

  it('an item that disappears upstream stays published from its last good copy, until retention ends', async () => {
    const { run, items, advance } = setup();
    expectOk(await run([feed('/feeds/news.xml')], { retentionDays: 30 }));
    upstream.listed.delete('two');
    advance(1);
    const report = await run([feed('/feeds/news.xml')], { retentionDays: 30 });
    expectOk(report);
    expect(report.remote?.retained).toEqual([
      expect.objectContaining({
        sourceId: `${upstream.url}/articles/two`,
        reason: 'no longer listed upstream',
      }),
    ]);
    expect((await items()).map((i) => i.title)).toContain('Des vendanges précoces mais prometteuses');
    advance(31);
    const later = await run([feed('/feeds/news.xml')], { retentionDays: 30 });
    expect(later.remote?.expired).toEqual([`${upstream.url}/articles/two`]);
    expect((await items()).map((i) => i.title)).not.toContain('Des vendanges précoces mais prometteuses');
  });

  it('500: a page that starts failing keeps its last good version (same id); a new one is reported failed', async () => {
    const { run, items, advance } = setup();
    expectOk(await run([feed('/feeds/news.xml')]));
    const before = (await items()).find((i) => i.title.startsWith('La bibliothèque'));
    upstream.broken.add('/articles/three');
    advance(1.01); // past ENTRY_REVALIDATE_MS: the pages of the unchanged feed are asked again
    const report = await run([feed('/feeds/news.xml'), article('/status/500')]);
    expectOk(report);
    expect(report.remote?.retained).toEqual([
      expect.objectContaining({
        sourceId: `${upstream.url}/articles/three`,
        reason: expect.stringMatching(/fetch failed: HTTP 500/),
      }),
    ]);
    expect((await items()).find((i) => i.title.startsWith('La bibliothèque'))?.id).toBe(before?.id);
    expect(report.failed).toEqual([
      { sourceId: `${upstream.url}/status/500`, message: 'HTTP 500 Internal Server Error' },
    ]);
  });

  it('one failing source never blocks the others (malformed feed, slow, redirect loop, huge body, 429 too long)', async () => {
    const { run, items } = setup();
    const report = await run([
      feed('/feeds/malformed.xml', { name: 'malformed' }),
      article('/slow?ms=3000', { name: 'slow' }),
      article('/loop/a', { name: 'loop' }),
      article('/huge', { name: 'huge' }),
      article('/rate-limited-long', { name: 'busy' }),
      feed('/feeds/not-a-feed', { name: 'html-not-feed' }),
      feed('/feeds/news.xml', { name: 'gazette' }),
    ]);
    expectOk(report);
    expect(await items()).toHaveLength(4);
    const byName = new Map(report.remote?.sources.map((s) => [s.name, s]));
    expect(byName.get('malformed')).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/not a readable RSS/),
    });
    expect(byName.get('html-not-feed')).toMatchObject({ status: 'failed' });
    expect(byName.get('gazette')).toMatchObject({ status: 'fetched', items: 4 });
    const reasons = new Map(report.failed.map((f) => [f.sourceId, f.message]));
    expect(reasons.get(`${upstream.url}/slow?ms=3000`)).toMatch(/no response within 400 ms/);
    expect(reasons.get(`${upstream.url}/loop/a`)).toMatch(/redirect loop/);
    expect(reasons.get(`${upstream.url}/huge`)).toMatch(/over the 1048576-byte limit/);
    // A 429 asking for an hour is a deferral, not a failure (source-deferrals.ts).
    expect(reasons.has(`${upstream.url}/rate-limited-long`)).toBe(false);
    expect(byName.get('busy')).toMatchObject({
      status: 'deferred',
      deferredUntil: '2026-01-10T13:00:00.000Z',
    });
  });

  it('Retry-After is remembered: the source is skipped until then, its item stays published, no failure', async () => {
    const { run, items, advance, deps } = setup();
    const sources = [article('/articles/one', { name: 'one' }), article('/articles/two', { name: 'two' })];
    expectOk(await run(sources));
    upstream.limited.add('/articles/one');
    advance(1 / 1440); // 12:01
    const limited = await run(sources);
    expectOk(limited);
    const until = '2026-01-10T13:01:00.000Z';
    expect(limited.remote?.sources[0]).toMatchObject({
      name: 'one',
      status: 'deferred',
      deferredUntil: until,
    });
    expect(limited.failed).toEqual([]);
    expect(limited.remote?.retained).toEqual([
      expect.objectContaining({
        sourceId: `${upstream.url}/articles/one`,
        reason: `deferred until ${until}`,
      }),
    ]);
    const hits = upstream.hits('/articles/one');
    advance(30 / 1440); // 12:31: the next run does not ask again
    const skipped = await run(sources);
    expectOk(skipped);
    expect(upstream.hits('/articles/one')).toBe(hits);
    expect(skipped.remote?.sources[0]).toMatchObject({ status: 'deferred', deferredUntil: until });
    expect(skipped.remote?.sources[1]).toMatchObject({ name: 'two', status: 'not-modified' });
    expect(skipped.failed).toEqual([]);
    expect((await items()).map((i) => i.title)).toHaveLength(2);
    expect(await deps.state.get('remote/deferred.json')).not.toBeNull();
    upstream.limited.clear();
    advance(31 / 1440); // 13:02: past the deferral
    const back = await run(sources);
    expect(upstream.hits('/articles/one')).toBe(hits + 1);
    expect(back.remote?.sources[0]).toMatchObject({ status: 'not-modified' });
    expect(await deps.state.get('remote/deferred.json')).toBeNull();
  });

  it('an entry page answering 429 + Retry-After defers its whole feed source; the next run asks nothing', async () => {
    const { run, items, advance } = setup();
    upstream.limited.add('/articles/two');
    const first = await run([feed('/feeds/news.xml', { name: 'gazette' })]);
    expectOk(first);
    expect(first.remote?.sources[0]).toMatchObject({
      name: 'gazette',
      status: 'deferred',
      deferredUntil: '2026-01-10T13:00:00.000Z',
    });
    expect(first.failed).toEqual([]); // the new entry it could not fetch is not a failure either
    expect(await items()).toHaveLength(3);
    const asked = upstream.requests.length;
    advance(10 / 1440);
    const second = await run([feed('/feeds/news.xml', { name: 'gazette' })]);
    expectOk(second);
    expect(upstream.requests.length).toBe(asked); // neither the feed nor any page
    expect(second.remote?.retained).toHaveLength(3);
    expect(second.remote?.retained[0]?.reason).toBe('deferred until 2026-01-10T13:00:00.000Z');
    expect(await items()).toHaveLength(3);
  });

  it('429 with Retry-After: waited out, then the article is published', async () => {
    const waits: number[] = [];
    const { run, items } = setup({ sleep: async (ms) => void waits.push(ms) });
    expectOk(await run([article('/rate-limited')]));
    expect(waits).toContain(1000);
    expect((await items()).map((i) => i.title)).toEqual([expect.stringMatching(/^Des vendanges précoces/)]);
  });

  it('the same article at two URLs (canonical link, tracking params, a copy with the same text) is one item', async () => {
    const { run, items, deps } = setup();
    const report = await run([feed('/feeds/two-urls.xml')]);
    expectOk(report);
    const published = await items();
    expect(published).toHaveLength(2);
    expect(report.remote?.duplicates).toEqual(
      expect.arrayContaining([
        { url: `${upstream.url}/amp/one`, sameAs: `${upstream.url}/articles/one` },
        { url: `${upstream.url}/articles/one`, sameAs: `${upstream.url}/articles/one` },
        { url: `${upstream.url}/copy/two`, sameAs: `${upstream.url}/articles/two` },
      ]),
    );
    const ledger = await loadLedger(deps.state);
    expect(ledger.items[`${upstream.url}/articles/two`]?.aliases).toContain(`${upstream.url}/copy/two`);
    expect(ledger.items[`${upstream.url}/copy/two`]).toBeUndefined();
    // The next run maps the copy straight to the first item: still two items, same ids.
    const again = await run([feed('/feeds/two-urls.xml')]);
    expect(again.added).toEqual([]);
    expect((await items()).map((i) => i.id).sort()).toEqual(published.map((i) => i.id).sort());
  });

  it('a URL that moves (301) keeps the item: the new URL becomes an alias', async () => {
    const { run, items, deps } = setup();
    expectOk(await run([article('/articles/one')]));
    const [first] = await items();
    const report = await run([article('/moved/one')]);
    expectOk(report);
    expect(report.added).toEqual([]);
    expect((await items()).map((i) => i.id)).toEqual([first?.id]);
    const ledger = await loadLedger(deps.state);
    expect(ledger.items[`${upstream.url}/articles/one`]?.aliases).toContain(`${upstream.url}/moved/one`);
  });

  it('relative links in RSS, Atom xml:base and JSON Feed are resolved', async () => {
    const { run, items } = setup();
    const report = await run([
      feed('/feeds/relative.xml'),
      feed('/feeds/atom-base.xml'),
      feed('/feeds/json.json'),
    ]);
    expectOk(report);
    const urls = (await items()).map((i) => i.external_url).sort();
    expect(urls).toEqual(
      ['one', 'two', 'three', 'four'].map((id) => `${upstream.url}/articles/${id}`).sort(),
    );
  });

  it('wrong or missing charset, latin-1 feed: accents survive', async () => {
    const { run, items } = setup();
    const report = await run([article('/charset/wrong'), feed('/feeds/latin1.xml')]);
    expectOk(report);
    const published = await items();
    expect(published).toHaveLength(1); // the feed's entry is the /charset/header page: same story
    expect(published[0]?.title).toMatch(/^Un café associatif pour réparer plutôt que jeter/);
    expect(published[0]?.content_text).toContain('Élodie a présenté');
    expect(published[0]?.content_text).toContain('Les œuvres d’art');
  });

  it('gzip: a compressed article is published', async () => {
    const { run, items } = setup();
    expectOk(await run([article('/encoded/gzip')]));
    expect((await items())[0]?.content_text).toContain('Le club de football local');
  });

  it('non-HTML content: a PDF is reported; an entry carrying its body in the feed falls back to it', async () => {
    const { run, items } = setup();
    const report = await run([feed('/feeds/with-pdf.xml')]);
    expectOk(report);
    expect(report.failed).toEqual([
      {
        sourceId: `${upstream.url}/files/report.pdf`,
        message: 'not an HTML page (Content-Type: application/pdf)',
      },
    ]);
    expect((await items()).map((i) => i.title)).toEqual(['Avec contenu']);
  });

  it('redirect to a private address is refused (guard on, test server allow-listed)', async () => {
    const { run } = setup({
      allowPrivateNetworks: false,
      isAllowedAddress: (a) => a === '127.0.0.1' || isPublicAddress(a),
      resolveHost: async (host) => (host === 'intranet.test' ? [{ address: '10.0.0.7', family: 4 }] : []),
    });
    const report = await run([article('/redirect-private'), article('/articles/four')]);
    expectOk(report);
    expect(report.failed[0]?.message).toMatch(/refused to connect to intranet\.test \(10\.0\.0\.7\)/);
    expect(report.itemCount).toBe(1);
  });

  it('an abandoned run (shutdown) publishes nothing and keeps the last good feeds', async () => {
    const { run, deps, items } = setup();
    expectOk(await run([feed('/feeds/news.xml')]));
    const manifest = await deps.published.get(MANIFEST_KEY);
    const ledger = await deps.state.get(LEDGER_KEY);
    const controller = new AbortController();
    controller.abort();
    upstream.listed.delete('one');
    const report = await run([feed('/feeds/news.xml')], { signal: controller.signal });
    expect(report.ok).toBe(false);
    expect(report.error).toMatch(/abandoned|aborted/);
    expect((await deps.published.get(MANIFEST_KEY))?.body).toEqual(manifest?.body);
    expect((await deps.state.get(LEDGER_KEY))?.body).toEqual(ledger?.body);
    expect(await items()).toHaveLength(4);
  });
});
