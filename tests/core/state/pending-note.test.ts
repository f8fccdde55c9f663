import { describe, expect, it } from 'vitest';
import {
  createPendingNotes,
  foldUnseen,
  PENDING_BATCH_PREFIX,
  PENDING_KEY,
  readPending,
} from '../../../src/core/state/pending-note.ts';
import { createMemoryStorage } from '../../../src/drivers/storage/memory.ts';

describe('pending notes', () => {
  it('a big run writes each name once (one batch note per record batch), and a dead run is read back whole', async () => {
    const state = createMemoryStorage();
    const notes = createPendingNotes(state, 1000, true, null);
    const added: string[] = [];
    let written = 0;
    for (let batch = 0; batch < 40; batch++) {
      for (let i = 0; i < 256; i++) added.push(`articles/item-${batch}-${i}.md`);
      await notes.beforeBatch(added, []);
    }
    for (const key of await state.list(PENDING_BATCH_PREFIX))
      written += (await state.get(key))?.body.length ?? 0;
    // 10,240 names of ~25 bytes: each written once, not a list re-written per batch (~5 MB).
    expect(written).toBeLessThan(added.join('","').length + 40 * 64);
    const dead = await readPending(state);
    expect(dead).not.toBe('unreadable');
    expect(dead && dead !== 'unreadable' ? [dead.complete, dead.added.size] : null).toEqual([true, 10_240]);
    await notes.clear();
    expect(await state.list('')).toEqual([]);
  });

  it('reads an old note (complete only) as naming nothing, and a torn one as unreadable', async () => {
    const state = createMemoryStorage();
    await state.put(PENDING_KEY, new TextEncoder().encode('{"complete":false}'));
    const old = await readPending(state);
    expect(old !== null && old !== 'unreadable' ? [old.added.size, old.updated.size] : old).toEqual([0, 0]);
    await state.put(PENDING_KEY, new TextEncoder().encode('{"compl'));
    expect(await readPending(state)).toBe('unreadable');
  });

  it('folds a dead run’s names into the report: still published, new wins over edited', () => {
    const added = ['c'];
    const updated = ['a'];
    foldUnseen(
      { complete: false, added: new Set(['a', 'gone']), updated: new Set(['b', 'c']) },
      added,
      updated,
      (id) => id !== 'gone',
    );
    expect([added, updated]).toEqual([['c', 'a'], ['b']]);
  });
});
