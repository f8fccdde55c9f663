/**
 * Storage port: a flat key → bytes store used for content/, published feeds and state.
 * Keys are `/`-separated relative paths (`feed.xml`, `articles/abc.html`, `state/items/x.json`).
 *
 * Must not: expose paths, handles or platform types. Drivers live in `src/drivers/storage/`.
 * Contract: `put` is atomic per key (readers see the old or the new bytes, never a mix).
 */
export interface StoredObject {
  readonly body: Uint8Array;
  /** When the object was last written, when the driver knows it. */
  readonly modified?: Date;
}

/**
 * One listed object with what the store knows about it without opening it: enough for the
 * pipeline to tell "unchanged since last run" (same size and same `modified` or `etag`) without
 * reading the bytes.
 */
export interface StoredEntry {
  readonly key: string;
  /** Size in bytes. */
  readonly size: number;
  /** When the object was last written, when the driver knows it. */
  readonly modified?: Date;
  /** An opaque version tag that changes whenever the bytes do, when the driver has one. */
  readonly etag?: string;
  /**
   * Set on an entry that is not a regular file (a FIFO, socket or device in a folder-backed store):
   * listed by `listEntries` only so it can be reported, never readable with `get`. Never set by
   * `list`, which lists stored objects only.
   */
  readonly special?: SpecialFileKind;
}

export type SpecialFileKind = 'fifo' | 'socket' | 'device';

export interface Storage {
  get(key: string): Promise<StoredObject | null>;
  put(key: string, body: Uint8Array): Promise<void>;
  delete(key: string): Promise<void>;
  /** Keys under a prefix (`''` for all), sorted. */
  list(prefix: string): Promise<string[]>;
  /**
   * Like `list`, with each key's size and modification time (or etag): sorted by key, same prefix
   * rules. Optional: a caller falls back to `list` + `get` on a driver without it.
   */
  listEntries?(prefix: string): Promise<StoredEntry[]>;
  /**
   * Stores the bytes of `fromKey` under `toKey` as `put` would (atomic for `toKey`), without the
   * caller holding them: resolves false, writing nothing, when `fromKey` does not exist. The copy's
   * `modified` may be the source's. Optional: a caller falls back to `get` + `put` without it.
   */
  copy?(fromKey: string, toKey: string): Promise<boolean>;
  /**
   * Stores `body` under `key` only when no object is there: resolves true when this call created
   * it, false (writing nothing) when one existed. Atomic against every other writer of the key on
   * the memory, fs (a link) and R2 (a conditional put) drivers; KV has no such primitive, so there it
   * is a read then a write (two writers in different locations can both succeed). Optional: the
   * publish lock (core/publish/publish-lock.ts) falls back to the same read-then-write without it.
   */
  putIfAbsent?(key: string, body: Uint8Array): Promise<boolean>;
}
