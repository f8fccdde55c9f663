import { describe, expect, it } from 'vitest';
import type { FeedItem } from '../../../src/core/model.ts';
import {
  bodyBytes,
  bodyKey,
  createBodyLoader,
  MissingBodyError,
} from '../../../src/core/pipeline/item-bodies.ts';
import type { CatalogEntry } from '../../../src/core/pipeline/item-catalog.ts';
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

function entryOf(item: FeedItem, digest: string): CatalogEntry {
  return {
    sourceId: item.sourceId,
    id: item.id,
    slug: item.slug,
    published: item.published,
    updated: item.updated,
    digest,
    tags: item.tags,
    warnings: 0,
  };
}

describe('item bodies', () => {
  it('stores a body under a key named by its digest and loads it back identical', async () => {
    const state = createMemoryStorage();
    const key = await bodyKey('src/1.md', 'abc');
    await state.put(key, bodyBytes(ITEM));
    expect(await bodyKey('src/1.md', 'abd')).not.toBe(key);
    const [loaded] = await createBodyLoader(state)([entryOf(ITEM, 'abc')]);
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
    await load([entryOf(ITEM, 'abc')]);
    await load([entryOf(ITEM, 'abc'), entryOf(ITEM, 'abc')]);
    expect(gets).toBe(1);
  });

  it('fails with a clear error when the catalog names a body state does not hold', async () => {
    const load = createBodyLoader(createMemoryStorage());
    await expect(load([entryOf(ITEM, 'zzz')])).rejects.toThrow(MissingBodyError);
    await expect(load([entryOf(ITEM, 'zzz')])).rejects.toThrow(/src\/1\.md/);
  });
});
