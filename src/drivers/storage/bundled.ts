/**
 * Read-only Storage over files compiled into the Worker bundle (the content/ folder, turned into
 * `src/entry/generated/content-bundle.ts` by `scripts/bundle-content.ts`). A file is carried as
 * its UTF-8 text when its bytes are valid UTF-8, else as base64, so every byte reaches the
 * pipeline exactly as it was on disk (the loader does its own charset detection).
 *
 * `listEntries` has no modification time to give (a bundle has none); it gives an etag instead, a
 * 64-bit FNV-1a digest of each file's bytes computed once, on the first listing.
 *
 * Must not: accept writes (put/delete throw ReadOnlyStorageError: content is changed by editing
 * content/ and redeploying), or hand out a shared buffer. Tunables: none.
 */
import type { Storage, StoredEntry, StoredObject } from '../../ports/storage.ts';
import { assertValidKey, assertValidPrefix } from './storage-key.ts';

/** One bundled file: its storage key and its bytes, as text (valid UTF-8) or base64 (anything else). */
export type BundledFile =
  | { readonly key: string; readonly text: string }
  | { readonly key: string; readonly base64: string };

/** Thrown by put/delete on a storage that only serves what was bundled. */
export class ReadOnlyStorageError extends Error {
  override readonly name = 'ReadOnlyStorageError';
  constructor(
    readonly key: string,
    operation: 'put' | 'delete',
  ) {
    super(`Cannot ${operation} ${JSON.stringify(key)}: the bundled content store is read-only`);
  }
}

/** 64-bit FNV-1a as 16 hex digits (two 32-bit lanes with different offsets): cheap and sync. */
function fnv64Hex(bytes: Uint8Array): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i] ?? 0;
    a = Math.imul(a ^ byte, 0x01000193);
    b = Math.imul(b ^ byte, 0x5bd1e995);
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
}

function decodeBase64(base64: string): Uint8Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Builds the store; throws on an invalid or duplicated key (a broken bundle must not half-load). */
export function createBundledStorage(files: readonly BundledFile[]): Storage {
  const encoder = new TextEncoder();
  const objects = new Map<string, Uint8Array>();
  for (const file of files) {
    assertValidKey(file.key);
    if (objects.has(file.key)) throw new Error(`bundled content lists ${JSON.stringify(file.key)} twice`);
    objects.set(file.key, 'text' in file ? encoder.encode(file.text) : decodeBase64(file.base64));
  }
  const sortedKeys = [...objects.keys()].sort();
  let entries: StoredEntry[] | null = null;

  return {
    async get(key: string): Promise<StoredObject | null> {
      assertValidKey(key);
      const body = objects.get(key);
      return body ? { body: body.slice() } : null;
    },
    async put(key: string): Promise<void> {
      assertValidKey(key);
      throw new ReadOnlyStorageError(key, 'put');
    },
    async delete(key: string): Promise<void> {
      assertValidKey(key);
      throw new ReadOnlyStorageError(key, 'delete');
    },
    async list(prefix: string): Promise<string[]> {
      assertValidPrefix(prefix);
      return sortedKeys.filter((key) => key.startsWith(prefix));
    },
    async listEntries(prefix: string): Promise<StoredEntry[]> {
      assertValidPrefix(prefix);
      entries ??= sortedKeys.map((key) => {
        const body = objects.get(key) ?? new Uint8Array();
        return { key, size: body.byteLength, etag: fnv64Hex(body) };
      });
      return entries.filter((entry) => entry.key.startsWith(prefix));
    },
  };
}
