/**
 * The content files a build leaves out without reading them, as report lines (ContentFailure):
 * - hidden names (a segment starting with a dot: `.DS_Store`, `.git/…`, an editor's `.swp`): one
 *   line per hidden file, or per hidden folder with its file count (a `.git` folder is one line);
 * - entries that are not regular files (FIFO, socket, block or character device), which a read
 *   could block on or make no sense of: one line each, never opened.
 * Names are reported as they are; printing them safely (control characters escaped) is the
 * report's and the logger's job.
 *
 * Must not: read files or decide what is an article (collect-content.ts does).
 */
import type { Logger } from '../../ports/logger.ts';
import type { SpecialFileKind, StoredEntry } from '../../ports/storage.ts';
import type { ContentFailure } from './content-failure.ts';

export const HIDDEN_FILE = 'hidden file (name starts with a dot): not published';

export function hiddenFolderMessage(files: number): string {
  return `hidden folder (name starts with a dot): ${files} file${files === 1 ? '' : 's'} not published`;
}

const SPECIAL_LABELS: Readonly<Record<SpecialFileKind, string>> = {
  fifo: 'a FIFO (named pipe)',
  socket: 'a socket',
  device: 'a device file',
};

export function specialFileMessage(kind: SpecialFileKind): string {
  return `not a regular file (${SPECIAL_LABELS[kind]}): not read`;
}

/** The hidden part of a key: itself for a hidden file, `dir/.name/` for a file in a hidden folder. */
function hiddenTop(key: string): { top: string; folder: boolean } | null {
  const at = key.startsWith('.') ? 0 : key.indexOf('/.') + 1;
  if (at === 0 && !key.startsWith('.')) return null;
  const end = key.indexOf('/', at);
  return end === -1 ? { top: key, folder: false } : { top: key.slice(0, end + 1), folder: true };
}

/** One line per hidden file or hidden folder among `keys` (sorted by name). */
export function hiddenSkips(keys: Iterable<string>, logger: Logger): ContentFailure[] {
  const folders = new Map<string, number>();
  const files: string[] = [];
  for (const key of keys) {
    const hidden = hiddenTop(key);
    if (!hidden) continue;
    if (hidden.folder) folders.set(hidden.top, (folders.get(hidden.top) ?? 0) + 1);
    else files.push(hidden.top);
  }
  const out: ContentFailure[] = [
    ...files.map((key) => ({ sourceId: key, message: HIDDEN_FILE })),
    ...[...folders].map(([key, n]) => ({ sourceId: key, message: hiddenFolderMessage(n) })),
  ].sort((a, b) => (a.sourceId < b.sourceId ? -1 : a.sourceId > b.sourceId ? 1 : 0));
  if (out.length > 0) logger.info('hidden content skipped', { entries: out.length });
  return out;
}

/** Listed entries that are not regular files → one line each (hidden ones are left to hiddenSkips). */
export function specialSkips(entries: readonly StoredEntry[], logger: Logger): ContentFailure[] {
  const out: ContentFailure[] = [];
  for (const entry of entries) {
    if (!entry.special || hiddenTop(entry.key)) continue;
    out.push({ sourceId: entry.key, message: specialFileMessage(entry.special) });
  }
  // Names go to the report (escaped there), not raw into the log.
  if (out.length > 0) logger.warn('content entries skipped: not regular files', { entries: out.length });
  return out;
}
