/**
 * Keeps the fs Storage driver inside its root: key → path (validated, checked to resolve inside the
 * root), a path's real location (refusing a symbolic link that leaves the root), and whether a
 * folder exists inside the root, cached for `dirCacheMs` (the rules and the assumption behind the
 * cache are in fs.ts's header).
 *
 * Must not: read, write or delete a stored object (fs.ts, fs-read.ts, fs-write.ts do).
 * Tunables: DEFAULT_DIR_CACHE_MS, DIR_CACHE_ENTRIES.
 */
import { lstatSync, type Stats } from 'node:fs';
import { realpath } from 'node:fs/promises';
import { dirname, resolve, sep } from 'node:path';
import { isMissing } from './fs-error-code.ts';
import { syncTurn } from './fs-sync-io.ts';
import { assertValidKey, InvalidStorageKeyError } from './storage-key.ts';

/**
 * How long a folder's "resolves inside the root" answer is trusted: long enough to cover the burst
 * of calls of one publish, short enough that a folder swapped for a link is refused soon after.
 */
export const DEFAULT_DIR_CACHE_MS = 1000;
/** Folders remembered at most (a full build touches one per version: the cache must stay small). */
export const DIR_CACHE_ENTRIES = 4096;

export interface RootGuard {
  /** The resolved storage root (no trailing separator). */
  readonly root: string;
  /** The file path of a key; throws InvalidStorageKeyError for an invalid key or one outside the root. */
  pathOf(key: string): string;
  /** The real path of `path` when it stays inside the real root; null when missing; throws for a link out. */
  realInside(key: string, path: string): Promise<string | null>;
  /** Whether folder `dir` was found inside the root within the cache window. */
  dirTrusted(dir: string): boolean;
  /** Records folder `dir` as found inside the root now. */
  trust(dir: string): void;
  /** Forgets what is known of folder `dir` (it was removed, or vanished). */
  forget(dir: string): void;
  /** Whether folder `dir` exists; throws if it resolves outside the root. Cached. */
  dirInside(key: string, dir: string): Promise<boolean>;
}

export function createRootGuard(root: string, dirCacheMs: number): RootGuard {
  let realRoot: string | null = null;
  /** Folder path → when it was last found to resolve inside the root (insertion order = age). */
  const checkedDirs = new Map<string, number>();

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

  const pathOf = (key: string): string => {
    assertValidKey(key);
    const path = resolve(root, key);
    // Defence in depth: validation already forbids `..`, this catches anything it missed.
    if (!path.startsWith(root + sep))
      throw new InvalidStorageKeyError(key, 'resolves outside the storage root');
    return path;
  };

  const forget = (dir: string): void => {
    checkedDirs.delete(dir);
  };

  return { root, pathOf, realInside, dirTrusted, trust, forget, dirInside };
}
