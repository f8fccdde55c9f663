import { describe, expect, it } from 'vitest';
import type { FeedItem } from '../../../src/core/model.ts';
import { createFeedLinks } from '../../../src/core/render/feed-links.ts';
import { memoisePerItem } from '../../../src/core/render/item-fragments.ts';
import { jsonFeedItem, renderJsonFeed } from '../../../src/core/render/render-json-feed.ts';
import { createHostileItem, createItems, createSite } from './fixtures.ts';

const SITE = createSite();
const ITEMS = [...createItems(), createHostileItem()];

describe('per-item fragments', () => {
  it('render an item once per item object', () => {
    let calls = 0;
    const render = memoisePerItem((item) => {
      calls++;
      return item.title;
    });
    const [a, b] = ITEMS as [FeedItem, FeedItem];
    expect([render(a), render(b), render(a), render({ ...a })]).toEqual([a.title, b.title, a.title, a.title]);
    expect(calls).toBe(3);
  });

  it('assemble JSON Feed documents byte for byte as JSON.stringify would', () => {
    const links = createFeedLinks(SITE);
    for (const items of [[], ITEMS.slice(0, 1), ITEMS]) {
      const doc = { site: SITE, items, updated: '2026-11-20T10:00:00.000Z' };
      const text = renderJsonFeed(doc, links);
      const parsed = JSON.parse(text) as { items: unknown[] };
      expect(parsed.items).toEqual(items.map(jsonFeedItem));
      expect(text).toBe(`${JSON.stringify(parsed, null, 2)}\n`);
    }
  });
});
