import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type RegenerateDeps, regenerate } from '../../../src/core/orchestrate/regenerate.ts';
import { MANIFEST_KEY } from '../../../src/core/publish/manifest.ts';
import { loadManifest } from '../../../src/core/publish/manifest-store.ts';
import { readBuildStatus } from '../../../src/core/report/build-status.ts';
import { createNodeCompressor } from '../../../src/drivers/compressor/node-zlib.ts';
import { createMemoryStorage } from '../../../src/drivers/storage/memory.ts';
import type { Storage } from '../../../src/ports/storage.ts';
import { SITE } from '../normalise/fixtures.ts';

const CONTENT_DIR = join(import.meta.dirname, '../../../content');
const silent = { debug() {}, info() {}, warn() {}, error() {} };
const encode = (text: string) => new TextEncoder().encode(text);
const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

function fixedClock(iso: string) {
  let now = new Date(iso);
  return { now: () => now, set: (next: string) => (now = new Date(next)) };
}

async function seededContent(): Promise<Storage> {
  const storage = createMemoryStorage();
  for (const name of readdirSync(CONTENT_DIR).filter((n) => n.endsWith('.txt'))) {
    await storage.put(name, readFileSync(join(CONTENT_DIR, name)));
  }
  return storage;
}

async function setup(clockAt = '2026-11-20T10:00:00Z') {
  const clock = fixedClock(clockAt);
  const deps: RegenerateDeps = {
    content: await seededContent(),
    published: createMemoryStorage(),
    state: createMemoryStorage(),
    clock,
    logger: silent,
    compressor: createNodeCompressor(),
  };
  return { deps, clock, options: { site: SITE, feedSize: 50 } };
}

async function feedJson(storage: Storage) {
  const object = await storage.get('feed.json');
  return JSON.parse(decode(object?.body ?? new Uint8Array())) as {
    items: { id: string; title: string; date_published: string; date_modified: string; url: string }[];
  };
}

describe('regenerate', () => {
  it('publishes the seeds as three feeds, an index, permalink pages, a manifest and a status', async () => {
    const { deps, options } = await setup();
    const report = await regenerate(deps, options);
    expect(report.ok).toBe(true);
    expect(report.itemCount).toBe(5);
    expect(report.added).toHaveLength(5);
    const manifest = await loadManifest(deps.published);
    const paths = Object.keys(manifest?.documents ?? {});
    expect(paths).toEqual(expect.arrayContaining(['/', '/feed.xml', '/atom.xml', '/feed.json']));
    expect(paths.filter((p) => p.startsWith('/articles/'))).toHaveLength(5);
    const feed = await feedJson(deps.published);
    expect(feed.items).toHaveLength(5);
    // first seen together: one second apart in source order, newest first
    expect(feed.items.map((i) => i.date_published)).toEqual([
      '2026-11-20T10:00:00Z',
      '2026-11-20T09:59:59Z',
      '2026-11-20T09:59:58Z',
      '2026-11-20T09:59:57Z',
      '2026-11-20T09:59:56Z',
    ]);
    expect(feed.items[0]?.url).toBe('https://news.example/articles/000-bfecce3590181515');
    const status = await readBuildStatus(deps.published);
    expect(status).toMatchObject({ lastSuccessAt: '2026-11-20T10:00:00.000Z', itemCount: 5, errors: [] });
  });

  it('changes nothing on a later run over the same content: same ids, dates and bytes', async () => {
    const { deps, clock, options } = await setup();
    await regenerate(deps, options);
    const before = await feedJson(deps.published);
    const rssBefore = decode((await deps.published.get('feed.xml'))?.body ?? new Uint8Array());
    clock.set('2026-11-21T10:00:00Z');
    const report = await regenerate(deps, options);
    expect(report.added).toEqual([]);
    expect(report.updated).toEqual([]);
    expect(report.unchanged).toBe(5);
    expect(report.changedDocuments).toEqual([]);
    expect(await feedJson(deps.published)).toEqual(before);
    expect(decode((await deps.published.get('feed.xml'))?.body ?? new Uint8Array())).toBe(rssBefore);
  });

  it('keeps the id and published date of an edited article and moves only its updated date', async () => {
    const { deps, clock, options } = await setup();
    await regenerate(deps, options);
    const before = await feedJson(deps.published);
    const original = decode((await deps.content.get('003_bf092931060377e5.txt'))?.body ?? new Uint8Array());
    await deps.content.put(
      '003_bf092931060377e5.txt',
      encode(original.replace('Vendredi, les Etats-Unis', 'Samedi, les Etats-Unis')),
    );
    clock.set('2026-11-22T08:00:00Z');
    const report = await regenerate(deps, options);
    expect(report.updated).toEqual(['003_bf092931060377e5.txt']);
    const after = await feedJson(deps.published);
    for (const item of after.items) {
      const old = before.items.find((i) => i.id === item.id);
      expect(old?.date_published).toBe(item.date_published);
      expect(item.date_modified).toBe(
        item.url.endsWith('003-bf092931060377e5') ? '2026-11-22T08:00:00Z' : old?.date_modified,
      );
    }
  });

  it('reports a broken file and still publishes every other item', async () => {
    const { deps, options } = await setup();
    await deps.content.put('broken.txt', encode('x'));
    await deps.content.put('broken.meta.json', encode('{not json'));
    const report = await regenerate(deps, options);
    expect(report.ok).toBe(true);
    expect(report.itemCount).toBe(5);
    expect(report.failed).toEqual([
      { sourceId: 'broken.txt', message: expect.stringMatching(/not valid JSON/) },
    ]);
    expect((await readBuildStatus(deps.published))?.errors).toHaveLength(1);
  });

  it('leaves the last good feeds in place when publishing fails', async () => {
    const { deps, clock, options } = await setup();
    await regenerate(deps, options);
    const manifestBefore = decode((await deps.published.get(MANIFEST_KEY))?.body ?? new Uint8Array());
    const rssBefore = decode((await deps.published.get('feed.xml'))?.body ?? new Uint8Array());
    await deps.content.put(
      'new.txt',
      encode('Un nouvel article.\n\nAvec un paragraphe assez long pour être gardé par le nettoyeur, voilà.'),
    );
    let puts = 0;
    const failing: Storage = {
      ...deps.published,
      get: (key) => deps.published.get(key),
      list: (prefix) => deps.published.list(prefix),
      delete: (key) => deps.published.delete(key),
      put: async (key, body) => {
        if (++puts === 3) throw new Error('disk full');
        return deps.published.put(key, body);
      },
    };
    clock.set('2026-11-21T10:00:00Z');
    const report = await regenerate({ ...deps, published: failing }, options);
    expect(report.ok).toBe(false);
    expect(report.error).toMatch(/disk full/);
    expect(decode((await deps.published.get(MANIFEST_KEY))?.body ?? new Uint8Array())).toBe(manifestBefore);
    expect(decode((await deps.published.get('feed.xml'))?.body ?? new Uint8Array())).toBe(rssBefore);
    const status = await readBuildStatus(deps.published);
    expect(status?.lastSuccessAt).toBe('2026-11-20T10:00:00.000Z');
    expect(status?.errors[0]?.message).toMatch(/disk full/);
  });
});
