import { describe, expect, it } from 'vitest';
import { mapConcurrent } from '../../../src/core/concurrency/map-concurrent.ts';

const tick = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('mapConcurrent', () => {
  it('returns results in input order whatever order the calls finish in', async () => {
    const out = await mapConcurrent([30, 5, 20, 1], 4, async (ms, i) => {
      await tick(ms);
      return `${i}:${ms}`;
    });
    expect(out).toEqual(['0:30', '1:5', '2:20', '3:1']);
  });

  it('never has more than `limit` calls in flight', async () => {
    let inFlight = 0;
    let peak = 0;
    await mapConcurrent(
      Array.from({ length: 20 }, (_, i) => i),
      3,
      async () => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await tick(2);
        inFlight--;
      },
    );
    expect(peak).toBe(3);
  });

  it('rejects with the first error and starts no new call after it', async () => {
    const started: number[] = [];
    await expect(
      mapConcurrent([0, 1, 2, 3, 4, 5], 1, async (n) => {
        started.push(n);
        if (n === 2) throw new Error('boom at 2');
        return n;
      }),
    ).rejects.toThrow('boom at 2');
    expect(started).toEqual([0, 1, 2]);
  });

  it('handles an empty input and refuses a limit below 1', async () => {
    expect(await mapConcurrent([], 4, async () => 1)).toEqual([]);
    await expect(mapConcurrent([1], 0, async () => 1)).rejects.toThrow(RangeError);
  });
});
