/**
 * Cloudflare R2 Storage driver: key `a/b.html` ↔ object `<prefix>a/b.html` in the bucket it is
 * given (the binding object, passed explicitly by the Worker entry: never looked up on globalThis).
 * `modified` is the object's `uploaded` time; `listEntries` takes size, uploaded and etag from the
 * list pages themselves (no object is opened). `putIfAbsent` is a conditional put (the publish lock).
 *
 * Why R2 holds the published documents and the state ledger on the edge: R2 is strongly
 * consistent (a read after a successful write sees it, in every location), which the manifest
 * swap and the "first-seen dates never move" ledger both rely on; objects may be far larger
 * than KV's 25 MiB. https://developers.cloudflare.com/r2/reference/consistency/
 *
 * Must not: expose R2 types through the Storage port, or rely on R2's listing order (keys are
 * re-sorted like every other driver). Tunables: R2_LIST_PAGE_SIZE below.
 */
import type { Storage, StoredEntry, StoredObject } from '../../ports/storage.ts';
import { assertStoragePrefix } from './key-prefix.ts';
import { listAllPages } from './list-pages.ts';
import { assertValidKey, assertValidPrefix } from './storage-key.ts';

/** R2 returns at most 1000 objects per list call. */
const R2_LIST_PAGE_SIZE = 1000;

/** The part of a Workers `R2Bucket` binding this driver uses (structural, so Node tests can fake it). */
export interface R2BucketLike {
  get(key: string): Promise<{ arrayBuffer(): Promise<ArrayBuffer>; readonly uploaded: Date } | null>;
  /** Resolves null when `onlyIf` is not met (nothing written). */
  put(
    key: string,
    value: ArrayBuffer,
    options?: { onlyIf?: { etagDoesNotMatch?: string } },
  ): Promise<unknown>;
  delete(keys: string | string[]): Promise<void>;
  list(options?: { prefix?: string; cursor?: string; limit?: number }): Promise<{
    objects: readonly { key: string; size?: number; uploaded?: Date; etag?: string }[];
    truncated: boolean;
    cursor?: string;
  }>;
}

export interface R2StorageOptions {
  /** Namespaces this storage inside a shared bucket (`''` or a path ending in `/`). */
  readonly prefix?: string;
}

export function createR2Storage(bucket: R2BucketLike, options: R2StorageOptions = {}): Storage {
  const prefix = options.prefix ?? '';
  assertStoragePrefix(prefix);

  /** Every object under the prefix with its size, upload time and etag, across pages, sorted. */
  async function listPages(listPrefix: string): Promise<StoredEntry[]> {
    assertValidPrefix(listPrefix);
    return listAllPages({ prefix: prefix + listPrefix, limit: R2_LIST_PAGE_SIZE }, async (options) => {
      const page = await bucket.list(options);
      const entries = page.objects.map(
        (object): StoredEntry => ({
          key: object.key.slice(prefix.length),
          size: object.size ?? -1,
          ...(object.uploaded ? { modified: new Date(object.uploaded) } : {}),
          ...(object.etag ? { etag: object.etag } : {}),
        }),
      );
      return { entries, cursor: page.truncated ? page.cursor : undefined };
    });
  }

  return {
    async get(key: string): Promise<StoredObject | null> {
      assertValidKey(key);
      const object = await bucket.get(prefix + key);
      if (object === null) return null;
      return { body: new Uint8Array(await object.arrayBuffer()), modified: new Date(object.uploaded) };
    },

    async put(key: string, body: Uint8Array): Promise<void> {
      assertValidKey(key);
      // A copy: the bytes sent must not change if the caller reuses its buffer.
      await bucket.put(prefix + key, body.slice().buffer);
    },

    async putIfAbsent(key: string, body: Uint8Array): Promise<boolean> {
      assertValidKey(key);
      // A conditional put: `etagDoesNotMatch: '*'` (If-None-Match: *) writes only where no object
      // is, atomically in R2 (strongly consistent); a failed condition resolves null.
      const written = await bucket.put(prefix + key, body.slice().buffer, {
        onlyIf: { etagDoesNotMatch: '*' },
      });
      return written !== null;
    },

    async delete(key: string): Promise<void> {
      assertValidKey(key);
      // Deleting a missing object is not an error in R2, as the port requires.
      await bucket.delete(prefix + key);
    },

    async list(listPrefix: string): Promise<string[]> {
      return (await listPages(listPrefix)).map((entry) => entry.key);
    },

    listEntries: listPages,
  };
}
