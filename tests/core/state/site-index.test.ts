import { describe, expect, it } from 'vitest';
import { FROZEN_PREFIX } from '../../../src/core/state/frozen-page-store.ts';
import { applyIndexChanges } from '../../../src/core/state/index-changes.ts';
import type { CatalogEntry } from '../../../src/core/state/item-catalog.ts';
import { createTopicNamer } from '../../../src/core/state/scope-labels.ts';
import {
  buildSiteIndex,
  loadSiteIndex,
  lostFrozenObjects,
  SITE_INDEX_HEAD,
} from '../../../src/core/state/site-index.ts';
import { createMemoryStorage } from '../../../src/drivers/storage/memory.ts';
import type { Storage } from '../../../src/ports/storage.ts';
import { catalogEntry } from './catalog-fixtures.ts';

const OPTIONS = { feedSize: 3, archivePageSize: 2, feedLimits: [1, 2] };
const PAGING = { feedSize: OPTIONS.feedSize, pageSize: OPTIONS.archivePageSize };

function entry(n: number, tags: string[], rev = 0): CatalogEntry {
  return catalogEntry(n, n, tags, null, rev);
}

interface StoredHead {
  scopes: Record<string, { f?: [string, [number, number][]] }>;
}

async function head(state: Storage): Promise<StoredHead> {
  const stored = await state.get(SITE_INDEX_HEAD);
  if (!stored) throw new Error('no head');
  return JSON.parse(new TextDecoder().decode(stored.body)) as StoredHead;
}

/** 40 articles, every other one tagged Paris: the site has 18 frozen pages of 2, Paris 8. */
async function storedIndex(): Promise<{ state: Storage; catalog: Map<string, CatalogEntry> }> {
  const state = createMemoryStorage();
  const catalog = new Map<string, CatalogEntry>();
  for (let n = 0; n < 40; n++) {
    const made = entry(n, n % 2 === 0 ? ['Paris'] : []);
    catalog.set(made.sourceId, made);
  }
  const index = await buildSiteIndex(state, [...catalog.values()], createTopicNamer(), PAGING);
  await index.save();
  return { state, catalog };
}

/** One incremental run over the stored index: `changed` replaces entries of the catalog. */
async function run(
  state: Storage,
  catalog: Map<string, CatalogEntry>,
  changed: CatalogEntry[],
): Promise<void> {
  const index = await loadSiteIndex(state);
  if (!index) throw new Error('no index');
  const before = new Map(changed.map((e) => [e.sourceId, catalog.get(e.sourceId) ?? null]));
  for (const e of changed) catalog.set(e.sourceId, e);
  const lookup = { ensure: async () => {}, get: (sourceId: string) => catalog.get(sourceId) };
  await applyIndexChanges(index, before, lookup, createTopicNamer(), OPTIONS);
  await index.save();
}

describe('site index storage of frozen archive pages', () => {
  it('keeps their counts in the head, run-length coded, and their keys in one object per scope', async () => {
    const { state } = await storedIndex();
    const { scopes } = await head(state);
    // 37 archived site items: 18 frozen pages of 2 (the 19th page, 1 item, is open).
    expect(scopes['']?.f?.[1]).toEqual([[2, 18]]);
    expect(scopes['/tags/paris']?.f?.[1]).toEqual([[2, 8]]);
    const objects = await state.list(FROZEN_PREFIX);
    expect(objects.sort()).toEqual(
      [
        `${FROZEN_PREFIX}${scopes['']?.f?.[0]}.json`,
        `${FROZEN_PREFIX}${scopes['/tags/paris']?.f?.[0]}.json`,
      ].sort(),
    );
    const keys = await state.get(`${FROZEN_PREFIX}${scopes['']?.f?.[0]}.json`);
    const rows = JSON.parse(new TextDecoder().decode(keys?.body)) as string[][];
    expect(rows).toHaveLength(18);
    // Page 1 holds the two oldest articles: its boundary is the second one.
    expect(rows[0]).toEqual([entry(1, []).published, 'urn:uuid:1', 'content/1.md']);
  });

  it('rewrites a count but not the keys object when an article enters a frozen page', async () => {
    const { state, catalog } = await storedIndex();
    const objectsBefore = (await state.list(FROZEN_PREFIX)).sort();
    // Article 3 (old, untagged) joins Paris: Paris page 2 now holds 3.
    await run(state, catalog, [entry(3, ['Paris'], 1)]);
    const { scopes } = await head(state);
    expect(scopes['/tags/paris']?.f?.[1]).toEqual([
      [2, 1],
      [3, 1],
      [2, 6],
    ]);
    expect((await state.list(FROZEN_PREFIX)).sort()).toEqual(objectsBefore);
  });

  it('writes a new keys object when a page freezes and deletes the old one', async () => {
    const { state, catalog } = await storedIndex();
    const oldRef = (await head(state)).scopes['']?.f?.[0];
    await run(state, catalog, [entry(40, []), entry(41, [])]);
    const { scopes } = await head(state);
    expect(scopes['']?.f?.[1]).toEqual([[2, 19]]);
    expect(scopes['']?.f?.[0]).not.toBe(oldRef);
    const objects = await state.list(FROZEN_PREFIX);
    expect(objects).toContain(`${FROZEN_PREFIX}${scopes['']?.f?.[0]}.json`);
    expect(objects).not.toContain(`${FROZEN_PREFIX}${oldRef}.json`);
  });

  it('reads a scope’s keys only when a run touches it, and fails clearly when they are lost', async () => {
    const { state, catalog } = await storedIndex();
    const ref = (await head(state)).scopes['/tags/paris']?.f?.[0];
    await state.delete(`${FROZEN_PREFIX}${ref}.json`);
    // Untagged articles never touch Paris: its keys are not needed.
    await expect(run(state, catalog, [entry(5, [], 1)])).resolves.toBeUndefined();
    const index = await loadSiteIndex(state);
    expect(index?.scopes.get('/tags/paris')?.frozenCounts()).toEqual([2, 2, 2, 2, 2, 2, 2, 2]);
    await expect(index?.scopes.get('/tags/paris')?.frozenPages()).rejects.toThrow(
      `site index object ${FROZEN_PREFIX}${ref}.json is missing`,
    );
  });

  it('upgrades a version 2 head, which held the keys inline, without a complete run', async () => {
    const { state } = await storedIndex();
    const current = (await head(state)) as StoredHead & { v: number };
    const inline: Record<string, unknown> = {};
    for (const [key, scope] of Object.entries(current.scopes)) {
      if (!scope.f) continue;
      const stored = await state.get(`${FROZEN_PREFIX}${scope.f[0]}.json`);
      const rows = JSON.parse(new TextDecoder().decode(stored?.body)) as string[][];
      const counts = scope.f[1].flatMap(([n, times]) => Array<number>(times).fill(n));
      inline[key] = rows.map((row, i) => [...row, counts[i]]);
      await state.delete(`${FROZEN_PREFIX}${scope.f[0]}.json`);
    }
    const v2 = {
      ...current,
      v: 2,
      scopes: Object.fromEntries(
        Object.entries(current.scopes).map(([key, scope]) => {
          const { f: _f, ...rest } = scope;
          return [key, inline[key] ? { ...rest, f: inline[key] } : rest];
        }),
      ),
    };
    await state.put(SITE_INDEX_HEAD, new TextEncoder().encode(JSON.stringify(v2)));
    const index = await loadSiteIndex(state);
    expect(index?.scopes.get('')?.frozenCounts()).toHaveLength(18);
    expect((await index?.scopes.get('/tags/paris')?.frozenPages())?.[0]?.last.id).toBe('urn:uuid:2');
    await index?.save();
    // Saved as version 3: the same objects as a fresh build's.
    expect((await head(state)).scopes).toEqual(current.scopes);
    expect(await state.list(FROZEN_PREFIX)).toHaveLength(2);
  });

  it('rewrites no id or slug shard for an edit that keeps both', async () => {
    const { state, catalog } = await storedIndex();
    const puts: string[] = [];
    const watched: Storage = {
      ...state,
      put: (key, body) => {
        puts.push(key);
        return state.put(key, body);
      },
    };
    await run(watched, catalog, [entry(30, [], 1)]);
    expect(
      puts.filter((key) => key.startsWith('site-index/ids/') || key.startsWith('site-index/slugs/')),
    ).toEqual([]);
    // A new article does claim both.
    await run(watched, catalog, [entry(50, [])]);
    expect(puts.some((key) => key.startsWith('site-index/ids/'))).toBe(true);
    expect(puts.some((key) => key.startsWith('site-index/slugs/'))).toBe(true);
  });

  it('deletes the keys object of a scope that was emptied, even when it is opened again', async () => {
    const { state } = await storedIndex();
    const ref = (await head(state)).scopes['/tags/paris']?.f?.[0];
    const index = await loadSiteIndex(state);
    if (!index) throw new Error('no index');
    index.scopes.delete('/tags/paris');
    const reopened = index.createScope('/tags/paris');
    await reopened.list.insert({
      sourceId: 'content/99.md',
      id: 'urn:uuid:99',
      published: '2027-01-01T00:00:00.000Z',
      updated: '2027-01-01T00:00:00.000Z',
      digest: 'd99',
    });
    await index.save();
    expect(await state.list(FROZEN_PREFIX)).not.toContain(`${FROZEN_PREFIX}${ref}.json`);
    expect((await head(state)).scopes['/tags/paris']?.f).toBeUndefined();
  });
});

describe('site index damage', () => {
  it('finds a lost or rewritten ids/ or slugs/ shard when it is read (census in the head)', async () => {
    const { state } = await storedIndex();
    const index = await loadSiteIndex(state);
    expect(index?.checked).toBe(true);
    await index?.slugs.ensureAll();
    await index?.ids.ensureAll();
    const [slugShard] = await state.list('site-index/slugs/');
    await state.delete(slugShard ?? 'x');
    await expect((await loadSiteIndex(state))?.slugs.ensureAll()).rejects.toThrow(/missing/);
    const [idShard] = await state.list('site-index/ids/');
    await state.put(idShard ?? 'x', new TextEncoder().encode('{}'));
    await expect((await loadSiteIndex(state))?.ids.ensureAll()).rejects.toThrow(/does not match/);
  });

  it('finds a chunk or frozen-page object that is not the one the head names', async () => {
    const { state } = await storedIndex();
    const [chunk] = await state.list('site-index/chunks/');
    await state.put(chunk ?? 'x', new TextEncoder().encode('[]'));
    const index = await loadSiteIndex(state);
    const site = index?.scopes.get('');
    await expect(site?.list.range(0, site.list.count)).rejects.toThrow(/does not match the head/);
    const [frozen] = await state.list(FROZEN_PREFIX);
    await state.put(frozen ?? 'x', new TextEncoder().encode('[]'));
    const again = await loadSiteIndex(state);
    const pages = await Promise.allSettled([...(again?.scopes.values() ?? [])].map((s) => s.frozenPages()));
    expect(pages.some((p) => p.status === 'rejected')).toBe(true);
  });

  it('counts the frozen-page objects the head names that are gone, without reading any scope', async () => {
    const { state } = await storedIndex();
    const refs = Object.values((await head(state)).scopes).flatMap((scope) => (scope.f ? [scope.f[0]] : []));
    // The site and Paris have frozen pages; the untagged articles' scopes none.
    expect(refs).toHaveLength(2);
    const index = await loadSiteIndex(state);
    if (!index) throw new Error('no index');
    expect(index.frozenObjects().sort()).toEqual(refs.map((ref) => `${FROZEN_PREFIX}${ref}.json`).sort());
    expect(await lostFrozenObjects(state, index)).toBe(0);
    await state.delete(`${FROZEN_PREFIX}${refs[1]}.json`);
    // A stray object (not named by the head) does not stand in for a lost one.
    await state.put(`${FROZEN_PREFIX}${'0'.repeat(32)}.json`, new TextEncoder().encode('[]'));
    expect(await lostFrozenObjects(state, index)).toBe(1);
    // A fresh index names no stored object yet: nothing to miss.
    const { state: other, catalog } = await storedIndex();
    const built = await buildSiteIndex(other, [...catalog.values()], createTopicNamer(), PAGING);
    expect(await lostFrozenObjects(createMemoryStorage(), built)).toBe(0);
  });

  it('loads a head without the census of its shards as unchecked (rebuilt by the next run)', async () => {
    const { state } = await storedIndex();
    const stored = JSON.parse(new TextDecoder().decode((await state.get(SITE_INDEX_HEAD))?.body)) as {
      k?: unknown;
    };
    delete stored.k;
    await state.put(SITE_INDEX_HEAD, new TextEncoder().encode(JSON.stringify(stored)));
    expect((await loadSiteIndex(state))?.checked).toBe(false);
  });
});
