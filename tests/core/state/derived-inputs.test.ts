/**
 * Issue 19 scenarios, one by one: settings, the published output and the state store are inputs
 * of every derived document. (The differential test, differential.test.ts, mixes them at random.)
 */
import { describe, expect, it } from 'vitest';
import { generateArticle } from '../../../scripts/generate-corpus.ts';
import type { SiteInfo } from '../../../src/core/model.ts';
import {
  type RegenerateDeps,
  type RegenerateOptions,
  regenerate,
} from '../../../src/core/orchestrate/regenerate.ts';
import { loadManifest } from '../../../src/core/publish/manifest-store.ts';
import { type DigestedSettings, settingsDigests } from '../../../src/core/state/settings-digest.ts';
import { STATE_RECORD_KEY } from '../../../src/core/state/state-record.ts';
import { createNodeCompressor } from '../../../src/drivers/compressor/node-zlib.ts';
import { createMemoryStorage } from '../../../src/drivers/storage/memory.ts';
import type { Storage } from '../../../src/ports/storage.ts';
import { SITE } from '../normalise/fixtures.ts';

const silent = { debug() {}, info() {}, warn() {}, error() {} };
const OPTIONS: RegenerateOptions = {
  site: SITE,
  feedSize: 4,
  syndication: { archivePageSize: 3, feedLimits: [2], hubs: [] },
};

async function setup(count = 8) {
  let now = new Date('2026-11-20T10:00:00Z');
  const content = createMemoryStorage();
  const deps: RegenerateDeps = {
    content,
    published: createMemoryStorage(),
    state: createMemoryStorage(),
    clock: { now: () => now },
    logger: silent,
    compressor: createNodeCompressor(),
  };
  for (let i = 0; i < count; i++) {
    const article = generateArticle(5, i, 0);
    await content.put(article.path, new TextEncoder().encode(article.body));
  }
  const first = await regenerate(deps, OPTIONS);
  expect(first.ok, first.error).toBe(true);
  const run = (options: RegenerateOptions) => {
    now = new Date(now.getTime() + 900_000);
    return regenerate(deps, options);
  };
  return { deps, run, first };
}

/** Route → published text. */
async function texts(storage: Storage): Promise<Map<string, string>> {
  const manifest = await loadManifest(storage);
  const out = new Map<string, string>();
  for (const [path, entry] of Object.entries(manifest?.documents ?? {}))
    out.set(path, new TextDecoder().decode((await storage.get(entry.key))?.body));
  return out;
}

describe('settings are inputs', () => {
  it('a new base URL and title reach every document on the next run, hinted or not', async () => {
    const { deps, run } = await setup();
    const site: SiteInfo = { ...SITE, baseUrl: 'https://moved.example/news', title: 'Nouveau titre' };
    // A hint naming no file: nothing in content changed, only the settings.
    const report = await run({ ...OPTIONS, site, changedKeys: [] });
    expect(report.ok, report.error).toBe(true);
    const published = await texts(deps.published);
    const stale = [...published].filter(([, text]) => text.includes(SITE.baseUrl)).map(([path]) => path);
    expect(stale).toEqual([]);
    expect(published.get('/feed.xml')).toContain('https://moved.example/news/feed.xml');
    expect(published.get('/feed.xml')).toContain('Nouveau titre');
    // The next run has nothing to do.
    expect((await run({ ...OPTIONS, site, changedKeys: [] })).changedDocuments).toEqual([]);
  });

  it('a feedLimits change re-renders only the documents that depend on it', async () => {
    const { run, first } = await setup();
    const report = await run({ ...OPTIONS, syndication: { ...OPTIONS.syndication, feedLimits: [3] } });
    expect(report.ok, report.error).toBe(true);
    expect(report.changedDocuments.some((path) => path.includes('?limit=3'))).toBe(true);
    expect(report.removedDocuments.some((path) => path.includes('?limit=2'))).toBe(true);
    expect(report.changedDocuments.filter((path) => path.startsWith('/articles/'))).toEqual([]);
    expect(report.changedDocuments.length).toBeLessThan(first.changedDocuments.length / 2);
  });

  it('keeps one digest per group; each setting a renderer reads is in one', async () => {
    const base: DigestedSettings = {
      site: SITE,
      feedSize: 4,
      syndication: { archivePageSize: 3, feedLimits: [2], hubs: [] },
    };
    const digests = await settingsDigests(base);
    const changes: [string, DigestedSettings, 'items' | 'documents'][] = [
      ['baseUrl', { ...base, site: { ...SITE, baseUrl: 'https://x.example' } }, 'items'],
      ['language', { ...base, site: { ...SITE, language: 'en' } }, 'items'],
      ['title', { ...base, site: { ...SITE, title: 'T' } }, 'documents'],
      ['description', { ...base, site: { ...SITE, description: 'D' } }, 'documents'],
      ['ttlMinutes', { ...base, site: { ...SITE, ttlMinutes: 60 } }, 'documents'],
      ['feedSize', { ...base, feedSize: 5 }, 'documents'],
      ['archivePageSize', { ...base, syndication: { ...base.syndication, archivePageSize: 4 } }, 'documents'],
      ['feedLimits', { ...base, syndication: { ...base.syndication, feedLimits: [3] } }, 'documents'],
      [
        'hubs',
        { ...base, syndication: { ...base.syndication, hubs: ['https://hub.example/'] } },
        'documents',
      ],
    ];
    for (const [field, settings, group] of changes) {
      const changed = await settingsDigests(settings);
      expect(changed.documents === digests.documents && changed.items === digests.items, field).toBe(false);
      if (group === 'documents') expect(changed.items, `${field} leaves items alone`).toBe(digests.items);
    }
  });
});

describe('the published output is an input', () => {
  it('a hinted one-edit run reads two small objects more (state.json, the root), lists nothing published', async () => {
    const { deps } = await setup();
    const calls: string[] = [];
    const watch = (name: string, storage: Storage): Storage => ({
      ...storage,
      get: (key) => {
        calls.push(`${name} get ${key}`);
        return storage.get(key);
      },
      list: (prefix) => {
        calls.push(`${name} list ${prefix}`);
        return storage.list(prefix);
      },
      listEntries: (prefix) => {
        calls.push(`${name} listEntries ${prefix}`);
        return (storage.listEntries as NonNullable<Storage['listEntries']>)(prefix);
      },
    });
    const article = generateArticle(5, 3, 1);
    await deps.content.put(article.path, new TextEncoder().encode(article.body));
    const report = await regenerate(
      { ...deps, published: watch('published', deps.published), state: watch('state', deps.state) },
      { ...OPTIONS, changedKeys: [article.path] },
    );
    expect(report.ok, report.error).toBe(true);
    expect(report.updated).toEqual([article.path]);
    expect(calls.filter((call) => call.startsWith('published list'))).toEqual([]);
    expect(calls.filter((call) => call === `state get ${STATE_RECORD_KEY}`)).toHaveLength(1);
    // The root: once for the record check, once by publish.
    expect(calls.filter((call) => call === 'published get manifest.json')).toHaveLength(2);
  });

  it('a wiped output folder is republished by the next run, even a hinted one', async () => {
    const { deps, run, first } = await setup();
    for (const key of await deps.published.list('')) await deps.published.delete(key);
    const report = await run({ ...OPTIONS, changedKeys: [] });
    expect(report.ok, report.error).toBe(true);
    expect(report.changedDocuments.length).toBe(first.changedDocuments.length);
    expect(await deps.published.get('feed.xml')).not.toBeNull();
    expect((await run({ ...OPTIONS, changedKeys: [] })).changedDocuments).toEqual([]);
  });

  it('checks every published file at most hourly on runs without a hint (state.json says when)', async () => {
    const { deps, run } = await setup();
    const manifest = await loadManifest(deps.published);
    const feed = manifest?.documents['/feed.xml'];
    await deps.published.delete(feed?.gzip?.key ?? '');
    // 15 minutes after the first build's check: not due, the damage is not looked for.
    expect((await run(OPTIONS)).changedDocuments).toEqual([]);
    expect(await deps.published.get(feed?.gzip?.key ?? '')).toBeNull();
    // A hinted run never checks, whatever the time.
    await run({ ...OPTIONS, changedKeys: [] });
    await run({ ...OPTIONS, changedKeys: [] });
    await run({ ...OPTIONS, changedKeys: [] });
    expect(await deps.published.get(feed?.gzip?.key ?? '')).toBeNull();
    // An hour after the last check, the next run without a hint finds and rewrites it.
    const report = await run(OPTIONS);
    expect(report.ok, report.error).toBe(true);
    expect((await deps.published.get(feed?.gzip?.key ?? ''))?.body.byteLength).toBe(feed?.gzip?.size);
  });

  it('a missing or truncated file the manifest names is rewritten by the next run without a hint', async () => {
    const { deps, run } = await setup();
    const manifest = await loadManifest(deps.published);
    const feed = manifest?.documents['/feed.xml'];
    const article = Object.entries(manifest?.documents ?? {}).find(([path]) => path.startsWith('/articles/'));
    expect(feed?.gzip).toBeDefined();
    await deps.published.delete(feed?.gzip?.key ?? '');
    await deps.published.put('feed.xml', new TextEncoder().encode('<rss/>'));
    await deps.published.delete(article?.[1].key ?? '');
    const report = await run({ ...OPTIONS, publishedCheckEveryMs: 0 });
    expect(report.ok, report.error).toBe(true);
    expect((await deps.published.get(feed?.gzip?.key ?? ''))?.body.byteLength).toBe(feed?.gzip?.size);
    expect((await deps.published.get('feed.xml'))?.body.byteLength).toBe(feed?.size);
    expect(await deps.published.get(article?.[1].key ?? '')).not.toBeNull();
    expect((await run(OPTIONS)).changedDocuments).toEqual([]);
  });
});

describe('state that cannot be rebuilt', () => {
  /** Every published JSON Feed item's id, url and dates (what recovery must give back). */
  async function publishedItems(storage: Storage): Promise<string[]> {
    const out = new Set<string>();
    for (const [path, text] of await texts(storage)) {
      if (!path.endsWith('/feed.json')) continue;
      for (const item of (JSON.parse(text) as { items: Record<string, string>[] }).items)
        out.add(`${item.id} ${item.url} ${item.date_published} ${item.date_modified}`);
    }
    return [...out].sort();
  }

  async function setupWithNotes() {
    const setupResult = await setup();
    const { deps, run } = setupResult;
    // Files that state no date (their first-seen date is published) and one edited later
    // (date_modified from the ledger's changedAt).
    const note = (title: string, extra = '') =>
      new TextEncoder().encode(
        `${title}\n\nA plain note about ${title.toLowerCase()} written for the recovery test, long enough to be kept by the cleaner and published as an article of its own. ${extra}\n`,
      );
    await deps.content.put('notes/first.txt', note('First note'));
    await deps.content.put('notes/second.txt', note('Second note'));
    expect((await run(OPTIONS)).ok).toBe(true);
    await deps.content.put('notes/first.txt', note('First note', 'Edited once.'));
    expect((await run(OPTIONS)).ok).toBe(true);
    return setupResult;
  }

  it('rebuilds a lost state folder from the published feeds: the next build republishes the same bytes', async () => {
    const { deps, run } = await setupWithNotes();
    const before = await texts(deps.published);
    const items = await publishedItems(deps.published);
    expect(items.some((line) => line.includes('/articles/first'))).toBe(true);
    const lines: string[] = [];
    deps.logger.info = (message: string) => {
      lines.push(message);
    };
    for (const key of await deps.state.list('')) await deps.state.delete(key);
    // A new file while the state is lost starts fresh, without taking a published slug.
    await deps.content.put(
      'more/first.txt',
      new TextEncoder().encode(
        'First again\n\nAnother note whose file name gives the slug a published item holds, long enough to be kept.\n',
      ),
    );
    const report = await run(OPTIONS);
    expect(report.ok, report.error).toBe(true);
    expect(lines).toContain(
      'recovered 10 item records from the published feeds; 1 files have no published item and start fresh',
    );
    const after = await texts(deps.published);
    expect(report.added).toEqual(['more/first.txt']);
    expect(after.has('/articles/first-2')).toBe(true);
    const fresh = (await publishedItems(deps.published)).filter(
      (line) => !line.includes('/articles/first-2'),
    );
    expect(fresh).toEqual(items);
    for (const [path, text] of before)
      if (path.startsWith('/articles/')) expect(after.get(path), path).toBe(text);
    // Without the new file, everything is as published before.
    await deps.content.delete('more/first.txt');
    const back = await run(OPTIONS);
    expect(back.ok, back.error).toBe(true);
    expect(await publishedItems(deps.published)).toEqual(items);
    expect(await texts(deps.published)).toEqual(before);
    // The recovered ledger is a ledger: --full changes nothing.
    const full = await run({ ...OPTIONS, full: true });
    expect(full.ok, full.error).toBe(true);
    expect(await texts(deps.published)).toEqual(before);
  });

  it('a build after a lost state folder publishes byte for byte what was published (no change at all)', async () => {
    const { deps, run } = await setupWithNotes();
    const before = await texts(deps.published);
    for (const key of await deps.state.list('')) await deps.state.delete(key);
    const report = await run(OPTIONS);
    expect(report.ok, report.error).toBe(true);
    expect(report.added).toEqual([]);
    expect(report.changedDocuments).toEqual([]);
    expect(await texts(deps.published)).toEqual(before);
  });

  it('keeps the archive pages as published when frozen pages lost members before the state was lost', async () => {
    const { deps, run } = await setup();
    const page = async () =>
      JSON.parse((await texts(deps.published)).get('/archive/1/feed.json') ?? '{}') as {
        items: { url: string }[];
      };
    const oldest = (await page()).items.at(-1)?.url.split('/').pop() ?? '';
    const file = (await deps.content.list('')).find((key) => key.split('/').pop()?.startsWith(`${oldest}.`));
    expect(file).toBeDefined();
    await deps.content.delete(file ?? '');
    expect((await run(OPTIONS)).ok).toBe(true);
    // The frozen page shrank: positional paging would cut it differently.
    expect((await page()).items.length).toBe(2);
    const before = await texts(deps.published);
    for (const key of await deps.state.list('')) await deps.state.delete(key);
    const report = await run(OPTIONS);
    expect(report.ok, report.error).toBe(true);
    expect(await texts(deps.published)).toEqual(before);
  });

  it('a build that dies while rebuilding the ledger leaves the next one to finish it', async () => {
    const { deps, run } = await setupWithNotes();
    const before = await texts(deps.published);
    for (const key of await deps.state.list('')) await deps.state.delete(key);
    // The state store dies at its third write: some records are written, the rest are not.
    let writes = 0;
    const dying = {
      ...deps.state,
      put: (key: string, body: Uint8Array) =>
        ++writes > 3 ? Promise.reject(new Error('injected fault')) : deps.state.put(key, body),
    };
    const dead = await regenerate({ ...deps, state: dying }, OPTIONS);
    expect(dead.ok).toBe(false);
    expect((await deps.state.list('items/')).length).toBeGreaterThan(0);
    const report = await run(OPTIONS);
    expect(report.ok, report.error).toBe(true);
    expect(await texts(deps.published)).toEqual(before);
  });

  it('an item ledger deleted while the caches survive: each file read again takes its catalog entry', async () => {
    const { deps, run } = await setupWithNotes();
    const before = await texts(deps.published);
    for (const key of await deps.state.list('items/')) await deps.state.delete(key);
    const hinted = await run({ ...OPTIONS, changedKeys: ['notes/first.txt'] });
    expect(hinted.ok, hinted.error).toBe(true);
    expect(hinted.added).toEqual([]);
    expect(await texts(deps.published)).toEqual(before);
    const full = await run({ ...OPTIONS, full: true });
    expect(full.ok, full.error).toBe(true);
    expect(full.added).toEqual([]);
    expect(await texts(deps.published)).toEqual(before);
    expect((await deps.state.list('items/')).length).toBe(10);
  });

  it('unreadable item records take their record from the published feeds', async () => {
    const { deps, run } = await setupWithNotes();
    const before = await texts(deps.published);
    for (const key of await deps.state.list('items/'))
      await deps.state.put(key, new TextEncoder().encode('{ not json'));
    const report = await run({ ...OPTIONS, full: true });
    expect(report.ok, report.error).toBe(true);
    expect(await texts(deps.published)).toEqual(before);
    // The records were rewritten: the next run reads them, nothing moves.
    for (const key of await deps.state.list('items/'))
      expect(new TextDecoder().decode((await deps.state.get(key))?.body)).toMatch(/^\{"sourceId"/);
  });

  it('stops with a clear message when the item ledger is gone and the published feeds cannot be read', async () => {
    const { deps, run } = await setup();
    const manifest = await loadManifest(deps.published);
    await deps.published.put(
      manifest?.documents['/feed.json']?.key ?? '',
      new TextEncoder().encode('{ not json'),
    );
    const before = await texts(deps.published);
    for (const key of await deps.state.list('')) await deps.state.delete(key);
    const report = await run(OPTIONS);
    expect(report.ok).toBe(false);
    expect(report.error).toMatch(/no item ledger .* a site is published and its feeds cannot be read/);
    expect(report.error).toMatch(/--full/);
    expect(await texts(deps.published)).toEqual(before);
    // On purpose: --full starts a new ledger.
    const full = await run({ ...OPTIONS, full: true });
    expect(full.ok, full.error).toBe(true);
    expect(await deps.state.get(STATE_RECORD_KEY)).not.toBeNull();
  });

  it('state from before the record: one complete plan, no re-cleaning when the items carry the base URL', async () => {
    const { deps, run } = await setup();
    const before = await texts(deps.published);
    await deps.state.delete(STATE_RECORD_KEY);
    const report = await run({ ...OPTIONS, changedKeys: [] });
    expect(report.ok, report.error).toBe(true);
    expect(report.summary?.cleaned).toBe(0);
    expect(await texts(deps.published)).toEqual(before);
    expect(await deps.state.get(STATE_RECORD_KEY)).not.toBeNull();
    // With another base URL the items are normalised again.
    await deps.state.delete(STATE_RECORD_KEY);
    const moved = await run({
      ...OPTIONS,
      site: { ...SITE, baseUrl: 'https://moved.example' },
      changedKeys: [],
    });
    expect(moved.ok, moved.error).toBe(true);
    expect([...(await texts(deps.published)).values()].some((text) => text.includes(SITE.baseUrl))).toBe(
      false,
    );
  });

  it('rebuilds lost caches (catalog, bodies, site index, the record) and publishes the same bytes', async () => {
    const { deps, run } = await setup();
    const before = await texts(deps.published);
    for (const prefix of ['catalog/', 'item-bodies/', 'site-index/', STATE_RECORD_KEY])
      for (const key of await deps.state.list(prefix)) await deps.state.delete(key);
    const report = await run({ ...OPTIONS, changedKeys: [] });
    expect(report.ok, report.error).toBe(true);
    expect(await texts(deps.published)).toEqual(before);
  });
});
