/**
 * Cloudflare KV Storage driver: key `a/b.html` ↔ KV key `<prefix>a/b.html` in the namespace it is
 * given (the binding object, passed explicitly by the Worker entry: never looked up on globalThis).
 * `modified` and `size` travel as KV metadata (`{ modified: epoch ms, size: bytes }`), since KV keeps
 * no write time; KV's list returns each key's metadata, so `listEntries` costs list calls only (a
 * value written by someone else, without that metadata, is read once to learn its size).
 *
 * Platform limits that shape its use (https://developers.cloudflare.com/kv/platform/limits/):
 * values ≤ 25 MiB (checked here, before the write, with an error naming the key), keys ≤ 512
 * bytes, one write per second per key, and eventual consistency: a write can take ~60 s to be
 * visible in other locations. That last one is why the Worker keeps published documents and the
 * state ledger in R2 (see src/entry/worker.ts); KV suits data that tolerates stale reads.
 *
 * `putIfAbsent` is not atomic here (KV has no conditional write): see it below.
 *
 * Must not: expose KV types through the Storage port, or rely on KV's own listing order (keys
 * are re-sorted like every other driver). Tunables: KV_MAX_VALUE_BYTES, KV_LIST_PAGE_SIZE below.
 */
import type { Storage, StoredEntry, StoredObject } from '../../ports/storage.ts';
import { assertStoragePrefix } from './key-prefix.ts';
import { listAllPages } from './list-pages.ts';
import { assertValidKey, assertValidPrefix } from './storage-key.ts';

/** KV's value size limit (25 MiB). */
export const KV_MAX_VALUE_BYTES = 25 * 1024 * 1024;
/** KV returns at most 1000 keys per list call. */
const KV_LIST_PAGE_SIZE = 1000;

/** The part of a Workers `KVNamespace` binding this driver uses (structural, so Node tests can fake it). */
export interface KvNamespaceLike {
  getWithMetadata<Metadata = unknown>(
    key: string,
    type: 'arrayBuffer',
  ): Promise<{ value: ArrayBuffer | null; metadata: Metadata | null }>;
  put(key: string, value: ArrayBuffer, options?: { metadata?: unknown }): Promise<void>;
  delete(key: string): Promise<void>;
  list(options?: { prefix?: string | null; cursor?: string | null; limit?: number }): Promise<{
    keys: readonly { name: string; metadata?: unknown }[];
    list_complete: boolean;
    cursor?: string;
  }>;
}

export interface KvStorageOptions {
  /** Namespaces this storage inside a shared KV namespace (`''` or a path ending in `/`). */
  readonly prefix?: string;
}

interface KvMetadata {
  readonly modified?: number;
  readonly size?: number;
}

/** Thrown before writing a value KV would refuse. */
export class StorageValueTooLargeError extends Error {
  override readonly name = 'StorageValueTooLargeError';
  constructor(
    readonly key: string,
    readonly bytes: number,
    readonly limit: number,
  ) {
    super(`Cannot store ${JSON.stringify(key)}: ${bytes} bytes, over the ${limit}-byte limit of the store`);
  }
}

export function createKvStorage(namespace: KvNamespaceLike, options: KvStorageOptions = {}): Storage {
  const prefix = options.prefix ?? '';
  assertStoragePrefix(prefix);

  /** Every key under the prefix with its metadata, across pages, sorted by key. */
  async function listPages(listPrefix: string): Promise<{ key: string; metadata: KvMetadata | null }[]> {
    assertValidPrefix(listPrefix);
    return listAllPages({ prefix: prefix + listPrefix, limit: KV_LIST_PAGE_SIZE }, async (options) => {
      const page = await namespace.list(options);
      const entries = page.keys.map(({ name, metadata }) => ({
        key: name.slice(prefix.length),
        metadata: typeof metadata === 'object' && metadata !== null ? (metadata as KvMetadata) : null,
      }));
      return { entries, cursor: page.list_complete ? undefined : page.cursor };
    });
  }

  return {
    async get(key: string): Promise<StoredObject | null> {
      assertValidKey(key);
      const { value, metadata } = await namespace.getWithMetadata<KvMetadata>(prefix + key, 'arrayBuffer');
      if (value === null) return null;
      const body = new Uint8Array(value);
      return typeof metadata?.modified === 'number'
        ? { body, modified: new Date(metadata.modified) }
        : { body };
    },

    async put(key: string, body: Uint8Array): Promise<void> {
      assertValidKey(key);
      if (body.byteLength > KV_MAX_VALUE_BYTES) {
        throw new StorageValueTooLargeError(key, body.byteLength, KV_MAX_VALUE_BYTES);
      }
      const metadata: KvMetadata = { modified: Date.now(), size: body.byteLength };
      // A copy: the bytes sent must not change if the caller reuses its buffer.
      await namespace.put(prefix + key, body.slice().buffer, { metadata });
    },

    /**
     * The weaker guarantee: KV has no conditional write, so this is a read then a write. Two callers
     * (worse, in two locations, where a write takes up to ~60 s to show) can both see no object and
     * both "create" it. The Worker keeps its state, and so the publish lock, in R2 for that reason.
     */
    async putIfAbsent(key: string, body: Uint8Array): Promise<boolean> {
      assertValidKey(key);
      const { value } = await namespace.getWithMetadata(prefix + key, 'arrayBuffer');
      if (value !== null) return false;
      await this.put(key, body);
      return true;
    },

    async delete(key: string): Promise<void> {
      assertValidKey(key);
      await namespace.delete(prefix + key);
    },

    async list(listPrefix: string): Promise<string[]> {
      return (await listPages(listPrefix)).map((entry) => entry.key);
    },

    async listEntries(listPrefix: string): Promise<StoredEntry[]> {
      const listed = await listPages(listPrefix);
      const entries: StoredEntry[] = [];
      for (const { key, metadata } of listed) {
        const modified = typeof metadata?.modified === 'number' ? new Date(metadata.modified) : null;
        let size = typeof metadata?.size === 'number' ? metadata.size : null;
        if (size === null) {
          // Written without our metadata: its size is only known by reading it.
          const { value } = await namespace.getWithMetadata(prefix + key, 'arrayBuffer');
          if (value === null) continue;
          size = value.byteLength;
        }
        entries.push(modified ? { key, size, modified } : { key, size });
      }
      return entries;
    },
  };
}
