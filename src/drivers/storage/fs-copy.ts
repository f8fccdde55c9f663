/**
 * `copy` for the fs Storage driver: the target becomes a hard link to the source's inode (a temp
 * link renamed over the target, so no byte is copied), or a byte copy (get + put) where a hard link
 * is impossible or the source is a symbolic link. A target that already is a link to the source's
 * inode is left alone (issue 24; see fs.ts's header), and the temp is unlinked after every rename.
 *
 * Must not: hard-link a symbolic link (a relative one would dangle under another name), or leave a
 * temp file behind on any path it takes.
 */
import { linkSync, lstatSync, renameSync, type Stats, statSync, unlinkSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { StoredObject } from '../../ports/storage.ts';
import { errorCode, isMissing } from './fs-error-code.ts';
import type { RootGuard } from './fs-root-guard.ts';
import { syncTurn } from './fs-sync-io.ts';
import type { FsWriter } from './fs-write.ts';

/** Errors of link(2) after which a byte copy may still work (other device, no permission, …). */
const LINK_FALLBACK = new Set(['EXDEV', 'EPERM', 'EACCES', 'EMLINK', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS']);

/** What a copy uses of the driver: its root guard, its writer, and its own `get`. */
export interface CopyParts {
  readonly guard: RootGuard;
  readonly writer: FsWriter;
  readonly get: (key: string) => Promise<StoredObject | null>;
}

export async function copyObject(parts: CopyParts, fromKey: string, toKey: string): Promise<boolean> {
  const { guard, writer, get } = parts;
  const from = guard.pathOf(fromKey);
  const to = guard.pathOf(toKey);
  if (!(await guard.dirInside(fromKey, dirname(from)))) return false;
  const byteCopy = async (): Promise<boolean> => {
    const object = await get(fromKey);
    if (object === null) return false;
    await writer.put(toKey, object.body);
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
  return writer.inFolder(toKey, dirname(to), () => linkOver(writer, from, to, stats, byteCopy));
}

/** Inside the target's folder: makes `to` a link to `from`'s inode `stats`, through a temp link. */
async function linkOver(
  writer: FsWriter,
  from: string,
  to: string,
  stats: Stats,
  byteCopy: () => Promise<boolean>,
): Promise<boolean> {
  await syncTurn();
  // Already a link to the same inode (the last copy, or a killed build's): nothing to do.
  const current = lstatSync(to, { throwIfNoEntry: false });
  if (current !== undefined && current.ino === stats.ino && current.dev === stats.dev) return true;
  const temp = writer.tempFor(to);
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
}
