/**
 * Incremental runs against complete ones: after any sequence of edits, additions and deletions,
 * an incremental run (told which files changed, or finding them itself) must publish exactly
 * the routes and bytes a complete run publishes from the same state.
 */
import { describe, expect, it } from 'vitest';
import { generateArticle } from '../../../scripts/generate-corpus.ts';
import { createStorageReader } from '../../../src/app/published-reader.ts';
import { PENDING_KEY, type RegenerateDeps, regenerate } from '../../../src/core/pipeline/regenerate.ts';
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

/** Route → ETag of everything the manifest publishes. */
async function published(storage: Storage): Promise<Map<string, string>> {
  const reader = createStorageReader(storage, { clock: { now: () => new Date() }, logger: silent });
  const manifest = await reader.manifest();
  if (!manifest) throw new Error('nothing published');
  const out = new Map<string, string>();
  for (const path of await reader.paths()) {
    const document = await reader.document(path);
    if (!document) throw new Error(`manifest names ${path} but it cannot be read`);
    out.set(path, document.entry.etag);
  }
  return out;
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
      const incremental = await published(deps.published);
      const expected = await published(complete.published);
      expect([...incremental.keys()].sort(), `step ${n} routes`).toEqual([...expected.keys()].sort());
      for (const [path, etag] of expected) expect(incremental.get(path), `step ${n} ${path}`).toBe(etag);
    }
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
    // One catalog shard, no listing of the catalog or the index: nothing walks every item.
    expect(stateReads.filter((k) => k.startsWith('catalog/'))).toHaveLength(1);
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
      const incremental = await published(deps.published);
      const expected = await published(complete.published);
      expect([...incremental.keys()].sort(), label).toEqual([...expected.keys()].sort());
      for (const [path, etag] of expected) expect(incremental.get(path), `${label} ${path}`).toBe(etag);
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
});
