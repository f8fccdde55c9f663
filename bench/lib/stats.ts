/**
 * Small statistics for the bench: median, percentiles, and the log-log slope (growth exponent).
 * Must not: depend on anything (pure functions).
 */

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** Linear-interpolated percentile, p in [0, 100]. NaN for an empty list. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  const a = sorted[lo] ?? Number.NaN;
  const b = sorted[hi] ?? Number.NaN;
  return a + (b - a) * (rank - lo);
}

/**
 * Least-squares slope of log(y) against log(x): y ∝ x^k. k ≈ 1 is linear growth, 0 constant,
 * 2 quadratic. NaN with fewer than two usable points.
 */
export function logLogSlope(points: readonly (readonly [number, number])[]): number {
  const usable = points
    .filter(([x, y]) => x > 0 && y > 0)
    .map(([x, y]) => [Math.log(x), Math.log(y)] as const);
  if (usable.length < 2) return Number.NaN;
  const mx = usable.reduce((s, [x]) => s + x, 0) / usable.length;
  const my = usable.reduce((s, [, y]) => s + y, 0) / usable.length;
  let num = 0;
  let den = 0;
  for (const [x, y] of usable) {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  }
  return den === 0 ? Number.NaN : num / den;
}
