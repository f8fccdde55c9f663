/**
 * Bounded concurrency for publish: a pool that runs a task per item N at a time and, unlike
 * map-concurrent.ts, waits for every started task before it rethrows the first failure (a
 * rollback must never race a write still in flight), and a limiter that caps one kind of work
 * (writes, compression) across all the pool's tasks.
 *
 * Must not: keep results (publish drops each document's bytes as soon as they are written).
 * Tunables: the three limits below, which every step of a publish shares.
 */

/**
 * Documents in the render → hash → compress → write pipeline at once: the bound on rendered
 * bytes held (each document's identity, gzip and brotli bytes live only while it is in flight).
 * A few more than the compression slots keeps hashing and writing overlapped with compression.
 */
export const PIPELINE_CONCURRENCY = 8;
/**
 * Documents compressed at once: Node's zlib runs on the libuv pool (4 threads by default), so a
 * few more than the cores keeps every core busy.
 */
export const COMPRESS_CONCURRENCY = 4;
/**
 * Writes in flight at once, across the whole publish. Small on purpose: a process killed
 * mid-publish leaves at most this many temp files of the fs driver behind (swept later).
 */
export const WRITE_CONCURRENCY = 2;

/** Runs `task` for every item, `limit` at a time; after a failure starts nothing new, awaits the rest, throws the first error. */
export async function runPool<T>(
  items: readonly T[],
  limit: number,
  task: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | null = null;
  const worker = async (): Promise<void> => {
    while (failure === null && next < items.length) {
      const index = next++;
      try {
        await task(items[index] as T, index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  const workers: Promise<void>[] = [];
  for (let i = 0; i < Math.min(limit, items.length); i++) workers.push(worker());
  await Promise.all(workers);
  if (failure !== null) throw (failure as { error: unknown }).error;
}

export type Limiter = <R>(task: () => Promise<R>) => Promise<R>;

/** At most `limit` tasks passed to the returned function run at once; the others wait in order. */
export function createLimiter(limit: number): Limiter {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async <R>(task: () => Promise<R>): Promise<R> => {
    // A finished task hands its slot straight to the next waiter, so a newcomer cannot slip in.
    if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    else running++;
    try {
      return await task();
    } finally {
      const nextTask = waiting.shift();
      if (nextTask) nextTask();
      else running--;
    }
  };
}
