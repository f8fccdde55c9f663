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
 * Tunables: DEFAULT_STALE_TEMP_MS (no fsync: a crash may lose the last write, never tear it),
 * DEFAULT_DIR_CACHE_MS, DIR_CACHE_ENTRIES, SYNC_IO_MAX_BYTES, SYNC_SLICE_MS, STAT_SLICE.
 */
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  constants,
  type Dirent,
  fstatSync,
  linkSync,
  lstatSync,
  openSync,
  read,
  readSync,
  renameSync,
  type Stats,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { lstat, mkdir, readdir, realpath, rename, rm, rmdir, unlink, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { Storage, StoredEntry, StoredObject } from '../../ports/storage.ts';
import { createIfAbsent } from './fs-lease.ts';
import {
  abandonedTemp,
  deadWriterMarker,
  TEMP_FILE,
  tempName,
  WRITER_MARKER,
  writerMarkerName,
} from './fs-temp-files.ts';
import { assertValidKey, assertValidPrefix, InvalidStorageKeyError } from './storage-key.ts';
/**
 * A temp file this old belongs to a writer that died: a put renames its temp file within
 * milliseconds, so ten minutes leaves a wide margin for a slow disk or another live process.
 */
export const DEFAULT_STALE_TEMP_MS = 10 * 60 * 1000;
/** A full sweep walks every folder (≈ 150,000 at 100,000 articles): once an hour is plenty. */
export const DEFAULT_SWEEP_INTERVAL_MS = 60 * 60 * 1000;
/** Hidden file in the root whose mtime is the last full sweep; never listed. */
const SWEEP_MARKER = '.kiosque-swept';

/** Files stat'ed between two yields to the event loop in listEntries (~5 ms of work). */
export const STAT_SLICE = 2000;
/**
 * How long a folder's "resolves inside the root" answer is trusted: long enough to cover the burst
 * of calls of one publish, short enough that a folder swapped for a link is refused soon after.
 */
export const DEFAULT_DIR_CACHE_MS = 1000;
/** Folders remembered at most (a full build touches one per version: the cache must stay small). */
export const DIR_CACHE_ENTRIES = 4096;
/** Files up to this size use synchronous calls (a feed is ~50–200 KB, an item body ~20 KB). */
export const SYNC_IO_MAX_BYTES = 256 * 1024;
/** Synchronous storage work done in one turn of the event loop before the next call yields. */
export const SYNC_SLICE_MS = 4;

/** Without O_NOFOLLOW (Windows) the last segment cannot be checked by open: every read resolves it. */
const NOFOLLOW: number | undefined = constants.O_NOFOLLOW;
/** Errors of link(2) after which a byte copy may still work (other device, no permission, …). */
const LINK_FALLBACK = new Set(['EXDEV', 'EPERM', 'EACCES', 'EMLINK', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS']);

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

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
}

const isMissing = (error: unknown): boolean =>
  errorCode(error) === 'ENOENT' || errorCode(error) === 'ENOTDIR';

/**
 * Writer markers this process holds, by storage root (one per root however many instances write
 * there: a server builds with a new instance each run). Removed when the process exits normally;
 * a marker left by a process that is gone tells the next writer to sweep (see the header).
 */
const liveMarkers = new Map<string, string>();
const PROCESS_TAG = randomBytes(4).toString('hex');

function holdWriterMarker(root: string): void {
  if (liveMarkers.has(root)) return;
  const marker = join(root, writerMarkerName(PROCESS_TAG));
  try {
    writeFileSync(marker, '');
  } catch {
    return; // best effort: without a marker a crash is found by the hourly sweep
  }
  if (liveMarkers.size === 0) {
    process.once('exit', () => {
      for (const path of liveMarkers.values()) {
        try {
          unlinkSync(path);
        } catch {
          // already gone
        }
      }
    });
  }
  liveMarkers.set(root, marker);
}

/** Start of the current slice of synchronous work (shared by every instance: one event loop). */
let sliceStart: number | null = null;
const endSlice = (): void => {
  sliceStart = null;
};

/** Resolves when synchronous work may run: at once within the slice, else after a loop turn. */
async function syncTurn(): Promise<void> {
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
async function readFd(fd: number, size: number): Promise<Uint8Array> {
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

/** The fs driver's Storage, plus a way to wait for its background sweep (tests, tools). */
export interface FsStorage extends Storage {
  /** Settles when this instance's whole-tree sweep, if one started, is done. */
  whenSwept(): Promise<void>;
}

export function createFsStorage(rootDir: string, options: FsStorageOptions = {}): FsStorage {
  const root = resolve(rootDir);
  const staleTempMs = options.staleTempMs ?? DEFAULT_STALE_TEMP_MS;
  const sweepIntervalMs = options.sweepIntervalMs ?? DEFAULT_SWEEP_INTERVAL_MS;
  const dirCacheMs = options.dirCacheMs ?? DEFAULT_DIR_CACHE_MS;
  let treeSwept: Promise<void> | null = null;
  let realRoot: string | null = null;
  /** Folder path → when it was last found to resolve inside the root (insertion order = age). */
  const checkedDirs = new Map<string, number>();

  /**
   * The real path of `path` when it stays inside the real root; throws for a link that leaves it.
   * Null when the path does not exist.
   */
  const realInside = async (key: string, path: string): Promise<string | null> => {
    let real: string;
    try {
      realRoot ??= await realpath(root);
      real = await realpath(path);
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
    if (real !== realRoot && !real.startsWith(realRoot + sep)) {
      throw new InvalidStorageKeyError(key, 'is a symbolic link to a path outside the storage root');
    }
    return real;
  };

  const dirTrusted = (dir: string): boolean => {
    const checked = checkedDirs.get(dir);
    if (checked === undefined) return false;
    if (performance.now() - checked < dirCacheMs) return true;
    checkedDirs.delete(dir);
    return false;
  };

  const trust = (dir: string): void => {
    if (dirCacheMs <= 0) return;
    checkedDirs.delete(dir);
    checkedDirs.set(dir, performance.now());
    if (checkedDirs.size > DIR_CACHE_ENTRIES) {
      const oldest = checkedDirs.keys().next().value;
      if (oldest !== undefined) checkedDirs.delete(oldest);
    }
  };

  /**
   * Whether folder `dir` exists; throws if it resolves outside the root. Cached (see the header).
   * Below the root, a folder whose parent is inside the root and which is itself a real folder
   * (lstat: not a link) is inside too: one lstat instead of realpath's readlink on every segment
   * (item bodies have a folder each, so an archive page's fifty reads resolved fifty paths).
   * Anything else (a link, the root itself) is resolved with realpath.
   */
  const dirInside = async (key: string, dir: string): Promise<boolean> => {
    if (dirTrusted(dir)) return true;
    if (dir.startsWith(root + sep)) {
      if (!(await dirInside(key, dirname(dir)))) return false;
      let stats: Stats | undefined;
      try {
        await syncTurn();
        stats = lstatSync(dir, { throwIfNoEntry: false });
      } catch (error) {
        if (isMissing(error)) return false;
        throw error;
      }
      if (stats === undefined) return false;
      if (stats.isDirectory()) {
        trust(dir);
        return true;
      }
    }
    if ((await realInside(key, dir)) === null) return false;
    trust(dir);
    return true;
  };

  /**
   * Runs `write` (which creates a file in `dir`) once `dir` exists and is checked. A trusted folder
   * is not re-created first; if it vanished meanwhile (a delete pruned it) the write is retried.
   */
  async function inFolder<R>(key: string, dir: string, write: () => Promise<R>): Promise<R> {
    const trusted = dirTrusted(dir);
    const prepare = async (): Promise<void> => {
      const made = await mkdir(dir, { recursive: true });
      // Folders this call created inside a trusted folder are real folders: no need to resolve them.
      if (made !== undefined && dirTrusted(dirname(made))) {
        for (let created = dir; created.length >= made.length; created = dirname(created)) trust(created);
        return;
      }
      // A directory link out of the root would make the rename land outside it.
      await dirInside(key, dir);
    };
    if (!trusted) await prepare();
    // Started by the first write, never awaited by it (see the header).
    treeSwept ??= sweepTreeIfDue().catch(() => {});
    try {
      return await write();
    } catch (error) {
      if (!trusted || errorCode(error) !== 'ENOENT') throw error;
      checkedDirs.delete(dir);
      await prepare();
      return await write();
    }
  }

  /** Temp names: pid + this instance's random tag + a counter (a random draw per put cost ~50 µs). */
  const tempTag = randomBytes(4).toString('hex');
  let tempCount = 0;
  const tempFor = (path: string): string => {
    const dir = dirname(path);
    return join(dir, tempName(path.slice(dir.length + 1), `${tempTag}${(tempCount++).toString(16)}`));
  };

  /** Deletes one temp file if it is abandoned (fs-temp-files.ts). Best effort. */
  async function sweepIfStale(full: string, name: string): Promise<void> {
    try {
      if (abandonedTemp(name, await lstat(full), staleTempMs, Date.now())) await rm(full, { force: true });
    } catch {
      // Renamed or removed meanwhile: nothing to sweep.
    }
  }

  /**
   * Marks this process as a writer of the root (synchronously, before the first temp file), then
   * sweeps every folder of the tree when a writer marker names a process that is gone (a crashed
   * build) or the last full sweep is older than sweepIntervalMs.
   */
  async function sweepTreeIfDue(): Promise<void> {
    holdWriterMarker(root);
    let dead: string[] = [];
    try {
      dead = (await readdir(root)).filter(deadWriterMarker);
    } catch {
      // No root listing: the interval rule decides.
    }
    const marker = join(root, SWEEP_MARKER);
    if (dead.length === 0) {
      try {
        if (Date.now() - (await lstat(marker)).mtimeMs < sweepIntervalMs) return;
      } catch {
        // No marker yet: due.
      }
    }
    await sweepDirectory(root);
    for (const name of dead) await rm(join(root, name), { force: true });
    await writeFile(marker, '').catch(() => {});
  }

  /** Deletes the stale temp files of a folder and its subfolders. */
  async function sweepDirectory(dir: string): Promise<void> {
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) await sweepDirectory(full);
      else if (entry.isFile() && TEMP_FILE.test(entry.name)) await sweepIfStale(full, entry.name);
    }
  }

  const pathOf = (key: string): string => {
    assertValidKey(key);
    const path = resolve(root, key);
    // Defence in depth: validation already forbids `..`, this catches anything it missed.
    if (!path.startsWith(root + sep))
      throw new InvalidStorageKeyError(key, 'resolves outside the storage root');
    return path;
  };

  /**
   * Appends the keys of the files under `dir`, whose key prefix is `keyPrefix` ('' or 'a/b/').
   * Paths and keys are built by concatenation: entry names are plain, and `join`/`relative` per
   * file were a fifth of a 100,000-file listing.
   */
  async function walk(
    dir: string,
    keyPrefix: string,
    out: string[],
    specials?: StoredEntry[],
  ): Promise<void> {
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      if (isMissing(error)) return;
      throw error;
    }
    for (const entry of entries) {
      const full = `${dir}${sep}${entry.name}`;
      if (entry.isDirectory()) await walk(full, `${keyPrefix}${entry.name}/`, out, specials);
      else if (TEMP_FILE.test(entry.name)) {
        if (entry.isFile()) await sweepIfStale(full, entry.name);
      } else if (dir === root && (entry.name === SWEEP_MARKER || WRITER_MARKER.test(entry.name))) {
        // The sweep and writer markers are the driver's own bookkeeping, not stored objects.
      } else if (entry.isFile() || entry.isSymbolicLink()) out.push(`${keyPrefix}${entry.name}`);
      else if (specials) {
        // Never opened (a FIFO would block a read): listed by listEntries only, to be reported.
        const special = entry.isFIFO() ? 'fifo' : entry.isSocket() ? 'socket' : 'device';
        specials.push({ key: `${keyPrefix}${entry.name}`, size: -1, special });
      }
    }
  }

  /** Removes directories emptied by a delete, up to (not including) the root. Best effort. */
  async function pruneEmptyParents(path: string): Promise<void> {
    let dir = dirname(path);
    while (dir.startsWith(root + sep)) {
      try {
        await rmdir(dir);
      } catch {
        return; // not empty (or already gone): stop climbing
      }
      checkedDirs.delete(dir);
      dir = dirname(dir);
    }
  }

  async function listKeys(prefix: string, specials?: StoredEntry[]): Promise<string[]> {
    assertValidPrefix(prefix);
    // Walk only the deepest directory the prefix names; filter the rest by string prefix.
    const slash = prefix.lastIndexOf('/');
    const start = slash === -1 ? root : join(root, prefix.slice(0, slash));
    const folder = relative(root, start).split(sep).join('/');
    const keys: string[] = [];
    await walk(start, folder === '' ? '' : `${folder}/`, keys, specials);
    return keys.filter((key) => key.startsWith(prefix)).sort();
  }

  /** Opens the file of `key` for reading; null when missing. Refuses a link out of the root. */
  async function openForRead(key: string, path: string): Promise<number | null> {
    let target = path;
    if (NOFOLLOW === undefined) {
      const real = await realInside(key, path);
      if (real === null) return null;
      target = real;
    }
    await syncTurn();
    try {
      return openSync(target, constants.O_RDONLY | (NOFOLLOW ?? 0));
    } catch (error) {
      if (isMissing(error) || errorCode(error) === 'EISDIR') return null;
      if (errorCode(error) !== 'ELOOP' || NOFOLLOW === undefined) throw error;
    }
    // The last segment is a link: follow it only if it resolves inside the root.
    const real = await realInside(key, path);
    if (real === null) return null;
    await syncTurn();
    try {
      return openSync(real, constants.O_RDONLY);
    } catch (error) {
      if (isMissing(error) || errorCode(error) === 'EISDIR') return null;
      throw error;
    }
  }

  async function get(key: string): Promise<StoredObject | null> {
    const path = pathOf(key);
    if (!(await dirInside(key, dirname(path)))) return null;
    const fd = await openForRead(key, path);
    if (fd === null) return null;
    try {
      // One descriptor for stat and read: both describe the same file even if a put renames over it.
      const stats = fstatSync(fd);
      if (!stats.isFile()) return null;
      return { body: await readFd(fd, stats.size), modified: stats.mtime };
    } catch (error) {
      if (errorCode(error) === 'EISDIR') return null;
      throw error;
    } finally {
      closeSync(fd);
    }
  }

  async function put(key: string, body: Uint8Array): Promise<void> {
    const path = pathOf(key);
    await inFolder(key, dirname(path), async () => {
      const temp = tempFor(path);
      try {
        if (body.byteLength <= SYNC_IO_MAX_BYTES) {
          await syncTurn();
          writeFileSync(temp, body);
          renameSync(temp, path);
        } else {
          await writeFile(temp, body);
          await rename(temp, path);
        }
      } catch (error) {
        await rm(temp, { force: true });
        throw error;
      }
    });
  }

  return {
    get,
    put,
    whenSwept: () => treeSwept ?? Promise.resolve(),
    // The publish lock's lease: a link, atomic against other creators (fs-lease.ts).
    async putIfAbsent(key: string, body: Uint8Array): Promise<boolean> {
      const path = pathOf(key);
      return inFolder(key, dirname(path), async () => {
        await syncTurn();
        return createIfAbsent(path, tempFor(path), body);
      });
    },

    async copy(fromKey: string, toKey: string): Promise<boolean> {
      const from = pathOf(fromKey);
      const to = pathOf(toKey);
      if (!(await dirInside(fromKey, dirname(from)))) return false;
      const byteCopy = async (): Promise<boolean> => {
        const object = await get(fromKey);
        if (object === null) return false;
        await put(toKey, object.body);
        return true;
      };
      await syncTurn();
      let stats: Stats;
      try {
        stats = lstatSync(from);
      } catch (error) {
        if (isMissing(error)) return false;
        throw error;
      }
      // A link is never hard-linked (a relative one would dangle under another name): get checks it.
      if (!stats.isFile()) return stats.isSymbolicLink() ? byteCopy() : false;
      return inFolder(toKey, dirname(to), async () => {
        await syncTurn();
        // Already a link to the same inode (the last copy, or a killed build's): nothing to do.
        const current = lstatSync(to, { throwIfNoEntry: false });
        if (current !== undefined && current.ino === stats.ino && current.dev === stats.dev) return true;
        const temp = tempFor(to);
        try {
          linkSync(from, temp);
        } catch (error) {
          if (LINK_FALLBACK.has(errorCode(error) ?? '')) return byteCopy();
          // The source went away meanwhile: nothing to copy (else the target folder did: retried).
          if (isMissing(error) && statSync(from, { throwIfNoEntry: false }) === undefined) return false;
          throw error;
        }
        try {
          renameSync(temp, to);
        } catch (error) {
          await rm(temp, { force: true });
          throw error;
        }
        // rename(2) of two links to one inode succeeds and does nothing (the target became such a
        // link meanwhile): the temp is still there. Its name is this instance's alone.
        try {
          unlinkSync(temp);
        } catch {
          // ENOENT: the rename moved it, as it almost always does.
        }
        return true;
      });
    },

    async delete(key: string): Promise<void> {
      const path = pathOf(key);
      // A directory link out of the root would make the unlink land outside it.
      if (!(await dirInside(key, dirname(path)))) return;
      // Async on purpose: unlink and rmdir rewrite a folder (≈ 0.3 ms each measured here, far
      // more than a read), and deletes are off the critical path, so they overlap instead.
      try {
        await unlink(path);
      } catch (error) {
        if (errorCode(error) === 'ENOENT') return;
        throw error;
      }
      await pruneEmptyParents(path);
    },

    list: (prefix: string) => listKeys(prefix),

    async listEntries(prefix: string): Promise<StoredEntry[]> {
      const specials: StoredEntry[] = [];
      const keys = await listKeys(prefix, specials);
      const entries: StoredEntry[] = [];
      for (const [index, key] of keys.entries()) {
        if (index > 0 && index % STAT_SLICE === 0) await new Promise((resolve) => setImmediate(resolve));
        let stats: Stats | undefined;
        try {
          stats = statSync(`${root}${sep}${key}`, { throwIfNoEntry: false });
        } catch {
          stats = undefined; // unreadable (EACCES, a link loop): the caller's read reports it
        }
        entries.push(stats?.isFile() ? { key, size: stats.size, modified: stats.mtime } : { key, size: -1 });
      }
      const listed = specials.filter((entry) => entry.key.startsWith(prefix));
      if (listed.length === 0) return entries;
      return [...entries, ...listed].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    },
  };
}
