import { describe, expect, it } from 'vitest';
import {
  type FrozenPage,
  frozenCounts,
  frozenHeld,
  frozenPageOf,
  recountFrozen,
  settleFrozen,
} from '../../../src/core/state/frozen-pages.ts';
import type { OrderKey } from '../../../src/core/state/item-order.ts';

/** Item k, published at hour k: higher k = newer. */
const key = (k: number): OrderKey => ({
  published: new Date(Date.UTC(2026, 0, 1) + k * 3_600_000).toISOString(),
  id: `urn:${k}`,
  sourceId: `content/${k}.md`,
});
const oldestFirst = (keys: number[]): OrderKey[] => keys.map(key);

describe('frozen pages', () => {
  // Pages ending at items 1 and 3: page 1 holds ≤ 1, page 2 holds 2–3, newer ones are open.
  const pages: FrozenPage[] = [
    { last: key(1), n: 2 },
    { last: key(3), n: 2 },
  ];

  it('finds the page whose key range holds a key, or the open region', () => {
    expect(frozenPageOf(pages, key(0))).toBe(0);
    expect(frozenPageOf(pages, key(1))).toBe(0);
    expect(frozenPageOf(pages, key(2))).toBe(1);
    expect(frozenPageOf(pages, key(3))).toBe(1);
    expect(frozenPageOf(pages, key(4))).toBe(-1);
    expect(frozenPageOf([], key(0))).toBe(-1);
  });

  it('recounts from the members of a complete run, boundaries kept even when their item is gone', () => {
    // Item 1 deleted, item 2.5 does not exist: items 0 | 2, 3 | 4, 5 open.
    const counted = recountFrozen([key(1), key(3)], oldestFirst([0, 2, 3, 4, 5]));
    expect(frozenCounts(counted)).toEqual([1, 2]);
    expect(frozenHeld(counted)).toBe(3);
  });

  it('freezes the oldest open page once a full page follows it: positional paging from nothing', async () => {
    const members = oldestFirst([0, 1, 2, 3, 4, 5, 6]);
    // 7 archived items, pages of 2: pages 1–3 are full with a successor, page 4 holds item 6.
    const settled = await settleFrozen([], 7, 2, (p) => members[p] as OrderKey);
    expect(frozenCounts(settled.pages)).toEqual([2, 2, 2]);
    expect(settled.pages.map((page) => page.last)).toEqual([key(1), key(3), key(5)]);
    expect(settled.frozen).toEqual([1, 2, 3]);
    expect(settled.droppedFrom).toBeNull();
  });

  it('drops the newest frozen pages back into the open region when the archive shrank under them', async () => {
    const settled = await settleFrozen(pages, 3, 2, () => {
      throw new Error('nothing to freeze');
    });
    expect(frozenCounts(settled.pages)).toEqual([2]);
    expect(settled.droppedFrom).toBe(2);
    expect(settled.frozen).toEqual([]);
  });
});
