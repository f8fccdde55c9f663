import { describe, expect, it } from 'vitest';
import { CHROME_PREFIX, createChromeIndex, MAX_TRACKED_IDS } from '../../../src/core/sources/chrome-index.ts';
import { createMemoryStorage } from '../../../src/drivers/storage/memory.ts';
import type { Storage } from '../../../src/ports/storage.ts';

async function commit(state: Storage, writes: { key: string; body: Uint8Array | null }[]) {
  for (const w of writes) await (w.body ? state.put(w.key, w.body) : state.delete(w.key));
}

describe('chrome index', () => {
  it('counts documents per key and names them while few, across a commit', async () => {
    const state = createMemoryStorage();
    const index = createChromeIndex(state);
    await index.ensure('site', ['k1', 'k2']);
    index.add('site', 'k1', 'a');
    index.add('site', 'k1', 'b');
    index.add('site', 'k2', 'a');
    expect(index.current('site', 'k1')).toEqual({ count: 2, ids: ['a', 'b'] });
    expect(index.original('site', 'k1')).toEqual({ count: 0, ids: [] });
    expect(await state.list('')).toEqual([]); // nothing written before the caller commits
    await commit(state, await index.writes());
    expect((await state.list(CHROME_PREFIX)).length).toBeGreaterThan(0);

    const next = createChromeIndex(state);
    await next.ensure('site', ['k1']);
    next.remove('site', 'k1', 'a');
    expect(next.original('site', 'k1')).toEqual({ count: 2, ids: ['a', 'b'] });
    expect(next.current('site', 'k1')).toEqual({ count: 1, ids: ['b'] });
    expect([...(next.touched().get('site') ?? [])]).toEqual(['k1']);
  });

  it('keeps sources apart', async () => {
    const index = createChromeIndex(createMemoryStorage());
    await index.ensure('a', ['k']);
    await index.ensure('b', ['k']);
    index.add('a', 'k', 'x');
    index.add('b', 'k', 'y');
    expect(index.count('a', 'k')).toBe(1);
    expect(index.current('b', 'k').ids).toEqual(['y']);
  });

  it('forgets ids past MAX_TRACKED_IDS (count stays exact) and relearn restores them', async () => {
    const state = createMemoryStorage();
    const index = createChromeIndex(state);
    await index.ensure('s', ['k']);
    const ids = Array.from({ length: MAX_TRACKED_IDS + 2 }, (_, i) => `d${i}`);
    for (const id of ids) index.add('s', 'k', id);
    for (const id of ids.slice(1)) index.remove('s', 'k', id);
    expect(index.current('s', 'k')).toEqual({ count: 1, ids: null });
    const holders = await index.relearn('s', [
      { id: 'd0', keys: ['k', 'other'] },
      { id: 'e', keys: ['other'] },
    ]);
    expect(holders.get('k')).toEqual(['d0']);
    expect(index.current('s', 'k')).toEqual({ count: 1, ids: ['d0'] });
    expect(index.current('s', 'other')).toEqual({ count: 2, ids: ['d0', 'e'] });
  });

  it('a fresh index replaces what is stored, sources gone included', async () => {
    const state = createMemoryStorage();
    const old = createChromeIndex(state);
    await old.ensure('gone', ['k']);
    old.add('gone', 'k', 'x');
    await commit(state, await old.writes());
    const fresh = createChromeIndex(state, { fresh: true });
    fresh.add('kept', 'k', 'y');
    await commit(state, await fresh.writes());
    const keys = await state.list(CHROME_PREFIX);
    expect(keys.length).toBe(1);
    const again = createChromeIndex(state);
    await again.ensure('gone', ['k']);
    expect(again.count('gone', 'k')).toBe(0);
  });

  it('writes nothing for a document whose keys are removed and counted again', async () => {
    const state = createMemoryStorage();
    const index = createChromeIndex(state);
    const keys = Array.from({ length: 40 }, (_, i) => `k${i}`);
    await index.ensure('site', keys);
    for (const id of ['b', 'a', 'c']) for (const hash of keys) index.add('site', hash, id);
    await commit(state, await index.writes());

    // An edited document: its keys leave, then its new keys (all but one the same) come back.
    const next = createChromeIndex(state);
    await next.ensure('site', [...keys, 'k-new']);
    for (const hash of keys) next.remove('site', hash, 'a');
    for (const hash of [...keys.slice(1), 'k-new']) next.add('site', hash, 'a');
    const writes = await next.writes();
    // Only the shards of the key that left (k0) and the one that came (k-new) change.
    expect(writes.length).toBeGreaterThan(0);
    expect(writes.length).toBeLessThanOrEqual(2);
    expect(next.current('site', 'k1')).toEqual({ count: 3, ids: ['a', 'b', 'c'] });

    const same = createChromeIndex(state);
    await same.ensure('site', keys);
    for (const hash of keys) same.remove('site', hash, 'b');
    for (const hash of keys) same.add('site', hash, 'b');
    expect(await same.writes()).toEqual([]);
  });
});
