/**
 * Which content files a gather must read: content store + content index + options → the articles
 * to read (key order), the listed stats to record, the indexed keys whose file is gone, and the
 * files skipped. Three ways, cheapest first:
 *  - a change hint (`changedKeys`): only those keys (a sidecar names its article); the rest are
 *    trusted unchanged and never listed, stat'ed or read;
 *  - a stat scan (`listEntries`): every file listed with size and mtime/etag; only files whose stat
 *    differs from the index (or that are new, failed last time, or were "racy") are read;
 *  - a driver without `listEntries`, or a full rebuild: every article is read (the raw hash then
 *    tells unchanged from changed).
 *
 * Must not: read file contents (gather-documents.ts does), or write the index.
 * Tunables: RACY_MS, FINE_RACY_MS (content-index.ts).
 */
import type { Logger } from '../../ports/logger.ts';
import type { Storage } from '../../ports/storage.ts';
import { detectFormat } from '../load/detect-format.ts';
import type { ShardedMap } from '../state/sharded-map.ts';
import {
  type ContentFailure,
  type ContentFormat,
  isHidden,
  isSidecar,
  sidecarCandidates,
  sortContentKeys,
  UNKNOWN_EXTENSION,
} from './collect-content.ts';
import { type ContentEntry, type ListedStat, sameStat, statOf } from './content-index.ts';
import { hiddenSkips, specialSkips } from './content-skips.ts';

/** Extensions detect-format.ts loads, to find the article a changed sidecar belongs to. */
const ARTICLE_EXTENSIONS = ['txt', 'text', 'md', 'markdown', 'html', 'htm'] as const;
const SIDECAR_SUFFIX = '.meta.json';

export interface LocalPlan {
  readonly toRead: readonly { readonly key: string; readonly format: ContentFormat }[];
  /**
   * The sidecars an article may have: those known to exist (from a listing, or the one the index
   * recorded when no sidecar was hinted), or 'probe' to try each candidate (a new article).
   */
  sidecarsFor(key: string): ReadonlySet<string> | 'probe';
  /** Stats from the listing, to record in the index (hint mode: none; the read gives them). */
  readonly listed: ReadonlyMap<string, ListedStat>;
  /** Indexed content keys whose file no longer exists. */
  readonly gone: readonly string[];
  readonly skipped: readonly ContentFailure[];
  /** Articles listed and trusted unchanged without reading them. */
  readonly unchanged: number;
}

/** The articles a changed key may stand for: itself, or for a sidecar, the article(s) it annotates. */
function articlesOf(key: string): string[] {
  if (!isSidecar(key)) return [key];
  const stem = key.slice(0, -SIDECAR_SUFFIX.length);
  const out = detectFormat(stem) ? [stem] : [];
  for (const ext of ARTICLE_EXTENSIONS) out.push(`${stem}.${ext}`);
  return out;
}

/** Hint mode: only the named keys (and the articles of named sidecars). */
export async function planFromHint(
  changedKeys: readonly string[],
  index: ShardedMap<ContentEntry>,
  logger: Logger,
): Promise<LocalPlan> {
  const wanted = new Set<string>();
  const skipped: ContentFailure[] = hiddenSkips(changedKeys, logger);
  const visible = changedKeys.filter((key) => key !== '' && !isHidden(key));
  const candidates = visible.flatMap(articlesOf);
  await index.ensure(candidates);
  for (const key of visible) {
    if (isSidecar(key)) {
      // Only articles already indexed: a new article comes with its own hint.
      for (const article of articlesOf(key)) if (index.get(article)) wanted.add(article);
      continue;
    }
    if (!detectFormat(key)) {
      skipped.push({ sourceId: key, message: UNKNOWN_EXTENSION });
      logger.warn('content file skipped: unknown extension', { file: key });
      continue;
    }
    wanted.add(key);
  }
  const toRead = [...wanted].sort().flatMap((key) => {
    const format = detectFormat(key);
    return format ? [{ key, format }] : [];
  });
  const hinted = new Set(visible);
  const sidecarsFor = (key: string): ReadonlySet<string> | 'probe' => {
    const entry = index.get(key);
    if (!entry?.hash || sidecarCandidates(key).some((k) => hinted.has(k))) return 'probe';
    // Unchanged sidecar (none was hinted): the one recorded, if any; no probe reads.
    return new Set(entry.sidecar ? [entry.sidecar.key] : []);
  };
  return { toRead, sidecarsFor, listed: new Map(), gone: [], skipped, unchanged: 0 };
}

/**
 * Scan mode (and full mode with `readAll`): lists the store, compares with the index (whose
 * shards must all be loaded unless `readAll`).
 */
export async function planFromListing(
  content: Storage,
  index: ShardedMap<ContentEntry> | null,
  options: { readonly readAll: boolean },
  logger: Logger,
): Promise<LocalPlan> {
  const listed = new Map<string, ListedStat>();
  let keys: string[];
  let specials: ContentFailure[] = [];
  if (content.listEntries) {
    const all = await content.listEntries('');
    // Not regular files (FIFO, socket, device): reported, never read.
    const entries = all.some((entry) => entry.special) ? all.filter((entry) => !entry.special) : all;
    if (entries !== all) specials = specialSkips(all, logger);
    keys = entries.map((entry) => entry.key);
    for (const entry of entries) listed.set(entry.key, statOf(entry));
    if (entries !== all) keys.push(...all.filter((e) => e.special && isHidden(e.key)).map((e) => e.key));
  } else {
    keys = await content.list('');
  }
  const sorted = sortContentKeys(keys, logger);
  const { articles, sidecars } = sorted;
  const skipped = [...sorted.skipped, ...specials];
  const toRead: { key: string; format: ContentFormat }[] = [];
  let unchanged = 0;
  const present = new Set<string>();
  for (const article of articles) {
    present.add(article.key);
    const entry = options.readAll || !index ? undefined : index.get(article.key);
    if (entry?.hash && !entry.racy && sameStat(entry, listed.get(article.key))) {
      const sidecarKey =
        sidecars.size === 0 ? undefined : sidecarCandidates(article.key).find((k) => sidecars.has(k));
      const sidecarSame = sidecarKey
        ? entry.sidecar?.key === sidecarKey && sameStat(entry.sidecar, listed.get(sidecarKey))
        : entry.sidecar === undefined;
      if (sidecarSame) {
        unchanged++;
        continue;
      }
    }
    toRead.push(article);
  }
  const gone: string[] = [];
  if (index) for (const [key] of index.entries()) if (!present.has(key)) gone.push(key);
  return { toRead, sidecarsFor: () => sidecars, listed, gone: gone.sort(), skipped, unchanged };
}
