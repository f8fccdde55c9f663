import { describe, expect, it } from 'vitest';
import type { FeedItem } from '../../../src/core/model.ts';
import { assembleFeed } from '../../../src/core/plan/assemble-feed.ts';
import { SITE } from '../normalise/fixtures.ts';

function item(id: string, published: string, updated = published): FeedItem {
  return {
    id,
    slug: id,
    url: `${SITE.baseUrl}/articles/${id}`,
    title: id,
    lead: '',
    contentHtml: '',
    contentText: '',
    blocks: [],
    language: 'fr',
    tags: [],
    published,
    updated,
    contentHash: id,
    sourceId: id,
    warnings: [],
  };
}

describe('assembleFeed', () => {
  it('sorts newest first with a stable tie-break and drops duplicate ids', () => {
    const feed = assembleFeed(
      [
        item('b', '2026-01-01T00:00:00.000Z'),
        item('a', '2026-01-01T00:00:00.000Z'),
        item('c', '2026-02-01T00:00:00.000Z'),
        item('a', '2020-01-01T00:00:00.000Z'),
      ],
      SITE,
      'fallback',
    );
    expect(feed.items.map((i) => i.id)).toEqual(['c', 'a', 'b']);
  });

  it('takes updated from the newest item change, not from the clock', () => {
    const feed = assembleFeed(
      [
        item('a', '2026-01-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z'),
        item('b', '2026-02-01T00:00:00.000Z'),
      ],
      SITE,
      'fallback',
    );
    expect(feed.updated).toBe('2026-03-01T00:00:00.000Z');
    expect(assembleFeed([], SITE, '2026-05-05T00:00:00.000Z').updated).toBe('2026-05-05T00:00:00.000Z');
  });
});
