/**
 * Filesystem Storage driver: key `a/b.html` ↔ file `<rootDir>/a/b.html`.
 *
 * `put` writes a unique temp file next to the target (`.<name>.<pid>.<random>.tmp`) and renames
 * it over the target: rename within one directory is atomic on POSIX, so a reader (or a static
 * file server pointed at rootDir) sees the old or the new bytes, never a torn file.
 * A process killed between the two steps leaves its temp file behind: the first `put` of each
 * driver instance sweeps temp files older than `staleTempMs` (default DEFAULT_STALE_TEMP_MS), so
 * they never accumulate across runs; `list` never shows them and no key can name one.
 *
 * Must not: follow a key outside rootDir: keys are validated, the resolved path is checked, and a
 * symbolic link (file or directory) whose target lies outside rootDir is refused with
 * InvalidStorageKeyError (a content/ link to /etc/passwd must not be published). Links that stay
 * inside rootDir are followed. `list` shows symbolic links as keys so that a caller reading them
 * gets that error and can name the file.
 * Tunables: DEFAULT_STALE_TEMP_MS (no fsync: a crash may lose the last write, never tear it).
 */
import { randomBytes } from 'node:crypto';
import { lstat, mkdir, open, readdir, realpath, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { Storage, StoredObject } from '../../ports/storage.ts';
import { assertValidKey, assertValidPrefix, InvalidStorageKeyError } from './storage-key.ts';

/** Matches the temp files `put` creates, so `list` can skip them (even ones a crash left behind). */
const TEMP_FILE = /^\..+\.\d+\.[0-9a-f]+\.tmp$/;
/**
 * A temp file this old belongs to a writer that died: a put renames its temp file within
 * milliseconds, so ten minutes leaves a wide margin for a slow disk or another live process.
 */
export const DEFAULT_STALE_TEMP_MS = 10 * 60 * 1000;

export interface FsStorageOptions {
  /** Temp files older than this are deleted on the instance's first put. */
  readonly staleTempMs?: number;
}

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
}

export function createFsStorage(rootDir: string, options: FsStorageOptions = {}): Storage {
  const root = resolve(rootDir);
  const staleTempMs = options.staleTempMs ?? DEFAULT_STALE_TEMP_MS;
  let realRoot: string | null = null;
  let swept: Promise<void> | null = null;

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

  /** Deletes temp files left by killed writers (older than staleTempMs). Best effort. */
  async function sweepTempFiles(dir: string): Promise<void> {
    let entries: import('node:fs').Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) await sweepTempFiles(full);
      else if (entry.isFile() && TEMP_FILE.test(entry.name)) {
        try {
          const stats = await lstat(full);
          if (Date.now() - stats.mtimeMs >= staleTempMs) await rm(full, { force: true });
        } catch {
          // Renamed or removed meanwhile: nothing to sweep.
        }
      }
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
      else if ((entry.isFile() || entry.isSymbolicLink()) && !TEMP_FILE.test(entry.name))
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
      swept ??= sweepTempFiles(root);
      await swept;
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

    async list(prefix: string): Promise<string[]> {
      assertValidPrefix(prefix);
      // Walk only the deepest directory the prefix names; filter the rest by string prefix.
      const slash = prefix.lastIndexOf('/');
      const start = slash === -1 ? root : join(root, prefix.slice(0, slash));
      const keys: string[] = [];
      await walk(start, keys);
      return keys.filter((key) => key.startsWith(prefix)).sort();
    },
  };
}
