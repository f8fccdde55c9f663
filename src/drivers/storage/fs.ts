/**
 * Filesystem Storage driver: key `a/b.html` ↔ file `<rootDir>/a/b.html`.
 *
 * `put` writes a unique temp file next to the target (`.<name>.<pid>.h<host>.<unique>.tmp`, see
 * fs-temp-files.ts) and renames it over the target: rename within one directory is atomic on POSIX, so a reader (or a static
 * file server pointed at rootDir) sees the old or the new bytes, never a torn file. `copy` does
 * the same with a hard link to the source as the temp file (no byte is copied; both keys share an
 * inode, which is safe because this driver never writes a file in place); where a hard link is
 * impossible (another filesystem, no permission, a link as the source) it falls back to get + put.
 * When the target already is a link to the source's inode, copy does nothing: POSIX rename of two
 * links to one inode is a no-op that would leave the temp behind (issue 24: 8,609 such files after
 * 38 killed builds); the temp is also unlinked after every rename, whatever happened.
 * A process killed between the two steps leaves its temp file behind. Abandoned temp files (their
 * writer's process is gone, or older than `staleTempMs`, default DEFAULT_STALE_TEMP_MS; rules in
 * fs-temp-files.ts) are swept: in every folder a listing walks, and in the whole tree on an
 * instance's first write when the last full sweep is older than `sweepIntervalMs` (default one
 * hour; walking every folder of a 100,000-article site on every run would cost seconds) or when a
 * writer marker in the root names a process that is gone (a crashed build: swept at once). That
 * whole-tree sweep runs in the background, beside the writes (it never deletes a live writer's
 * temp): at 100,000 articles it can take minutes on a cold page cache, and a scheduled run must
 * not wait for it (`whenSwept()` settles when it is done). `list` never shows temp files or
 * markers and no key can name one.
 *
 * Must not: follow a key outside rootDir: keys are validated, the resolved path is checked, and a
 * symbolic link (file or directory) whose target lies outside rootDir is refused with
 * InvalidStorageKeyError (a content/ link to /etc/passwd must not be published; a delete or write
 * through a folder link out of the root is refused too). Links that stay inside rootDir are
 * followed. `list` shows symbolic links as keys so that a caller reading them gets that error and
 * can name the file.
 * How links are checked cheaply (a small incremental publish makes ~600 calls): the key's last
 * segment is opened with O_NOFOLLOW (a link there fails with ELOOP and is resolved and checked
 * then, on every call); its folder is checked once (a real folder, by lstat, inside a checked
 * parent; a link or the root by realpath; or created by this instance inside a checked folder)
 * and the answer cached for
 * `dirCacheMs` (default DEFAULT_DIR_CACHE_MS, at most DIR_CACHE_ENTRIES folders). The assumption:
 * a folder that resolved inside the root is not swapped for a link leaving it within that window
 * (a link that already exists when a folder is first used is always refused). `dirCacheMs: 0`
 * checks every call. Without O_NOFOLLOW (Windows) every read resolves the whole path.
 * Small files (≤ SYNC_IO_MAX_BYTES) are read and written with synchronous calls: each takes
 * microseconds on a cached inode, while an async call's libuv round trip costs far more and a get
 * took five of them (deletes stay async: see delete). Synchronous work runs in slices of at most SYNC_SLICE_MS across all
 * instances (the next call waits for a turn of the event loop), so a server stays responsive; a
 * read from a cold disk can still block the loop for that one read. Larger files go async.
 * `listEntries` stats the listed files (size, mtime; links followed, a dangling or unreadable one is
 * listed with size -1 so a caller reads it and reports the error). It uses statSync in slices of
 * STAT_SLICE, yielding to the event loop between slices (100,000 files: ~0.3 s against ~1.4 s).
 * Tunables: DEFAULT_STALE_TEMP_MS (no fsync: a crash may lose the last write, never tear it) here;
 * DEFAULT_DIR_CACHE_MS, DIR_CACHE_ENTRIES (fs-root-guard.ts), SYNC_IO_MAX_BYTES, SYNC_SLICE_MS
 * (fs-sync-io.ts), STAT_SLICE (fs-list.ts), DEFAULT_SWEEP_INTERVAL_MS (fs-sweep.ts).
 * This file assembles the driver from those parts: fs-root-guard.ts (keys, paths, links),
 * fs-read.ts, fs-write.ts (folders, temp files, put), fs-copy.ts, fs-list.ts and fs-sweep.ts.
 */
import { rmdir, unlink } from 'node:fs/promises';
import { dirname, resolve, sep } from 'node:path';
import type { Storage } from '../../ports/storage.ts';
import { copyObject } from './fs-copy.ts';
import { errorCode } from './fs-error-code.ts';
import { createIfAbsent } from './fs-lease.ts';
import { type ListScope, listEntries, listKeys } from './fs-list.ts';
import { readObject } from './fs-read.ts';
import { createRootGuard, DEFAULT_DIR_CACHE_MS, type RootGuard } from './fs-root-guard.ts';
import { DEFAULT_SWEEP_INTERVAL_MS } from './fs-sweep.ts';
import { syncTurn } from './fs-sync-io.ts';
import { createFsWriter, type FsWriter } from './fs-write.ts';

export { STAT_SLICE } from './fs-list.ts';
export { DEFAULT_DIR_CACHE_MS, DIR_CACHE_ENTRIES } from './fs-root-guard.ts';
export { DEFAULT_SWEEP_INTERVAL_MS } from './fs-sweep.ts';
export { SYNC_IO_MAX_BYTES, SYNC_SLICE_MS } from './fs-sync-io.ts';

/**
 * A temp file this old belongs to a writer that died: a put renames its temp file within
 * milliseconds, so ten minutes leaves a wide margin for a slow disk or another live process.
 */
export const DEFAULT_STALE_TEMP_MS = 10 * 60 * 1000;

export interface FsStorageOptions {
  /** Temp files older than this are deleted when swept. */
  readonly staleTempMs?: number;
  /**
   * The whole tree is swept on an instance's first put at most this often (SWEEP_MARKER's mtime
   * records the last sweep); 0 sweeps on every instance's first put. Default DEFAULT_SWEEP_INTERVAL_MS.
   */
  readonly sweepIntervalMs?: number;
  /** How long a folder checked to resolve inside the root is trusted (see the header); 0: never. */
  readonly dirCacheMs?: number;
}

/** The fs driver's Storage, plus a way to wait for its background sweep (tests, tools). */
export interface FsStorage extends Storage {
  /** Settles when this instance's whole-tree sweep, if one started, is done. */
  whenSwept(): Promise<void>;
}

export function createFsStorage(rootDir: string, options: FsStorageOptions = {}): FsStorage {
  const root = resolve(rootDir);
  const staleTempMs = options.staleTempMs ?? DEFAULT_STALE_TEMP_MS;
  const sweepIntervalMs = options.sweepIntervalMs ?? DEFAULT_SWEEP_INTERVAL_MS;
  const guard = createRootGuard(root, options.dirCacheMs ?? DEFAULT_DIR_CACHE_MS);
  const writer = createFsWriter(guard, staleTempMs, sweepIntervalMs);
  const scope: ListScope = { root, staleTempMs };
  const get = (key: string) => readObject(guard, key);

  return {
    get,
    put: writer.put,
    whenSwept: writer.whenSwept,
    copy: (fromKey: string, toKey: string) => copyObject({ guard, writer, get }, fromKey, toKey),
    delete: (key: string) => deleteObject(guard, key),
    list: (prefix: string) => listKeys(scope, prefix),
    listEntries: (prefix: string) => listEntries(scope, prefix),
    putIfAbsent: (key: string, body: Uint8Array) => putIfAbsent(guard, writer, key, body),
  };
}

/** The publish lock's lease: a link, atomic against other creators (fs-lease.ts). */
async function putIfAbsent(
  guard: RootGuard,
  writer: FsWriter,
  key: string,
  body: Uint8Array,
): Promise<boolean> {
  const path = guard.pathOf(key);
  return writer.inFolder(key, dirname(path), async () => {
    await syncTurn();
    return createIfAbsent(path, writer.tempFor(path), body);
  });
}

async function deleteObject(guard: RootGuard, key: string): Promise<void> {
  const path = guard.pathOf(key);
  // A directory link out of the root would make the unlink land outside it.
  if (!(await guard.dirInside(key, dirname(path)))) return;
  // Async on purpose: unlink and rmdir rewrite a folder (≈ 0.3 ms each measured here, far
  // more than a read), and deletes are off the critical path, so they overlap instead.
  try {
    await unlink(path);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return;
    throw error;
  }
  await pruneEmptyParents(guard, path);
}

/** Removes directories emptied by a delete, up to (not including) the root. Best effort. */
async function pruneEmptyParents(guard: RootGuard, path: string): Promise<void> {
  let dir = dirname(path);
  while (dir.startsWith(guard.root + sep)) {
    try {
      await rmdir(dir);
    } catch {
      return; // not empty (or already gone): stop climbing
    }
    guard.forget(dir);
    dir = dirname(dir);
  }
}
