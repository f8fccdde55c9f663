/**
 * Slices of synchronous file work for the fs Storage driver: small files are read and written with
 * synchronous calls (microseconds on a cached inode, against an async call's libuv round trip), and
 * `syncTurn` keeps that work to slices of at most SYNC_SLICE_MS across all instances, so a server
 * stays responsive (see fs.ts's header). `readFd` reads a whole open file, synchronously when small.
 *
 * Must not: open, name or check paths (fs-root-guard.ts and fs-read.ts do).
 * Tunables: SYNC_IO_MAX_BYTES, SYNC_SLICE_MS.
 */
import { read, readSync } from 'node:fs';

/** Files up to this size use synchronous calls (a feed is ~50–200 KB, an item body ~20 KB). */
export const SYNC_IO_MAX_BYTES = 256 * 1024;
/** Synchronous storage work done in one turn of the event loop before the next call yields. */
export const SYNC_SLICE_MS = 4;

/** Start of the current slice of synchronous work (shared by every instance: one event loop). */
let sliceStart: number | null = null;
const endSlice = (): void => {
  sliceStart = null;
};

/** Resolves when synchronous work may run: at once within the slice, else after a loop turn. */
export async function syncTurn(): Promise<void> {
  for (;;) {
    const now = performance.now();
    if (sliceStart === null) {
      sliceStart = now;
      // Runs once the loop has turned (timers, I/O callbacks, requests had their chance).
      setImmediate(endSlice);
      return;
    }
    if (now - sliceStart < SYNC_SLICE_MS) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** Reads `size` bytes from the start of `fd` (fewer if the file shrank meanwhile). */
export async function readFd(fd: number, size: number): Promise<Uint8Array> {
  // Not a pooled Buffer: a caller may look at `body.buffer` and must see only its own bytes.
  const body = new Uint8Array(size);
  let offset = 0;
  while (offset < size) {
    const count =
      size <= SYNC_IO_MAX_BYTES
        ? readSync(fd, body, offset, size - offset, offset)
        : await new Promise<number>((resolve, reject) =>
            read(fd, body, offset, size - offset, offset, (error, bytesRead) =>
              error ? reject(error) : resolve(bytesRead),
            ),
          );
    if (count === 0) break;
    offset += count;
  }
  return offset === size ? body : body.subarray(0, offset);
}
