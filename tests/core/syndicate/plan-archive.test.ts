import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planArchive } from '../../../src/core/syndicate/plan-archive.ts';
import { makeItems } from './items.ts';

const numbers = (items: readonly { slug: string }[]) => items.map((i) => Number(i.slug.slice(6)));

describe('planArchive', () => {
  it('keeps the newest feedSize items current and pages the rest from the oldest', () => {
    const plan = planArchive(makeItems(10), 3, 3);
    expect(numbers(plan.current)).toEqual([10, 9, 8]);
    expect(plan.pages.map((p) => [p.number, numbers(p.items), p.immutable])).toEqual([
      [1, [3, 2, 1], true],
      [2, [6, 5, 4], true],
      [3, [7], false],
    ]);
  });

  it('does not freeze the newest full page until a successor exists (its next-archive link is not final)', () => {
    const plan = planArchive(makeItems(6), 3, 3);
    expect(plan.pages).toHaveLength(1);
    expect(plan.pages[0]?.immutable).toBe(false);
  });

  it('has no archive while everything fits the current feed', () => {
    expect(planArchive(makeItems(3), 3, 1).pages).toEqual([]);
  });

  it('never changes a page once it is immutable, whatever gets published later', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 8 }),
        (count, feedSize, pageSize) => {
          const before = planArchive(makeItems(count), feedSize, pageSize);
          const after = planArchive(makeItems(count + 1), feedSize, pageSize);
          for (const page of before.pages.filter((p) => p.immutable)) {
            expect(numbers(after.pages[page.number - 1]?.items ?? [])).toEqual(numbers(page.items));
          }
          // Every item is in the current feed or exactly one page.
          const all = [...numbers(before.current), ...before.pages.flatMap((p) => numbers(p.items))];
          expect(all.sort((a, b) => a - b)).toEqual(Array.from({ length: count }, (_, i) => i + 1));
        },
      ),
    );
  });

  it('cuts the frozen pages by their counts, then the rest by position; every item in one place', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 8 }),
        fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: 6 }),
        (count, feedSize, pageSize, counts) => {
          const archived = Math.max(0, count - feedSize);
          const frozen: number[] = [];
          let held = 0;
          for (const n of counts) {
            if (held + n > archived) break;
            frozen.push(n);
            held += n;
          }
          const plan = planArchive(makeItems(count), feedSize, pageSize, () => true, frozen);
          frozen.forEach((n, i) => {
            expect(plan.pages[i]?.items.length).toBe(n);
            expect(plan.pages[i]?.frozen).toBe(true);
          });
          for (const page of plan.pages.slice(frozen.length))
            expect(page.items.length).toBeLessThanOrEqual(pageSize);
          const all = [...numbers(plan.current), ...plan.pages.flatMap((p) => numbers(p.items))];
          expect(all.sort((a, b) => a - b)).toEqual(Array.from({ length: count }, (_, i) => i + 1));
          // The newest page is never served as final.
          expect(plan.pages[plan.pages.length - 1]?.immutable ?? false).toBe(false);
        },
      ),
    );
  });

  it('rejects frozen pages that hold more than the archive', () => {
    expect(() => planArchive(makeItems(5), 3, 2, () => true, [3])).toThrow(RangeError);
  });

  it('rejects sizes below 1', () => {
    expect(() => planArchive([], 0, 1)).toThrow(RangeError);
  });
});
