import { describe, expect, it } from 'vitest';
import { CLEANER_VERSION } from '../../../src/core/clean/rules.ts';
import {
  FINE_RACY_MS,
  INDEX_FORMAT,
  INDEX_META_KEY,
  isRacy,
  readIndexMeta,
  sameStat,
  statOf,
} from '../../../src/core/sources/content-index.ts';
import { createShardedMap } from '../../../src/core/state/sharded-map.ts';
import { createMemoryStorage } from '../../../src/drivers/storage/memory.ts';

const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

describe('content index', () => {
  it('trusts a listed file only with the same size and the same mtime or etag', () => {
    expect(sameStat({ size: 3, mtime: 10 }, { size: 3, mtime: 10 })).toBe(true);
    expect(sameStat({ size: 3, mtime: 10 }, { size: 4, mtime: 10 })).toBe(false);
    expect(sameStat({ size: 3, mtime: 10 }, { size: 3, mtime: 11 })).toBe(false);
    expect(sameStat({ size: 3, etag: 'a' }, { size: 3, etag: 'a' })).toBe(true);
    expect(sameStat({ size: 3, etag: 'a' }, { size: 3, etag: 'b' })).toBe(false);
    // Neither an mtime nor an etag: nothing to trust.
    expect(sameStat({ size: 3 }, { size: 3 })).toBe(false);
    expect(sameStat({ size: -1 }, { size: -1, mtime: 1 })).toBe(false);
    expect(statOf({ key: 'a', size: 2, modified: new Date(5) })).toEqual({ size: 2, mtime: 5 });
  });

  it('calls a file racy by the granularity its mtime shows', () => {
    const t0 = Date.parse('2024-05-01T10:00:05.500Z');
    // Whole seconds: maybe a coarse file system (FAT, HFS+): two seconds of doubt.
    expect(isRacy(Date.parse('2024-05-01T10:00:04.000Z'), t0)).toBe(true);
    expect(isRacy(Date.parse('2024-05-01T10:00:03.000Z'), t0)).toBe(false);
    // Milliseconds: a fine one; only the last FINE_RACY_MS are in doubt.
    expect(isRacy(t0 - FINE_RACY_MS - 1, t0)).toBe(false);
    expect(isRacy(t0 - FINE_RACY_MS + 1, t0)).toBe(true);
    expect(isRacy(Date.parse('2024-05-01T10:00:04.321Z'), t0)).toBe(false);
    expect(isRacy(t0 + 5, t0)).toBe(true);
    expect(isRacy(undefined, t0)).toBe(false);
  });

  it('is usable only when built with the same cleaner and language, and fully committed', async () => {
    const state = createMemoryStorage();
    const expected = { cleaner: CLEANER_VERSION, language: 'fr' };
    expect(await readIndexMeta(state, expected)).toBeNull();
    const meta = {
      format: INDEX_FORMAT,
      cleaner: CLEANER_VERSION,
      language: 'fr',
      state: 'committed',
      census: {},
    };
    await state.put(INDEX_META_KEY, encode(meta));
    expect(await readIndexMeta(state, expected)).toEqual(meta);
    expect(await readIndexMeta(state, { ...expected, language: 'en' })).toBeNull();
    expect(await readIndexMeta(state, { ...expected, cleaner: 'clean-0' })).toBeNull();
    await state.put(INDEX_META_KEY, encode({ ...meta, state: 'committing' }));
    expect(await readIndexMeta(state, expected)).toBeNull();
    // Without the census of its shards (an index from an earlier format) it is rebuilt.
    const { census: _, ...noCensus } = meta;
    await state.put(INDEX_META_KEY, encode(noCensus));
    expect(await readIndexMeta(state, expected)).toBeNull();
    await state.put(INDEX_META_KEY, new TextEncoder().encode('{not json'));
    expect(await readIndexMeta(state, expected)).toBeNull();
  });
});

describe('sharded map', () => {
  it('loads and rewrites only the shards of the keys it touches', async () => {
    const state = createMemoryStorage();
    const first = createShardedMap<number>(state, 'idx/', 16, { fresh: true });
    for (let i = 0; i < 200; i++) first.set(`k${i}`, i);
    for (const w of await first.writes()) if (w.body) await state.put(w.key, w.body);
    expect((await state.list('idx/')).length).toBe(16);

    const map = createShardedMap<number>(state, 'idx/', 16);
    expect(() => map.get('k1')).toThrow(/not loaded/);
    await map.ensure(['k1']);
    expect(map.get('k1')).toBe(1);
    map.set('k1', 100);
    const writes = await map.writes();
    expect(writes.length).toBe(1);
    await map.ensureAll();
    expect([...map.entries()].length).toBe(200);
  });

  it('writes a shard only when a changed key ends with another value than it was loaded with', async () => {
    const state = createMemoryStorage();
    const first = createShardedMap<{ size: number }>(state, 'idx/', 4, { fresh: true });
    for (const key of ['a', 'b', 'c', 'd']) first.set(key, { size: 1 });
    for (const w of await first.writes()) if (w.body) await state.put(w.key, w.body);

    const map = createShardedMap<{ size: number }>(state, 'idx/', 4);
    await map.ensureAll();
    map.set('a', { size: 2 });
    map.set('a', { size: 1 }); // back to the stored value
    map.delete('b');
    map.set('b', { size: 1 }); // deleted, then set again as it was
    map.delete('absent'); // deleting what is not there changes nothing
    expect(await map.writes()).toEqual([]);
    map.set('c', { size: 3 });
    expect((await map.writes()).map((w) => w.key)).toHaveLength(1);
  });

  it('reads a corrupt shard as empty and deletes a shard left empty', async () => {
    const state = createMemoryStorage();
    const map = createShardedMap<number>(state, 'idx/', 4);
    await map.ensure(['a']);
    map.set('a', 1);
    for (const w of await map.writes()) if (w.body) await state.put(w.key, w.body);
    const [shard] = await state.list('idx/');
    const again = createShardedMap<number>(state, 'idx/', 4);
    await again.ensure(['a']);
    again.delete('a');
    expect(await again.writes()).toEqual([{ key: shard, body: null }]);
    await state.put(shard ?? 'x', new TextEncoder().encode('garbage'));
    const corrupt = createShardedMap<number>(state, 'idx/', 4);
    await corrupt.ensure(['a']);
    expect(corrupt.get('a')).toBeUndefined();
  });

  it('checks every shard it reads against a census: lost, stray or rewritten shards are damage', async () => {
    const state = createMemoryStorage();
    const first = createShardedMap<number>(state, 'idx/', 4, { fresh: true });
    for (const key of ['a', 'b', 'c', 'd', 'e']) first.set(key, 1);
    for (const w of await first.writes()) if (w.body) await state.put(w.key, w.body);
    const census = first.census() ?? {};
    expect(Object.keys(census).length).toBe((await state.list('idx/')).length);
    const intact = createShardedMap<number>(state, 'idx/', 4, { census });
    await intact.ensureAll();
    expect(intact.get('a')).toBe(1);
    // Changed and written: the census follows.
    intact.set('a', 2);
    for (const w of await intact.writes()) if (w.body) await state.put(w.key, w.body);
    const next = intact.census() ?? {};
    await createShardedMap<number>(state, 'idx/', 4, { census: next }).ensureAll();
    await expect(createShardedMap<number>(state, 'idx/', 4, { census }).ensureAll()).rejects.toThrow(
      /does not match its census/,
    );
    const [shard] = await state.list('idx/');
    await state.delete(shard ?? 'x');
    await expect(createShardedMap<number>(state, 'idx/', 4, { census: next }).ensureAll()).rejects.toThrow(
      /missing/,
    );
    await expect(createShardedMap<number>(state, 'idx/', 4, { census: {} }).ensureAll()).rejects.toThrow(
      /not in its census/,
    );
  });
});
