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

export interface Storage {
  get(key: string): Promise<StoredObject | null>;
  put(key: string, body: Uint8Array): Promise<void>;
  delete(key: string): Promise<void>;
  /** Keys under a prefix (`''` for all), sorted. */
  list(prefix: string): Promise<string[]>;
}
