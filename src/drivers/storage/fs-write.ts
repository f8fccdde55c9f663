/**
 * Writing for the fs Storage driver: the folder a write lands in (created, checked inside the root,
 * retried once when a trusted folder vanished meanwhile), unique temp names, and `put` (write a temp
 * file, rename it over the target). The first write of an instance starts the whole-tree sweep in
 * the background (fs-sweep.ts).
 *
 * Must not: write anywhere but through a temp file renamed over its target, or await the sweep.
 */
import { randomBytes } from 'node:crypto';
import { renameSync, writeFileSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { errorCode } from './fs-error-code.ts';
import type { RootGuard } from './fs-root-guard.ts';
import { sweepTreeIfDue } from './fs-sweep.ts';
import { SYNC_IO_MAX_BYTES, syncTurn } from './fs-sync-io.ts';
import { tempName } from './fs-temp-files.ts';

export interface FsWriter {
  /**
   * Runs `write` (which creates a file in `dir`) once `dir` exists and is checked. A trusted folder
   * is not re-created first; if it vanished meanwhile (a delete pruned it) the write is retried.
   */
  inFolder<R>(key: string, dir: string, write: () => Promise<R>): Promise<R>;
  /** A temp file name beside `path`, unique to this instance. */
  tempFor(path: string): string;
  /** Stores `body` under `key`: a temp file renamed over the target. */
  put(key: string, body: Uint8Array): Promise<void>;
  /** Settles when this instance's whole-tree sweep, if one started, is done. */
  whenSwept(): Promise<void>;
}

export function createFsWriter(guard: RootGuard, staleTempMs: number, sweepIntervalMs: number): FsWriter {
  let treeSwept: Promise<void> | null = null;

  async function inFolder<R>(key: string, dir: string, write: () => Promise<R>): Promise<R> {
    const trusted = guard.dirTrusted(dir);
    const prepare = async (): Promise<void> => {
      const made = await mkdir(dir, { recursive: true });
      // Folders this call created inside a trusted folder are real folders: no need to resolve them.
      if (made !== undefined && guard.dirTrusted(dirname(made))) {
        for (let created = dir; created.length >= made.length; created = dirname(created))
          guard.trust(created);
        return;
      }
      // A directory link out of the root would make the rename land outside it.
      await guard.dirInside(key, dir);
    };
    if (!trusted) await prepare();
    // Started by the first write, never awaited by it (see fs.ts's header).
    treeSwept ??= sweepTreeIfDue(guard.root, staleTempMs, sweepIntervalMs).catch(() => {});
    try {
      return await write();
    } catch (error) {
      if (!trusted || errorCode(error) !== 'ENOENT') throw error;
      guard.forget(dir);
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

  async function put(key: string, body: Uint8Array): Promise<void> {
    const path = guard.pathOf(key);
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

  return { inFolder, tempFor, put, whenSwept: () => treeSwept ?? Promise.resolve() };
}
