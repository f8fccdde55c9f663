/**
 * Incremental runs against complete ones: after any sequence of edits, additions and deletions,
 * an incremental run (told which files changed, or finding them itself) must publish exactly
 * the routes and bytes a complete run publishes from the same state.
 */
import { describe, expect, it } from 'vitest';
import { generateArticle } from '../../../scripts/generate-corpus.ts';
import { createStorageReader } from '../../../src/app/published-reader.ts';
import { PENDING_KEY, type RegenerateDeps, regenerate } from '../../../src/core/orchestrate/regenerate.ts';
import type { ManifestEntry } from '../../../src/core/publish/manifest.ts';
import { createNodeCompressor } from '../../../src/drivers/compressor/node-zlib.ts';
import { createMemoryStorage } from '../../../src/drivers/storage/memory.ts';
import type { Storage } from '../../../src/ports/storage.ts';
import { SITE } from '../normalise/fixtures.ts';

const silent = { debug() {}, info() {}, warn() {}, error() {} };
const encode = (text: string) => new TextEncoder().encode(text);
const OPTIONS = { site: SITE, feedSize: 4, syndication: { archivePageSize: 3, feedLimits: [2], hubs: [] } };

function clockAt(iso: string) {
  let now = new Date(iso);
  return { now: () => now, advance: (seconds: number) => (now = new Date(now.getTime() + seconds * 1000)) };
}

/** Route → manifest entry of everything the manifest publishes. */
async function publishedEntries(storage: Storage): Promise<Map<string, ManifestEntry>> {
  const reader = createStorageReader(storage, { clock: { now: () => new Date() }, logger: silent });
  const manifest = await reader.manifest();
  if (!manifest) throw new Error('nothing published');
  const out = new Map<string, ManifestEntry>();
  for (const path of await reader.paths()) {
    const document = await reader.document(path);
    if (!document) throw new Error(`manifest names ${path} but it cannot be read`);
    out.set(path, document.entry);
  }
  return out;
}

/**
 * The incremental output agrees with a complete run's route for route: same routes, same bytes,
 * except frozen archive pages (immutable, with a successor) that an edit to one of their articles
 * left as published: those must have the same inputs (the same items in the same places, links
 * and site) on both sides. Returns the routes that differ that way.
 */
async function expectAgreement(incremental: Storage, complete: Storage, label: string): Promise<string[]> {
  const ours = await publishedEntries(incremental);
  const theirs = await publishedEntries(complete);
  expect([...ours.keys()].sort(), `${label} routes`).toEqual([...theirs.keys()].sort());
  const frozen: string[] = [];
  for (const [path, expected] of theirs) {
    const entry = ours.get(path);
    if (entry?.etag === expected.etag) continue;
    expect(entry?.immutable && expected.immutable, `${label} ${path}: bytes differ`).toBe(true);
    expect(entry?.inputs, `${label} ${path}: a frozen page with other members`).toBe(expected.inputs);
    frozen.push(path);
  }
  return frozen;
}

async function putArticle(content: Storage, index: number, revision: number): Promise<string> {
  const article = generateArticle(7, index, revision);
  await content.put(article.path, encode(article.body));
  return article.path;
}

function setup() {
  const clock = clockAt('2026-11-20T10:00:00Z');
  const content = createMemoryStorage();
  const deps: RegenerateDeps = {
    content,
    published: createMemoryStorage(),
    state: createMemoryStorage(),
    clock,
    logger: silent,
    compressor: createNodeCompressor(),
  };
  return { clock, content, deps };
}

describe('incremental regeneration', () => {
  it('publishes what a complete run publishes, edit after edit', async () => {
    const { clock, content, deps } = setup();
    for (let i = 0; i < 14; i++) await putArticle(content, i, 0);
    expect((await regenerate(deps, OPTIONS)).ok).toBe(true);

    // Each step: what changes, and whether the run is told (changedKeys) or finds out (scan).
    const steps: { change: () => Promise<string[]>; hinted: boolean }[] = [
      { change: async () => [await putArticle(content, 13, 1)], hinted: true },
      { change: async () => [await putArticle(content, 2, 1)], hinted: false },
      {
        change: async () => [await putArticle(content, 14, 0), await putArticle(content, 15, 0)],
        hinted: true,
      },
      {
        change: async () => {
          const gone = generateArticle(7, 5, 0).path;
          await content.delete(gone);
          return [gone];
        },
        hinted: true,
      },
      {
        change: async () => {
          const gone = generateArticle(7, 0, 0).path;
          await content.delete(gone);
          return [gone, await putArticle(content, 16, 0)];
        },
        hinted: false,
      },
    ];
    for (const [n, step] of steps.entries()) {
      clock.advance(900);
      const changedKeys = await step.change();
      const report = await regenerate(deps, { ...OPTIONS, ...(step.hinted ? { changedKeys } : {}) });
      expect(report.ok, `step ${n}: ${report.error ?? ''}`).toBe(true);
      expect(await deps.state.get(PENDING_KEY)).toBeNull();
      // A complete run from the same state, published elsewhere, must agree route for route.
      const complete = { ...deps, published: createMemoryStorage() };
      const full = await regenerate(complete, { ...OPTIONS, full: true });
      expect(full.ok).toBe(true);
      await expectAgreement(deps.published, complete.published, `step ${n}`);
    }
    // `--full` re-renders frozen pages too: then every byte agrees.
    clock.advance(900);
    expect((await regenerate(deps, { ...OPTIONS, full: true })).ok).toBe(true);
    const complete = { ...deps, published: createMemoryStorage() };
    expect((await regenerate(complete, { ...OPTIONS, full: true })).ok).toBe(true);
    expect(await expectAgreement(deps.published, complete.published, 'after --full')).toEqual([]);
  });

  it('leaves a frozen archive page as published when one of its articles is edited', async () => {
    const { clock, content, deps } = setup();
    // 14 articles, feedSize 4, pages of 3: pages 1–3 are full with a successor (frozen), page 4
    // is the newest.
    for (let i = 0; i < 14; i++) await putArticle(content, i, 0);
    expect((await regenerate(deps, OPTIONS)).ok).toBe(true);
    const before = await publishedEntries(deps.published);
    const page1 = before.get('/archive/1/feed.xml');
    expect(page1?.immutable).toBe(true);
    // An article of page 1: its permalink is /articles/<slug>, the slug its file's number.
    const pageJson = (await deps.published.get(before.get('/archive/1/feed.json')?.key ?? ''))?.body;
    expect(pageJson).toBeDefined();
    const items = (JSON.parse(new TextDecoder().decode(pageJson)) as { items: { url: string }[] }).items;
    const permalink = new URL(items[0]?.url ?? '').pathname;
    const index = Number(permalink.replace('/articles/', ''));
    expect(Number.isInteger(index), permalink).toBe(true);

    clock.advance(900);
    const report = await regenerate(deps, { ...OPTIONS, changedKeys: [await putArticle(content, index, 1)] });
    expect(report.ok).toBe(true);
    expect(report.updated).toHaveLength(1);
    // Its permalink page changes; the frozen page is not even planned.
    expect(report.changedDocuments).toContain(permalink);
    expect(report.changedDocuments.filter((path) => path.startsWith('/archive/1/'))).toEqual([]);
    const after = await publishedEntries(deps.published);
    for (const path of ['/archive/1/feed.xml', '/archive/1/atom.xml', '/archive/1/feed.json'])
      expect(after.get(path)?.etag, path).toBe(before.get(path)?.etag);

    // A complete run plans it, finds its inputs (its items' places) unchanged and keeps it too.
    for (const key of await deps.state.list('site-index/')) await deps.state.delete(key);
    clock.advance(900);
    expect((await regenerate(deps, OPTIONS)).ok).toBe(true);
    expect((await publishedEntries(deps.published)).get('/archive/1/feed.xml')?.etag).toBe(page1?.etag);

    // `--full` re-renders it with the article as it is now.
    clock.advance(900);
    const full = await regenerate(deps, { ...OPTIONS, full: true });
    expect(full.ok).toBe(true);
    expect(full.changedDocuments).toContain('/archive/1/feed.xml');
    const refreshed = (await publishedEntries(deps.published)).get('/archive/1/feed.xml');
    expect(refreshed?.etag).not.toBe(page1?.etag);
    expect(refreshed?.immutable).toBe(true);
  });

  it('plans and rewrites only what one edit touches', async () => {
    const { clock, content, deps } = setup();
    for (let i = 0; i < 40; i++) await putArticle(content, i, 0);
    const first = await regenerate(deps, OPTIONS);
    clock.advance(900);
    const key = await putArticle(content, 39, 1);
    const reads: string[] = [];
    const watched: Storage = {
      ...content,
      get: (k) => {
        reads.push(k);
        return content.get(k);
      },
    };
    const stateReads: string[] = [];
    const state: Storage = {
      ...deps.state,
      get: (k) => {
        stateReads.push(k);
        return deps.state.get(k);
      },
      list: (prefix) => {
        stateReads.push(`list:${prefix}`);
        return deps.state.list(prefix);
      },
    };
    const report = await regenerate({ ...deps, content: watched, state }, { ...OPTIONS, changedKeys: [key] });
    expect(report.ok).toBe(true);
    expect(reads).toEqual([key]);
    // One catalog shard and its census, no listing of the catalog or the index: nothing walks every item.
    const catalogReads = stateReads.filter((k) => k.startsWith('catalog/'));
    expect(catalogReads.filter((k) => k !== 'catalog/census.json')).toEqual([
      expect.stringMatching(/^catalog\/[0-9a-f]{2}\.json$/),
    ]);
    expect(catalogReads).toContain('catalog/census.json');
    expect(stateReads.filter((k) => k.startsWith('list:catalog') || k.startsWith('list:site-index'))).toEqual(
      [],
    );
    expect(report.updated).toEqual([key]);
    expect(report.changedDocuments.length).toBeGreaterThan(0);
    expect(report.changedDocuments.length).toBeLessThan(first.changedDocuments.length / 4);
    expect(report.changedDocuments).toContain('/feed.xml');
  });

  it('after a run that died before its swap, or without a site index, plans everything and agrees with a complete run', async () => {
    const { clock, content, deps } = setup();
    for (let i = 0; i < 12; i++) await putArticle(content, i, 0);
    expect((await regenerate(deps, OPTIONS)).ok).toBe(true);
    const agree = async (label: string) => {
      const complete = { ...deps, published: createMemoryStorage(), state: createMemoryStorage() };
      for (const key of await deps.state.list('')) {
        const stored = await deps.state.get(key);
        if (stored) await complete.state.put(key, stored.body);
      }
      expect((await regenerate(complete, { ...OPTIONS, full: true })).ok).toBe(true);
      await expectAgreement(deps.published, complete.published, label);
    };
    // A dead run's note: the next run plans every document (and removes the note).
    clock.advance(900);
    const key = await putArticle(content, 3, 1);
    await deps.state.put(PENDING_KEY, encode(JSON.stringify({ complete: false })));
    const afterDeath = await regenerate(deps, { ...OPTIONS, changedKeys: [key] });
    expect(afterDeath.ok).toBe(true);
    expect(await deps.state.get(PENDING_KEY)).toBeNull();
    await agree('after a dead run');
    // No site index (state from an earlier version): rebuilt, then incremental runs resume.
    for (const k of await deps.state.list('site-index/')) await deps.state.delete(k);
    clock.advance(900);
    const added = await putArticle(content, 20, 0);
    expect((await regenerate(deps, { ...OPTIONS, changedKeys: [added] })).ok).toBe(true);
    expect(await deps.state.get('site-index/head.json')).not.toBeNull();
    await agree('after rebuilding the index');
    clock.advance(900);
    const edited = await putArticle(content, 20, 1);
    const listed: string[] = [];
    const state: Storage = {
      ...deps.state,
      list: (prefix) => {
        listed.push(prefix);
        return deps.state.list(prefix);
      },
    };
    const next = await regenerate({ ...deps, state }, { ...OPTIONS, changedKeys: [edited] });
    expect(next.ok).toBe(true);
    expect(listed).not.toContain('catalog/'); // incremental: the catalog is not walked
    await agree('incremental again');
  });

  it('republishes every document into a published store emptied while the state was kept', async () => {
    // A new or wiped FEEDS bucket beside the old STATE bucket: nothing to patch, everything to plan.
    const { clock, content, deps } = setup();
    for (let i = 0; i < 6; i++) await putArticle(content, i, 0);
    expect((await regenerate(deps, OPTIONS)).ok).toBe(true);
    const first = await publishedEntries(deps.published);
    clock.advance(900);
    const emptied = { ...deps, published: createMemoryStorage() };
    const report = await regenerate(emptied, OPTIONS);
    expect(report.ok).toBe(true);
    expect(report.added).toEqual([]);
    expect([...(await publishedEntries(emptied.published)).keys()].sort()).toEqual([...first.keys()].sort());
  });

  it('takes the frozen pages from the published archive when a complete run finds those of the old index lost', async () => {
    const { clock, content, deps: quiet } = setup();
    const warnings: string[] = [];
    const deps = { ...quiet, logger: { ...silent, warn: (message: string) => warnings.push(message) } };
    for (let i = 0; i < 14; i++) await putArticle(content, i, 0);
    expect((await regenerate(deps, OPTIONS)).ok).toBe(true);
    const frozenObjects = await deps.state.list('site-index/frozen/');
    expect(frozenObjects.length).toBeGreaterThan(0);
    for (const key of frozenObjects) await deps.state.delete(key);
    clock.advance(900);
    const full = await regenerate(deps, { ...OPTIONS, full: true });
    expect(full.ok, full.error).toBe(true);
    expect(warnings).toContain('frozen archive pages unreadable; taking them from the published archive');
    // The published archive pages give the same boundaries: the same pages, frozen again.
    expect((await publishedEntries(deps.published)).get('/archive/1/feed.xml')?.immutable).toBe(true);
    expect(await deps.state.list('site-index/frozen/')).toHaveLength(frozenObjects.length);
  });

  it('restores lost frozen-page objects on a run that touches no scope, so --full from its state agrees', async () => {
    const { clock, content, deps: quiet } = setup();
    const warnings: string[] = [];
    const deps = { ...quiet, logger: { ...silent, warn: (message: string) => warnings.push(message) } };
    for (let i = 0; i < 14; i++) await putArticle(content, i, 0);
    expect((await regenerate(deps, OPTIONS)).ok).toBe(true);
    // A deletion leaves a frozen page one short: paging by position would now cut other pages.
    const gone = await putArticle(content, 5, 0);
    await content.delete(gone);
    clock.advance(900);
    expect((await regenerate(deps, { ...OPTIONS, changedKeys: [gone] })).ok).toBe(true);
    const frozenObjects = await deps.state.list('site-index/frozen/');
    for (const key of frozenObjects) await deps.state.delete(key);
    clock.advance(900);
    // Nothing changed in content: the stat scan touches no scope, yet the objects come back.
    const report = await regenerate(deps, OPTIONS);
    expect(report.ok, report.error).toBe(true);
    expect(warnings).toContain('frozen archive page objects lost; rebuilding the site index');
    expect(report.changedDocuments).toEqual([]);
    // The boundaries the published pages show (a deleted boundary item is replaced by the newest
    // one left: the same pages), written again.
    expect(await deps.state.list('site-index/frozen/')).toHaveLength(frozenObjects.length);
    // --full from a copy of that state into an empty store (nothing published to recover from).
    const state = createMemoryStorage();
    for (const key of await deps.state.list('')) {
      const stored = await deps.state.get(key);
      if (stored) await state.put(key, stored.body);
    }
    const full = { ...deps, state, published: createMemoryStorage() };
    expect((await regenerate(full, { ...OPTIONS, full: true })).ok).toBe(true);
    expect(await expectAgreement(deps.published, full.published, 'after the lost objects')).toEqual([]);
  });
});
