/**
 * In-memory Storage driver: a Map of key → bytes, for tests and one-shot CLI runs.
 *
 * Must not: share state between instances (each call gets a fresh map), or hand out the caller's
 * buffers (bytes are copied in and out so later mutation cannot change a stored object).
 * Tunables: none.
 */
import type { Storage, StoredEntry, StoredObject } from '../../ports/storage.ts';
import { assertValidKey, assertValidPrefix } from './storage-key.ts';

export function createMemoryStorage(): Storage {
  const objects = new Map<string, { body: Uint8Array; modified: Date }>();
  return {
    async get(key: string): Promise<StoredObject | null> {
      assertValidKey(key);
      const object = objects.get(key);
      return object ? { body: object.body.slice(), modified: object.modified } : null;
    },
    async put(key: string, body: Uint8Array): Promise<void> {
      assertValidKey(key);
      objects.set(key, { body: body.slice(), modified: new Date() });
    },
    async putIfAbsent(key: string, body: Uint8Array): Promise<boolean> {
      assertValidKey(key);
      // Check and set in one synchronous step: no other call can run between them.
      if (objects.has(key)) return false;
      objects.set(key, { body: body.slice(), modified: new Date() });
      return true;
    },
    async copy(fromKey: string, toKey: string): Promise<boolean> {
      assertValidKey(fromKey);
      assertValidKey(toKey);
      const object = objects.get(fromKey);
      if (!object) return false;
      // Stored bytes are never mutated (copied in and out), so two keys may share them.
      objects.set(toKey, { body: object.body, modified: new Date() });
      return true;
    },
    async delete(key: string): Promise<void> {
      assertValidKey(key);
      objects.delete(key);
    },
    async list(prefix: string): Promise<string[]> {
      assertValidPrefix(prefix);
      return [...objects.keys()].filter((key) => key.startsWith(prefix)).sort();
    },
    async listEntries(prefix: string): Promise<StoredEntry[]> {
      assertValidPrefix(prefix);
      return [...objects.entries()]
        .filter(([key]) => key.startsWith(prefix))
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([key, object]) => ({ key, size: object.body.byteLength, modified: object.modified }));
    },
  };
}
