import { describe, expect, it } from 'vitest';
import {
  CATALOG_CENSUS_KEY,
  CATALOG_PREFIX,
  CATALOG_SHARDS,
  type CatalogEntry,
  catalogShardOf,
  loadCatalog,
  openCatalog,
} from '../../../src/core/state/item-catalog.ts';
import { createMemoryStorage } from '../../../src/drivers/storage/memory.ts';
import type { Logger } from '../../../src/ports/logger.ts';
import type { Storage } from '../../../src/ports/storage.ts';

function recordingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, debug() {}, info() {}, warn: (message) => warnings.push(message), error() {} };
}

function entry(n: number, extra: Partial<CatalogEntry> = {}): CatalogEntry {
  return {
    sourceId: `src/${n}.md`,
    id: `urn:uuid:${n}`,
    slug: `a-${n}`,
    published: '2026-01-01T00:00:00.000Z',
    updated: '2026-01-01T00:00:00.000Z',
    digest: `d${n}`,
    tags: ['Paris'],
    warnings: 0,
    ...extra,
  };
}

/** Counts writes per key. */
function counting(storage: Storage): Storage & { puts: string[] } {
  const puts: string[] = [];
  return {
    ...storage,
    puts,
    put: (key, body) => {
      puts.push(key);
      return storage.put(key, body);
    },
  };
}

describe('item catalog', () => {
  it('round-trips entries, optional fields included', async () => {
    const state = createMemoryStorage();
    const catalog = await loadCatalog(state, recordingLogger());
    const flagged = entry(2, {
      publisher: 'Le Monde',
      flag: { code: 'kept-too-little', message: 'm', heldBack: false },
    });
    catalog.set(entry(1));
    catalog.set(flagged);
    await catalog.save(state);
    const again = await loadCatalog(state, recordingLogger());
    expect(again.size).toBe(2);
    expect(again.get('src/1.md')).toEqual(entry(1));
    expect(again.get('src/2.md')).toEqual(flagged);
  });

  it('rewrites only the shards a change touched', async () => {
    const state = counting(createMemoryStorage());
    const catalog = await loadCatalog(state, recordingLogger());
    for (let n = 0; n < 2000; n++) catalog.set(entry(n));
    const written = await catalog.save(state);
    expect(written).toBe(CATALOG_SHARDS);
    state.puts.length = 0;
    const next = await loadCatalog(state, recordingLogger());
    next.set(entry(7, { digest: 'new' }));
    expect(await next.save(state)).toBe(1);
    // The shard, then the census that names it.
    expect(state.puts).toEqual([
      `${CATALOG_PREFIX}${catalogShardOf('src/7.md').toString(16).padStart(2, '0')}.json`,
      CATALOG_CENSUS_KEY,
    ]);
    expect((await loadCatalog(state, recordingLogger())).get('src/7.md')?.digest).toBe('new');
  });

  it('reads only the shards that exist (one listing, the census, then one read per shard)', async () => {
    const inner = createMemoryStorage();
    const catalog = await loadCatalog(inner, recordingLogger());
    catalog.set(entry(1));
    catalog.set(entry(2));
    await catalog.save(inner);
    const reads: string[] = [];
    const state: Storage = {
      ...inner,
      get: (key) => {
        reads.push(key);
        return inner.get(key);
      },
    };
    const loaded = await loadCatalog(state, recordingLogger());
    expect(loaded.size).toBe(2);
    expect(reads.length).toBe(1 + new Set([catalogShardOf('src/1.md'), catalogShardOf('src/2.md')]).size);
  });

  it('deletes a shard whose last entry goes', async () => {
    const state = createMemoryStorage();
    const catalog = await loadCatalog(state, recordingLogger());
    catalog.set(entry(1));
    await catalog.save(state);
    catalog.delete('src/1.md');
    await catalog.save(state);
    expect(await state.list(CATALOG_PREFIX)).toEqual([]);
  });

  it('reports a damaged shard instead of throwing, and keeps the others', async () => {
    const state = createMemoryStorage();
    const catalog = await loadCatalog(state, recordingLogger());
    catalog.set(entry(1));
    catalog.set(entry(2));
    await catalog.save(state);
    const shard = catalogShardOf('src/1.md');
    await state.put(
      `${CATALOG_PREFIX}${shard.toString(16).padStart(2, '0')}.json`,
      new TextEncoder().encode('{nope'),
    );
    const logger = recordingLogger();
    const loaded = await loadCatalog(state, logger);
    expect(loaded.damaged).toBeGreaterThan(0);
    expect(loaded.get('src/1.md')).toBeUndefined();
    if (catalogShardOf('src/2.md') !== shard) expect(loaded.get('src/2.md')).toEqual(entry(2));
    expect(logger.warnings.join('\n')).toMatch(/catalog shard unreadable/);
  });

  it('counts a lost, a stray or a rewritten shard as damaged (the census)', async () => {
    const state = createMemoryStorage();
    const catalog = await loadCatalog(state, recordingLogger());
    for (let n = 0; n < 40; n++) catalog.set(entry(n));
    await catalog.save(state);
    expect((await loadCatalog(state, recordingLogger())).damaged).toBe(0);
    const [first, second] = await state.list(CATALOG_PREFIX);
    const kept = await state.get(second as string);
    await state.delete(first as string);
    const lost = await loadCatalog(state, recordingLogger());
    expect(lost.damaged).toBeGreaterThan(0);
    // Rewritten from what the run holds: the census names what is stored again.
    await lost.save(state);
    expect((await loadCatalog(state, recordingLogger())).damaged).toBe(0);
    await state.put(second as string, new TextEncoder().encode('[]'));
    expect((await loadCatalog(state, recordingLogger())).damaged).toBeGreaterThan(0);
    await state.put(second as string, kept?.body as Uint8Array);
    await state.delete(CATALOG_CENSUS_KEY);
    expect((await loadCatalog(state, recordingLogger())).damaged).toBeGreaterThan(0);
  });

  it('finds a lost shard when an incremental run loads just that shard', async () => {
    const state = createMemoryStorage();
    const catalog = await loadCatalog(state, recordingLogger());
    catalog.set(entry(1));
    await catalog.save(state);
    await state.delete(`${CATALOG_PREFIX}${catalogShardOf('src/1.md').toString(16).padStart(2, '0')}.json`);
    const lazy = openCatalog(state, recordingLogger());
    await lazy.ensure(['src/1.md']);
    expect(lazy.damaged).toBeGreaterThan(0);
  });
});
