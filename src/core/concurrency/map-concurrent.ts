/**
 * Bounded-concurrency map: items + async fn → results in input order, with at most `limit` calls
 * in flight. The pipeline's hot path is I/O (storage reads and writes, compression on libuv
 * threads); awaiting each call in turn left the main thread idle ~90 % of a full build. Used by
 * the gather, state, publish and recovery alike, so it sits in no stage folder.
 *
 * Must not: start more than `limit` calls at once (a storage or KV binding has its own limits),
 * or swallow errors: the first rejection rejects the whole map (calls already started finish
 * unobserved; no new one starts).
 * Tunables: IO_CONCURRENCY below (the default for storage calls).
 */

/** Storage calls in flight at once: enough to hide disk/KV latency, few enough not to flood. */
export const IO_CONCURRENCY = 32;

export async function mapConcurrent<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  if (!Number.isInteger(limit) || limit < 1) {
    throw new RangeError(`mapConcurrent: limit must be an integer ≥ 1, got ${limit}`);
  }
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < items.length) {
      const index = next++;
      try {
        results[index] = await fn(items[index] as T, index);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  const workers: Promise<void>[] = [];
  for (let i = 0; i < Math.min(limit, items.length); i++) workers.push(worker());
  await Promise.all(workers);
  return results;
}
