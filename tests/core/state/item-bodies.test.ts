import { describe, expect, it } from 'vitest';
import type { FeedItem } from '../../../src/core/model.ts';
import {
  bodyBytes,
  bodyKey,
  createBodyLoader,
  MissingBodyError,
} from '../../../src/core/state/item-bodies.ts';
import { createMemoryStorage } from '../../../src/drivers/storage/memory.ts';
import type { Storage } from '../../../src/ports/storage.ts';

const ITEM: FeedItem = {
  id: 'urn:uuid:1',
  slug: 'a-1',
  url: 'https://news.example/articles/a-1',
  title: 'Title',
  lead: 'Lead',
  contentHtml: '<p>Body</p>',
  contentText: 'Body',
  blocks: [{ kind: 'paragraph', text: 'Body' }],
  language: 'en',
  tags: ['Paris'],
  published: '2026-01-01T00:00:00.000Z',
  updated: '2026-01-01T00:00:00.000Z',
  contentHash: 'h',
  sourceId: 'src/1.md',
  warnings: [],
};

/** What the loader needs to find a body. */
const refOf = (digest: string) => ({ sourceId: ITEM.sourceId, digest });

describe('item bodies', () => {
  it('stores a body under a key named by its digest and loads it back identical', async () => {
    const state = createMemoryStorage();
    const key = await bodyKey('src/1.md', 'abc');
    await state.put(key, bodyBytes(ITEM));
    expect(await bodyKey('src/1.md', 'abd')).not.toBe(key);
    const [loaded] = await createBodyLoader(state)([refOf('abc')]);
    expect(loaded).toEqual(ITEM);
  });

  it('reads each body once per run however many documents list it', async () => {
    const inner = createMemoryStorage();
    let gets = 0;
    const state: Storage = {
      ...inner,
      get: (key) => {
        gets++;
        return inner.get(key);
      },
    };
    await state.put(await bodyKey('src/1.md', 'abc'), bodyBytes(ITEM));
    const load = createBodyLoader(state);
    await load([refOf('abc')]);
    await load([refOf('abc'), refOf('abc')]);
    expect(gets).toBe(1);
  });

  it('fails with a clear error when the catalog names a body state does not hold', async () => {
    const load = createBodyLoader(createMemoryStorage());
    await expect(load([refOf('zzz')])).rejects.toThrow(MissingBodyError);
    await expect(load([refOf('zzz')])).rejects.toThrow(/src\/1\.md/);
  });
});
