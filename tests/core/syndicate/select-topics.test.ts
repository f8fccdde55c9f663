import { describe, expect, it } from 'vitest';
import { publishersOf, selectTopics, tagsOf } from '../../../src/core/syndicate/select-topics.ts';
import { makeItem } from './items.ts';

describe('selectTopics', () => {
  const items = [
    makeItem(3, { tags: ['Été', 'Kosovo'], publisher: 'AFP' }),
    makeItem(2, { tags: ['ete', 'Serbie'] }),
    makeItem(1, { tags: ['été', 'Été'], publisher: 'AFP' }),
  ];

  it('groups labels by slug, keeps item order and counts an item once per topic', () => {
    const topics = selectTopics(items, tagsOf);
    expect(topics.map((t) => t.slug)).toEqual(['ete', 'kosovo', 'serbie']);
    expect(topics[0]?.items.map((i) => i.slug)).toEqual(['story-3', 'story-2', 'story-1']);
  });

  it('labels a topic with its most used spelling', () => {
    expect(selectTopics(items, tagsOf)[0]?.label).toBe('Été');
  });

  it('makes one topic per publisher and ignores items without one', () => {
    const topics = selectTopics(items, publishersOf);
    expect(topics).toHaveLength(1);
    expect(topics[0]).toMatchObject({ slug: 'afp', label: 'AFP' });
    expect(topics[0]?.items).toHaveLength(2);
  });
});
