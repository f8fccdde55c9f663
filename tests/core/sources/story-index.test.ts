import { describe, expect, it } from 'vitest';
import { createStoryIndex, STORIES_PREFIX, STORY_OF_PREFIX } from '../../../src/core/sources/story-index.ts';
import { DamagedStateError } from '../../../src/core/state/damaged-state.ts';
import type { ShardCensus } from '../../../src/core/state/shard-census.ts';
import { createMemoryStorage } from '../../../src/drivers/storage/memory.ts';
import type { Storage } from '../../../src/ports/storage.ts';

const story = (fingerprint: string, richness: number) => ({
  fingerprint: fingerprint.padEnd(32, '0'),
  richness,
});

async function commit(state: Storage, index: ReturnType<typeof createStoryIndex>) {
  for (const w of await index.writes()) {
    if (w.body === null) await state.delete(w.key);
    else await state.put(w.key, w.body);
  }
  return index.census();
}

function reopen(state: Storage, census: Record<string, ShardCensus>) {
  return createStoryIndex(state, (prefix) => ({ census: census[prefix] ?? {} }));
}

describe('the story index', () => {
  it('folds copies into the winner and remembers, in the next run, what each was folded into', async () => {
    const state = createMemoryStorage();
    const first = createStoryIndex(state, () => ({ fresh: true }));
    await first.set('b.md', story('a1', 2));
    await first.set('a.txt', story('a1', 0));
    await first.set('c.md', story('c3', 1));
    expect(first.affected()).toEqual(['a.txt', 'b.md', 'c.md']);
    expect(await first.foldedInto('a.txt')).toBe('b.md');
    expect(await first.foldedInto('b.md')).toBeNull();
    expect(await first.foldedInto('c.md')).toBeNull();
    // A full run knows nothing before it.
    expect(await first.foldedBefore('a.txt')).toBeNull();
    const census = await commit(state, first);
    expect(Object.keys(census).sort()).toEqual([STORIES_PREFIX, STORY_OF_PREFIX]);

    // Next run: the winner goes; the copy is folded no more, and was folded before.
    const second = reopen(state, census);
    expect(second.affected()).toEqual([]);
    await second.set('b.md', null);
    expect(second.affected()).toEqual(['a.txt', 'b.md']);
    expect(await second.foldedBefore('a.txt')).toBe('b.md');
    expect(await second.foldedInto('a.txt')).toBeNull();
    // c.md's story was not touched: read from its shards as stored.
    expect(await second.foldedBefore('c.md')).toBeNull();
    const census2 = await commit(state, second);

    // A file edited into a copy of another's story folds into it (same richness: first path).
    const third = reopen(state, census2);
    await third.set('c.md', story('a1', 0));
    expect(third.affected()).toEqual(['a.txt', 'c.md']);
    expect(await third.foldedBefore('c.md')).toBeNull();
    expect(await third.foldedInto('c.md')).toBe('a.txt');
  });

  it('finds a lost shard through the census instead of reading it as "no copy"', async () => {
    const state = createMemoryStorage();
    const index = createStoryIndex(state, () => ({ fresh: true }));
    await index.set('b.md', story('a1', 2));
    await index.set('a.txt', story('a1', 0));
    const census = await commit(state, index);
    for (const key of await state.list(STORIES_PREFIX)) await state.delete(key);
    const next = reopen(state, census);
    await expect(next.foldedInto('a.txt')).rejects.toBeInstanceOf(DamagedStateError);
  });
});
