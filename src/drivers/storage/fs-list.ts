/**
 * Listing for the fs Storage driver: key prefix → the sorted keys of the files below it, and
 * `listEntries` with each file's size and mtime. Temp files and the driver's markers are never
 * listed (a stale temp met on the way is swept); symbolic links are listed so that a caller reading
 * them gets the driver's error; FIFOs, sockets and devices are listed by `listEntries` only, never
 * opened.
 *
 * Must not: open a listed file (a FIFO would block), or list a key outside the prefix.
 * Tunables: STAT_SLICE.
 */
import { type Dirent, type Stats, statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { StoredEntry } from '../../ports/storage.ts';
import { isMissing } from './fs-error-code.ts';
import { SWEEP_MARKER, sweepIfStale } from './fs-sweep.ts';
import { TEMP_FILE, WRITER_MARKER } from './fs-temp-files.ts';
import { assertValidPrefix } from './storage-key.ts';

/** Files stat'ed between two yields to the event loop in listEntries (~5 ms of work). */
export const STAT_SLICE = 2000;

/** What a listing walks: the storage root, and the age past which a temp file met is swept. */
export interface ListScope {
  readonly root: string;
  readonly staleTempMs: number;
}

/**
 * Appends the keys of the files under `dir`, whose key prefix is `keyPrefix` ('' or 'a/b/').
 * Paths and keys are built by concatenation: entry names are plain, and `join`/`relative` per
 * file were a fifth of a 100,000-file listing.
 */
async function walk(
  scope: ListScope,
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
    if (entry.isDirectory()) await walk(scope, full, `${keyPrefix}${entry.name}/`, out, specials);
    else if (TEMP_FILE.test(entry.name)) {
      if (entry.isFile()) await sweepIfStale(full, entry.name, scope.staleTempMs);
    } else if (dir === scope.root && (entry.name === SWEEP_MARKER || WRITER_MARKER.test(entry.name))) {
      // The sweep and writer markers are the driver's own bookkeeping, not stored objects.
    } else if (entry.isFile() || entry.isSymbolicLink()) out.push(`${keyPrefix}${entry.name}`);
    else if (specials) {
      // Never opened (a FIFO would block a read): listed by listEntries only, to be reported.
      const special = entry.isFIFO() ? 'fifo' : entry.isSocket() ? 'socket' : 'device';
      specials.push({ key: `${keyPrefix}${entry.name}`, size: -1, special });
    }
  }
}

/** The sorted keys under `prefix`; special files go to `specials` when given. */
export async function listKeys(
  scope: ListScope,
  prefix: string,
  specials?: StoredEntry[],
): Promise<string[]> {
  assertValidPrefix(prefix);
  const { root } = scope;
  // Walk only the deepest directory the prefix names; filter the rest by string prefix.
  const slash = prefix.lastIndexOf('/');
  const start = slash === -1 ? root : join(root, prefix.slice(0, slash));
  const folder = relative(root, start).split(sep).join('/');
  const keys: string[] = [];
  await walk(scope, start, folder === '' ? '' : `${folder}/`, keys, specials);
  return keys.filter((key) => key.startsWith(prefix)).sort();
}

/** The entries under `prefix` with size and mtime, stat'ed in slices of STAT_SLICE (see fs.ts). */
export async function listEntries(scope: ListScope, prefix: string): Promise<StoredEntry[]> {
  const specials: StoredEntry[] = [];
  const keys = await listKeys(scope, prefix, specials);
  const entries: StoredEntry[] = [];
  for (const [index, key] of keys.entries()) {
    if (index > 0 && index % STAT_SLICE === 0) await new Promise((resolve) => setImmediate(resolve));
    let stats: Stats | undefined;
    try {
      stats = statSync(`${scope.root}${sep}${key}`, { throwIfNoEntry: false });
    } catch {
      stats = undefined; // unreadable (EACCES, a link loop): the caller's read reports it
    }
    entries.push(stats?.isFile() ? { key, size: stats.size, modified: stats.mtime } : { key, size: -1 });
  }
  const listed = specials.filter((entry) => entry.key.startsWith(prefix));
  if (listed.length === 0) return entries;
  return [...entries, ...listed].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
