import { describe, expect, it } from 'vitest';
import { logLogSlope, median, percentile } from '../../bench/lib/stats.ts';
import { summariseProfile } from '../../bench/profile.ts';

describe('bench statistics', () => {
  it('median and percentiles interpolate', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([1, 2, 3, 4])).toBe(2.5);
    expect(percentile([0, 10], 90)).toBe(9);
    expect(Number.isNaN(median([]))).toBe(true);
  });

  it('fits the growth exponent on log-log axes', () => {
    const linear = [100, 1000, 10000].map((n) => [n, 3 * n] as const);
    const quadratic = [100, 1000, 10000].map((n) => [n, n * n] as const);
    const flat = [100, 1000, 10000].map((n) => [n, 42] as const);
    expect(logLogSlope(linear)).toBeCloseTo(1, 6);
    expect(logLogSlope(quadratic)).toBeCloseTo(2, 6);
    expect(logLogSlope(flat)).toBeCloseTo(0, 6);
    expect(Number.isNaN(logLogSlope([[10, 1]]))).toBe(true);
  });
});

describe('summariseProfile', () => {
  it('adds self time per function and per file from samples and time deltas', () => {
    const node = (id: number, functionName: string, url: string) => ({
      id,
      callFrame: { functionName, url, lineNumber: 0 },
    });
    const s = summariseProfile({
      nodes: [
        node(1, '(idle)', ''),
        node(2, 'cleanDocument', 'file:///x/node_modules/franc-min/index.js'),
        node(3, 'b', 'file:///x/node_modules/franc-min/index.js'),
      ],
      samples: [1, 2, 2, 3],
      timeDeltas: [1000, 2000, 3000, 4000],
      startTime: 0,
      endTime: 10000,
    });
    expect(s.totalMs).toBe(10);
    expect(s.byFile[0]).toEqual({ name: 'npm:franc-min', ms: 9, share: 0.9 });
    expect(s.byFunction[0]?.name).toBe('cleanDocument npm:franc-min:1');
    expect(s.byFunction[0]?.ms).toBe(5);
  });
});
