/** Fresh FeedItems for the syndication tests: item n is published on day n (higher = newer). */
import type { FeedItem } from '../../../src/core/model.ts';

export const BASE_URL = 'https://news.example';

export function makeItem(n: number, overrides: Partial<FeedItem> = {}): FeedItem {
  const day = String(n).padStart(2, '0');
  return {
    id: `urn:uuid:00000000-0000-8000-8000-0000000000${day}`,
    slug: `story-${n}`,
    url: `${BASE_URL}/articles/story-${n}`,
    title: `Story ${n}`,
    lead: `Lead ${n}.`,
    contentHtml: `<p>Body ${n}.</p>`,
    contentText: `Body ${n}.`,
    blocks: [{ kind: 'paragraph', text: `Body ${n}.` }],
    language: 'fr',
    tags: [],
    published: `2026-01-${day}T00:00:00.000Z`,
    updated: `2026-01-${day}T00:00:00.000Z`,
    contentHash: String(n),
    sourceId: `story-${n}.txt`,
    warnings: [],
    ...overrides,
  };
}

/** Items n..1, newest first. */
export function makeItems(
  count: number,
  overrides: (n: number) => Partial<FeedItem> = () => ({}),
): FeedItem[] {
  return Array.from({ length: count }, (_, i) => makeItem(count - i, overrides(count - i)));
}
