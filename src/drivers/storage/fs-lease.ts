/**
 * Create-if-absent for the fs Storage driver (`putIfAbsent`, which the publish lock takes its
 * lease with): the bytes go to a temp file first, then link(2) gives it the target's name. link
 * fails with EEXIST when the name exists, atomically (POSIX; NFSv3+ and local filesystems alike),
 * so of two processes creating one key exactly one succeeds, and a reader never sees the file
 * half-written (unlike open(…, 'wx') followed by a write). The temp file is unlinked either way.
 *
 * Must not: overwrite an existing file, or resolve the key itself (fs.ts checks the path and the
 * folder, and names the temp file).
 */
import { linkSync, unlinkSync, writeFileSync } from 'node:fs';

/** Writes `body` at `path` unless a file is there; true when this call created it. */
export function createIfAbsent(path: string, temp: string, body: Uint8Array): boolean {
  writeFileSync(temp, body);
  try {
    linkSync(temp, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    try {
      unlinkSync(temp);
    } catch {
      // Already gone: nothing to clean.
    }
  }
}
