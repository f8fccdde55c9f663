/**
 * Incremental cleaning: RawDocument[] → CleanDocument[] like `cleanCorpus`, but an article whose
 * raw input, CLEANER_VERSION and the source chrome it matches are unchanged is neither re-parsed
 * nor re-cleaned: its result comes from the cache in state (`clean-cache/<h>.json`, one per item).
 *
 * Exactness: cleaning depends on (a) the raw document, (b) the rules (CLEANER_VERSION, which the
 * loader shares), (c) the blocks its source repeats across articles. (a)+(b) key the parse, and
 * (c) is reduced to the repeated keys that occur in THIS article, so a new article elsewhere in
 * the source re-cleans only the articles whose chrome it changes.
 *
 * Must not: publish or read the clock; a corrupt cache entry is a miss, never an error.
 * Tunables: CACHE_PREFIX.
 */
import type { Storage } from '../../ports/storage.ts';
import { cleanDocument } from '../clean/clean-document.ts';
import { learnRepeatedBlocks } from '../clean/learn-source-chrome.ts';
import { comparisonKey } from '../clean/normalise-text.ts';
import { CLEANER_VERSION } from '../clean/rules.ts';
import { parseDocument } from '../load/parse-document.ts';
import type { CleanDocument, ParsedDocument, RawDocument } from '../model.ts';
import type { ContentFailure } from './collect-content.ts';
import { sha256Hex } from './hash.ts';
import { IO_CONCURRENCY, mapConcurrent } from './map-concurrent.ts';

export const CACHE_PREFIX = 'clean-cache/';

interface CacheEntry {
  readonly version: string;
  readonly rawHash: string;
  readonly parsed: Pick<ParsedDocument, 'metadata' | 'blocks'>;
  readonly chromeHash?: string;
  readonly result?: Omit<CleanDocument, 'raw'>;
}

export interface CachedCleanResult {
  readonly documents: readonly CleanDocument[];
  readonly failures: readonly ContentFailure[];
  /** Articles whose clean result came from the cache. */
  readonly reused: number;
  /** Articles cleaned in this run. */
  readonly cleaned: number;
}

const encoder = new TextEncoder();

async function cacheKey(sourceId: string): Promise<string> {
  return `${CACHE_PREFIX}${(await sha256Hex(sourceId)).slice(0, 32)}.json`;
}

async function readEntry(state: Storage, key: string): Promise<CacheEntry | null> {
  const stored = await state.get(key).catch(() => null);
  if (!stored) return null;
  try {
    const entry = JSON.parse(new TextDecoder().decode(stored.body)) as CacheEntry;
    return entry.version === CLEANER_VERSION && typeof entry.rawHash === 'string' && entry.parsed
      ? entry
      : null;
  } catch {
    return null;
  }
}

export interface CleanCacheOptions {
  /** Runs on the parsed documents before chrome is learnt (remote duplicates are folded here);
   * returns them aligned with its input, null for a dropped one. */
  readonly beforeClean?: (parsed: readonly ParsedDocument[]) => Promise<readonly (ParsedDocument | null)[]>;
}

export async function cleanCorpusCached(
  raws: readonly RawDocument[],
  defaultLanguage: string,
  state: Storage,
  options: CleanCacheOptions = {},
): Promise<CachedCleanResult> {
  const failures: ContentFailure[] = [];
  let work: {
    raw: RawDocument;
    key: string;
    rawHash: string;
    entry: CacheEntry | null;
    parsed: ParsedDocument;
  }[] = [];
  // Hash and look up every article concurrently (storage latency, not CPU, bounds this step).
  const looked = await mapConcurrent(raws, IO_CONCURRENCY, async (raw) => {
    const key = await cacheKey(raw.sourceId);
    const rawHash = await sha256Hex(
      JSON.stringify([
        raw.source,
        raw.format,
        raw.body,
        raw.baseUrl ?? null,
        raw.metadata ?? null,
        defaultLanguage,
      ]),
    );
    const cached = await readEntry(state, key);
    return { raw, key, rawHash, entry: cached?.rawHash === rawHash ? cached : null };
  });
  for (const { raw, key, rawHash, entry } of looked) {
    try {
      const parsed: ParsedDocument = entry ? { raw, ...entry.parsed } : parseDocument(raw);
      work.push({ raw, key, rawHash, entry, parsed });
    } catch (error) {
      failures.push({ sourceId: raw.sourceId, message: `could not parse: ${(error as Error).message}` });
    }
  }
  if (options.beforeClean) {
    const aligned = await options.beforeClean(work.map((w) => w.parsed));
    const next: typeof work = [];
    for (const [i, w] of work.entries()) {
      const parsed = aligned[i];
      if (!parsed) continue; // folded into another document
      if (parsed.raw.sourceId === w.raw.sourceId) next.push(w);
      // Re-keyed to an earlier item: its own cache slot, its own clean.
      else
        next.push({
          raw: parsed.raw,
          key: await cacheKey(parsed.raw.sourceId),
          rawHash: w.rawHash,
          entry: null,
          parsed,
        });
    }
    work = next;
  }
  const repeated = learnRepeatedBlocks(work.map((w) => w.parsed));
  const documents: CleanDocument[] = [];
  let reused = 0;
  let cleaned = 0;
  const writes: { key: string; body: Uint8Array }[] = [];
  for (const { raw, key, rawHash, entry, parsed } of work) {
    const repeatedBlocks = repeated.get(raw.source);
    const own = [...new Set(parsed.blocks.map((b) => comparisonKey(b.text)))]
      .filter((k) => repeatedBlocks?.has(k))
      .sort();
    const chromeHash = await sha256Hex(JSON.stringify(own));
    if (entry?.result && entry.chromeHash === chromeHash) {
      documents.push({ raw, ...entry.result });
      reused++;
      continue;
    }
    try {
      const doc = cleanDocument(parsed, { defaultLanguage, ...(repeatedBlocks ? { repeatedBlocks } : {}) });
      documents.push(doc);
      cleaned++;
      const { raw: _raw, ...result } = doc;
      const next: CacheEntry = {
        version: CLEANER_VERSION,
        rawHash,
        parsed: { metadata: parsed.metadata, blocks: parsed.blocks },
        chromeHash,
        result,
      };
      writes.push({ key, body: encoder.encode(JSON.stringify(next)) });
    } catch (error) {
      failures.push({ sourceId: raw.sourceId, message: `could not clean: ${(error as Error).message}` });
    }
  }
  // Only changed articles are written; a failed write is a cache miss next run, never an error.
  await mapConcurrent(writes, IO_CONCURRENCY, (write) => state.put(write.key, write.body).catch(() => {}));
  return { documents, failures, reused, cleaned };
}
