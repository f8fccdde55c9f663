/**
 * A regeneration's dependencies over memory storage, for tests: content, published and state
 * stores, a silent logger, node:zlib compression and a clock that only moves when told to.
 *
 * Must not: read the wall clock or touch the file system.
 */
import type { RegenerateDeps } from '../../src/core/orchestrate/regenerate.ts';
import { createNodeCompressor } from '../../src/drivers/compressor/node-zlib.ts';
import { createMemoryStorage } from '../../src/drivers/storage/memory.ts';
import type { Storage } from '../../src/ports/storage.ts';

export const SILENT_LOGGER = { debug() {}, info() {}, warn() {}, error() {} };

export interface MemoryRun {
  readonly deps: RegenerateDeps;
  /** Moves the clock forward by `ms`. */
  advance(ms: number): void;
}

/** Fresh stores and a clock standing at `startIso`. */
export function memoryRun(startIso = '2026-11-20T10:00:00Z'): MemoryRun {
  let now = new Date(startIso);
  const deps: RegenerateDeps = {
    content: createMemoryStorage(),
    published: createMemoryStorage(),
    state: createMemoryStorage(),
    clock: { now: () => now },
    logger: SILENT_LOGGER,
    compressor: createNodeCompressor(),
  };
  return {
    deps,
    advance(ms) {
      now = new Date(now.getTime() + ms);
    },
  };
}

/** A copy of every object of a store, in a new memory store (to run `--full` beside an incremental run). */
export async function copyStore(from: Storage): Promise<Storage> {
  const to = createMemoryStorage();
  for (const key of await from.list('')) {
    const stored = await from.get(key);
    if (stored) await to.put(key, stored.body);
  }
  return to;
}
