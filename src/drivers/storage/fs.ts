/**
 * Filesystem Storage driver: key `a/b.html` ↔ file `<rootDir>/a/b.html`.
 *
 * `put` writes a unique temp file next to the target (`.<name>.<pid>.<random>.tmp`) and renames
 * it over the target: rename within one directory is atomic on POSIX, so a reader (or a static
 * file server pointed at rootDir) sees the old or the new bytes, never a torn file.
 * A process killed between the two steps leaves its temp file behind. Temp files older than
 * `staleTempMs` (default DEFAULT_STALE_TEMP_MS) are swept: in every folder a listing walks, and in
 * the whole tree on an instance's first put when the last full sweep is older than
 * `sweepIntervalMs` (default one hour; walking every folder of a 100,000-article site on every run
 * would cost seconds). `list` never shows them and no key can name one.
 *
 * Must not: follow a key outside rootDir: keys are validated, the resolved path is checked, and a
 * symbolic link (file or directory) whose target lies outside rootDir is refused with
 * InvalidStorageKeyError (a content/ link to /etc/passwd must not be published). Links that stay
 * inside rootDir are followed. `list` shows symbolic links as keys so that a caller reading them
 * gets that error and can name the file.
 * `listEntries` stats the listed files (size, mtime; links followed, a dangling or unreadable one is
 * listed with size -1 so a caller reads it and reports the error). It uses statSync in slices of
 * STAT_SLICE, yielding to the event loop between slices: a stat of a cached inode takes a few
 * microseconds, while the async API's thread-pool round trip costs 3–5× that (100,000 files:
 * ~0.3 s against ~1.4 s), and the slices keep the server's event loop responsive.
 * Tunables: DEFAULT_STALE_TEMP_MS (no fsync: a crash may lose the last write, never tear it),
 * STAT_SLICE.
 */
import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import { lstat, mkdir, open, readdir, realpath, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { Storage, StoredEntry, StoredObject } from '../../ports/storage.ts';
import { assertValidKey, assertValidPrefix, InvalidStorageKeyError } from './storage-key.ts';

/** Matches the temp files `put` creates, so `list` can skip them (even ones a crash left behind). */
const TEMP_FILE = /^\..+\.\d+\.[0-9a-f]+\.tmp$/;
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

export interface FsStorageOptions {
  /** Temp files older than this are deleted when swept. */
  readonly staleTempMs?: number;
  /**
   * The whole tree is swept on an instance's first put at most this often (SWEEP_MARKER's mtime
   * records the last sweep); 0 sweeps on every instance's first put. Default DEFAULT_SWEEP_INTERVAL_MS.
   */
  readonly sweepIntervalMs?: number;
}

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
}

export function createFsStorage(rootDir: string, options: FsStorageOptions = {}): Storage {
  const root = resolve(rootDir);
  const staleTempMs = options.staleTempMs ?? DEFAULT_STALE_TEMP_MS;
  const sweepIntervalMs = options.sweepIntervalMs ?? DEFAULT_SWEEP_INTERVAL_MS;
  let treeSwept: Promise<void> | null = null;
  let realRoot: string | null = null;

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
      if (errorCode(error) === 'ENOENT' || errorCode(error) === 'ENOTDIR') return null;
      throw error;
    }
    if (real !== realRoot && !real.startsWith(realRoot + sep)) {
      throw new InvalidStorageKeyError(key, 'is a symbolic link to a path outside the storage root');
    }
    return real;
  };

  /** Deletes one temp file left by a killed writer if it is older than staleTempMs. Best effort. */
  async function sweepIfStale(full: string): Promise<void> {
    try {
      const stats = await lstat(full);
      if (Date.now() - stats.mtimeMs >= staleTempMs) await rm(full, { force: true });
    } catch {
      // Renamed or removed meanwhile: nothing to sweep.
    }
  }

  /** Sweeps every folder of the tree when the last full sweep is older than sweepIntervalMs. */
  async function sweepTreeIfDue(): Promise<void> {
    const marker = join(root, SWEEP_MARKER);
    try {
      if (Date.now() - (await lstat(marker)).mtimeMs < sweepIntervalMs) return;
    } catch {
      // No marker yet: due.
    }
    await sweepDirectory(root);
    await writeFile(marker, '').catch(() => {});
  }

  /** Deletes the stale temp files of a folder and its subfolders. */
  async function sweepDirectory(dir: string): Promise<void> {
    let entries: import('node:fs').Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) await sweepDirectory(full);
      else if (entry.isFile() && TEMP_FILE.test(entry.name)) await sweepIfStale(full);
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

  async function walk(dir: string, out: string[]): Promise<void> {
    let entries: import('node:fs').Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      if (errorCode(error) === 'ENOENT' || errorCode(error) === 'ENOTDIR') return;
      throw error;
    }
    for (const entry of entries) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) await walk(full, out);
      else if (TEMP_FILE.test(entry.name)) {
        if (entry.isFile()) await sweepIfStale(full);
      } else if (dir === root && entry.name === SWEEP_MARKER) {
        // The sweep marker is the driver's own bookkeeping, not a stored object.
      } else if (entry.isFile() || entry.isSymbolicLink())
        out.push(relative(root, full).split(sep).join('/'));
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
      dir = dirname(dir);
    }
  }

  async function listKeys(prefix: string): Promise<string[]> {
    assertValidPrefix(prefix);
    // Walk only the deepest directory the prefix names; filter the rest by string prefix.
    const slash = prefix.lastIndexOf('/');
    const start = slash === -1 ? root : join(root, prefix.slice(0, slash));
    const keys: string[] = [];
    await walk(start, keys);
    return keys.filter((key) => key.startsWith(prefix)).sort();
  }

  return {
    async get(key: string): Promise<StoredObject | null> {
      const path = await realInside(key, pathOf(key));
      if (path === null) return null;
      let handle: import('node:fs/promises').FileHandle;
      try {
        handle = await open(path, 'r');
      } catch (error) {
        if (errorCode(error) === 'ENOENT' || errorCode(error) === 'ENOTDIR') return null;
        throw error;
      }
      try {
        // One handle for stat and read: both describe the same file even if a put renames over it.
        const stats = await handle.stat();
        if (!stats.isFile()) return null;
        const buffer = await handle.readFile();
        return {
          body: new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength),
          modified: stats.mtime,
        };
      } catch (error) {
        if (errorCode(error) === 'EISDIR') return null;
        throw error;
      } finally {
        await handle.close();
      }
    },

    async put(key: string, body: Uint8Array): Promise<void> {
      const path = pathOf(key);
      const dir = dirname(path);
      await mkdir(dir, { recursive: true });
      // A directory link out of the root would make the rename land outside it.
      await realInside(key, dir);
      treeSwept ??= sweepTreeIfDue();
      await treeSwept;
      // (No per-folder sweep: reading a 100,000-entry folder such as articles/ cost ~130 ms a run.)
      const name = path.slice(dir.length + 1);
      const temp = join(dir, `.${name}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
      try {
        await writeFile(temp, body);
        await rename(temp, path);
      } catch (error) {
        await rm(temp, { force: true });
        throw error;
      }
    },

    async delete(key: string): Promise<void> {
      const path = pathOf(key);
      try {
        await rm(path);
      } catch (error) {
        if (errorCode(error) === 'ENOENT') return;
        throw error;
      }
      await pruneEmptyParents(path);
    },

    list: listKeys,

    async listEntries(prefix: string): Promise<StoredEntry[]> {
      const keys = await listKeys(prefix);
      const entries: StoredEntry[] = [];
      for (const [index, key] of keys.entries()) {
        if (index > 0 && index % STAT_SLICE === 0) await new Promise((resolve) => setImmediate(resolve));
        let stats: import('node:fs').Stats | undefined;
        try {
          stats = statSync(join(root, key), { throwIfNoEntry: false });
        } catch {
          stats = undefined; // unreadable (EACCES, a link loop): the caller's read reports it
        }
        entries.push(stats?.isFile() ? { key, size: stats.size, modified: stats.mtime } : { key, size: -1 });
      }
      return entries;
    },
  };
}
