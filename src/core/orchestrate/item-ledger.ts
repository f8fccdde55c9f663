/**
 * The item ledger as a run reads and writes it: one record per source under `items/` (first-seen
 * date, id, slug, content hash: state/item-record.ts), a lost or unreadable record recovered
 * from the catalog entry or the published feeds (state/ledger-recovery.ts), and the bounded write
 * queue every state write of the item loop goes through.
 *
 * Must not: decide an item's identity (normalise/assign-identity.ts does); write a record except
 * through the queue, whose `beforeFlush` stores the pending note first.
 */

import type { Logger } from '../../ports/logger.ts';
import type { Storage } from '../../ports/storage.ts';
import { IO_CONCURRENCY, mapConcurrent } from '../concurrency/map-concurrent.ts';
import { sha256Hex } from '../digest/hash.ts';
import type { CatalogEntry } from '../state/item-catalog.ts';
import { type ItemRecord, parseItemRecord } from '../state/item-record.ts';
import { createLedgerRecovery, readPublishedFeeds, recordFromEntry } from '../state/ledger-recovery.ts';
import type { RunStart } from './run-types.ts';

const RECORD_PREFIX = 'items/';
/** State writes (ledger records, item bodies) in flight before the loop waits for them. */
const WRITE_BATCH = 256;

export async function recordKey(sourceId: string): Promise<string> {
  return `${RECORD_PREFIX}${(await sha256Hex(sourceId)).slice(0, 32)}.json`;
}

export function recordBytes(record: ItemRecord): Uint8Array {
  return new TextEncoder().encode(`${JSON.stringify(record)}\n`);
}

/** The stored record; null when there is none, 'corrupt' when its bytes are not a record (logged). */
export async function readRecord(
  state: Storage,
  key: string,
  logger: Logger,
): Promise<ItemRecord | null | 'corrupt'> {
  const object = await state.get(key);
  if (!object) return null;
  const record = parseItemRecord(new TextDecoder().decode(object.body));
  if (record) return record;
  logger.warn('unreadable item record: taking it from the published feeds', { key });
  return 'corrupt';
}

export interface WriteQueue {
  put(key: string, body: Uint8Array): Promise<void>;
  flush(): Promise<void>;
}

/**
 * Bounded batches of state writes, so a first build of 100,000 items never queues them all;
 * `beforeFlush` runs before each batch is written (the pending note).
 */
export function writeQueue(state: Storage, beforeFlush: () => Promise<void>): WriteQueue {
  let queued: { key: string; body: Uint8Array }[] = [];
  const flush = async (): Promise<void> => {
    const batch = queued;
    queued = [];
    if (batch.length > 0) await beforeFlush();
    await mapConcurrent(batch, IO_CONCURRENCY, (write) => state.put(write.key, write.body));
  };
  return {
    async put(key, body) {
      queued.push({ key, body });
      if (queued.length >= WRITE_BATCH) await flush();
    },
    flush,
  };
}

export interface PreviousRecordInput {
  readonly sourceId: string;
  readonly identityKey: string;
  readonly contentHash: string;
  /** The source's catalog entry before this run (undefined: not cataloged). */
  readonly old: CatalogEntry | undefined;
}

/**
 * The source's record before this run: stored; else (none while a site is published: state lost,
 * or an unreadable one) the catalog entry's (no read: the ledger alone was lost), else the published
 * feeds'. A record taken from elsewhere is queued to be written back. Sets `run.recovery` when a
 * stored record is unreadable.
 */
export async function previousRecord(
  deps: { readonly state: Storage; readonly published: Storage; readonly logger: Logger },
  run: RunStart,
  writes: WriteQueue,
  input: PreviousRecordInput,
): Promise<ItemRecord | null> {
  const { sourceId, identityKey, contentHash, old } = input;
  const key = await recordKey(sourceId);
  const stored = await readRecord(deps.state, key, deps.logger);
  let previous = stored === 'corrupt' ? null : stored;
  if (stored === 'corrupt')
    run.recovery ??= createLedgerRecovery(() => readPublishedFeeds(deps.published), deps.logger);
  if (previous === null && old) previous = recordFromEntry(old, contentHash);
  if (previous === null && run.recovery !== null)
    previous = await run.recovery.recover({ sourceId, identityKey, contentHash });
  if (previous !== null && previous !== stored) {
    if (!run.recovery)
      deps.logger.warn('item record missing: rebuilt from the item catalog', { source: sourceId });
    await writes.put(key, recordBytes(previous));
  }
  return previous;
}
