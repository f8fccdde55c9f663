/**
 * Reading one stored object for the fs Storage driver: key → bytes and modification time, or null
 * when there is no such file. The key's last segment is opened with O_NOFOLLOW, and a link there is
 * followed only when it resolves inside the root (see fs.ts's header for why and what it costs).
 *
 * Must not: write, or follow a link out of the root (InvalidStorageKeyError).
 */
import { closeSync, constants, fstatSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import type { StoredObject } from '../../ports/storage.ts';
import { errorCode, isMissing } from './fs-error-code.ts';
import type { RootGuard } from './fs-root-guard.ts';
import { readFd, syncTurn } from './fs-sync-io.ts';

/** Without O_NOFOLLOW (Windows) the last segment cannot be checked by open: every read resolves it. */
const NOFOLLOW: number | undefined = constants.O_NOFOLLOW;

/** Opens the file of `key` for reading; null when missing. Refuses a link out of the root. */
async function openForRead(guard: RootGuard, key: string, path: string): Promise<number | null> {
  let target = path;
  if (NOFOLLOW === undefined) {
    const real = await guard.realInside(key, path);
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
  const real = await guard.realInside(key, path);
  if (real === null) return null;
  await syncTurn();
  try {
    return openSync(real, constants.O_RDONLY);
  } catch (error) {
    if (isMissing(error) || errorCode(error) === 'EISDIR') return null;
    throw error;
  }
}

/** The stored object of `key`, or null when there is no such file. */
export async function readObject(guard: RootGuard, key: string): Promise<StoredObject | null> {
  const path = guard.pathOf(key);
  if (!(await guard.dirInside(key, dirname(path)))) return null;
  const fd = await openForRead(guard, key, path);
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
