/**
 * Temp-file discipline of the fs Storage driver: how temp files and writer markers are named, and
 * which of them a sweep may delete. fs.ts writes every object through a temp file renamed over
 * its target; this module is the only place that knows what those names mean.
 *
 * Names: a temp file is `.<name>.<pid>.h<host>.<unique>.tmp` — the writer's process id, an 8-hex
 * tag of its host name, then the instance's random tag and a counter. Older versions wrote
 * `.<name>.<pid>.<unique>.tmp` (no host): still recognised, swept by age only. A writer marker
 * `.kiosque-writer.<pid>.h<host>.<tag>` sits in the storage root while an instance that has
 * written lives; it is removed when the process exits normally. A marker whose process is gone is
 * the trace of a killed (or signalled) writer: the next instance to write then sweeps the whole
 * tree at once instead of waiting for the hourly sweep (fs.ts).
 *
 * A temp file may be deleted when its writer is known dead (same host, a pid that no longer runs:
 * `kill(pid, 0)` fails with ESRCH), or when it is older than the stale limit. Age is by mtime, and
 * for a file with more than one link by the younger of mtime and ctime: a temp made by hard link
 * shares the source's inode and its old mtime, but linking sets ctime, so a live writer's fresh
 * link is never taken for an old file. A temp on
 * another host (shared folder), or of this process, is judged by age only: its pid means nothing
 * here, or its writer may still be running.
 *
 * Must not: delete anything that is not a temp file or a dead writer's marker; throw from a sweep
 * (best effort: a file renamed or removed meanwhile is simply gone). Tunables: none here
 * (DEFAULT_STALE_TEMP_MS lives in fs.ts).
 */
import { createHash } from 'node:crypto';
import type { Stats } from 'node:fs';
import { hostname } from 'node:os';

/** Temp files of this and older versions; group 1: pid, group 2: host tag (new names only). */
export const TEMP_FILE = /^\..+\.(\d+)\.(?:h([0-9a-f]{8})\.)?[0-9a-f]+\.tmp$/;
/** Writer markers in the storage root; group 1: pid, group 2: host tag. */
export const WRITER_MARKER = /^\.kiosque-writer\.(\d+)\.h([0-9a-f]{8})\.[0-9a-f]+$/;

/** This host's tag: temp files and markers of another host are never judged by their pid. */
export const HOST_TAG = createHash('sha256').update(hostname()).digest('hex').slice(0, 8);

/** The temp file name for `name` in the same folder; `unique` is hex, unique per put/copy. */
export function tempName(name: string, unique: string): string {
  return `.${name}.${process.pid}.h${HOST_TAG}.${unique}.tmp`;
}

/** The writer marker of an instance with random hex tag `tag`. */
export function writerMarkerName(tag: string): string {
  return `.kiosque-writer.${process.pid}.h${HOST_TAG}.${tag}`;
}

/** Whether process `pid` of this host is gone (EPERM: it runs under another user, so alive). */
function processGone(pid: number): boolean {
  if (pid === process.pid || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** Whether the writer named by a pid and host tag is known to be dead. */
export function writerDead(pid: string | undefined, host: string | undefined): boolean {
  return host === HOST_TAG && pid !== undefined && processGone(Number(pid));
}

/** Whether the writer marker `name` (in the root) belongs to a process that is gone. */
export function deadWriterMarker(name: string): boolean {
  const match = WRITER_MARKER.exec(name);
  return match !== null && writerDead(match[1], match[2]);
}

/**
 * Whether temp file `name` with these stats may be deleted: its writer is dead, or it is at least
 * `staleMs` old (a hard-linked one by the younger of mtime and ctime, see the header).
 */
export function abandonedTemp(
  name: string,
  stats: Pick<Stats, 'mtimeMs' | 'ctimeMs' | 'nlink'>,
  staleMs: number,
  now: number,
): boolean {
  const match = TEMP_FILE.exec(name);
  if (match === null) return false;
  if (writerDead(match[1], match[2])) return true;
  const changed = stats.nlink > 1 ? Math.max(stats.mtimeMs, stats.ctimeMs) : stats.mtimeMs;
  return now - changed >= staleMs;
}
