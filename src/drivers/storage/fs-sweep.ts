/**
 * Sweeping abandoned temp files for the fs Storage driver: one temp file (when a listing meets it),
 * one folder tree, and the whole-tree sweep an instance's first write starts when it is due (a
 * writer marker names a process that is gone, or the last full sweep is older than the interval).
 * Which names are temp files and which of them may go is fs-temp-files.ts's rule.
 *
 * Must not: delete anything but an abandoned temp file or a dead writer's marker, or be awaited by
 * a write (fs-write.ts starts the whole-tree sweep in the background).
 * Tunables: DEFAULT_SWEEP_INTERVAL_MS.
 */
import { randomBytes } from 'node:crypto';
import { type Dirent, unlinkSync, writeFileSync } from 'node:fs';
import { lstat, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { abandonedTemp, deadWriterMarker, TEMP_FILE, writerMarkerName } from './fs-temp-files.ts';

/** A full sweep walks every folder (≈ 150,000 at 100,000 articles): once an hour is plenty. */
export const DEFAULT_SWEEP_INTERVAL_MS = 60 * 60 * 1000;
/** Hidden file in the root whose mtime is the last full sweep; never listed. */
export const SWEEP_MARKER = '.kiosque-swept';

/**
 * Writer markers this process holds, by storage root (one per root however many instances write
 * there: a server builds with a new instance each run). Removed when the process exits normally;
 * a marker left by a process that is gone tells the next writer to sweep (see fs.ts's header).
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

/** Deletes one temp file if it is abandoned (fs-temp-files.ts). Best effort. */
export async function sweepIfStale(full: string, name: string, staleTempMs: number): Promise<void> {
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
export async function sweepTreeIfDue(
  root: string,
  staleTempMs: number,
  sweepIntervalMs: number,
): Promise<void> {
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
  await sweepDirectory(root, staleTempMs);
  for (const name of dead) await rm(join(root, name), { force: true });
  await writeFile(marker, '').catch(() => {});
}

/** Deletes the stale temp files of a folder and its subfolders. */
async function sweepDirectory(dir: string, staleTempMs: number): Promise<void> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) await sweepDirectory(full, staleTempMs);
    else if (entry.isFile() && TEMP_FILE.test(entry.name)) await sweepIfStale(full, entry.name, staleTempMs);
  }
}
