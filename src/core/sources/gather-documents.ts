/**
 * The input half of a regeneration, proportional to what changed: content/ files and remote
 * sources → the CleanDocuments whose clean result may differ from the last committed run, streamed
 * in source order, plus the sourceIds that are gone and the run's report.
 *
 * How a change is found (gather-local.ts): a change hint (`changedKeys`) reads only the named
 * files; without one, a stat scan compares each file's size and mtime (or etag) with the content
 * index and reads only files that differ; a raw SHA-256 then tells real edits from touched files.
 * Remote sources are collected every run (collectRemote); a remote item counts as changed only when
 * its raw hash did. Cleaning gives exactly `cleanCorpus` over the whole corpus: the chrome index
 * (chrome-index.ts) keeps, per source, how many documents hold each short block; a change updates
 * those counts from the document's old and new keys, and the other documents holding a key that
 * crossed the 2-document boundary are cleaned again. When the index cannot name them, the source
 * is recounted from the content index (correctness first).
 *
 * Memory: pass 1 reads, hashes, parses and counts in batches, keeping parsed documents only up to
 * MAX_HELD_CHARS; pass 2 (`changed()`) re-reads the rest one by one, cleans and yields them.
 * Nothing is written before `commit()` (indexes, remote ledger), so an abandoned run leaves state
 * as it was; a commit that dies half-way leaves `index/meta.json` at `committing`, which makes the
 * next gather rebuild everything.
 *
 * Must not: publish, render, or let one failing source or file stop the others.
 * Tunables: READ_BATCH, MAX_HELD_CHARS below; DEFAULT_RETENTION_DAYS (remote-source.ts);
 * CONTENT_SHARDS (content-index.ts); CHROME_SHARDS, MAX_TRACKED_IDS (chrome-index.ts).
 */
import type { Clock } from '../../ports/clock.ts';
import type { HttpFetch } from '../../ports/fetch.ts';
import type { Logger } from '../../ports/logger.ts';
import type { Storage } from '../../ports/storage.ts';
import { cleanDocument } from '../clean/clean-document.ts';
import { CHROME_MIN_DOCUMENTS } from '../clean/learn-source-chrome.ts';
import { comparisonKey } from '../clean/normalise-text.ts';
import { CLEANER_VERSION, THRESHOLDS } from '../clean/rules.ts';
import { sha256Hex } from '../digest/hash.ts';
import { detectFormat } from '../load/detect-format.ts';
import { parseDocument } from '../load/parse-document.ts';
import type { CleanDocument, ParsedDocument, RawDocument } from '../model.ts';
import { IO_CONCURRENCY, mapConcurrent } from '../pipeline/map-concurrent.ts';
import {
  type CollectedRemote,
  collectRemote,
  type DuplicateUrl,
  type RemoteProgress,
  type RetainedItem,
  type SourceReport,
} from '../remote/collect-remote.ts';
import { dedupeByFingerprint } from '../remote/dedupe-by-fingerprint.ts';
import { EMPTY_LEDGER, loadLedger, saveLedger } from '../remote/item-ledger.ts';
import { DEFAULT_RETENTION_DAYS, type RemoteSource } from '../remote/remote-source.ts';
import type { ShardCensus } from '../state/shard-census.ts';
import { type ChromeIndex, createChromeIndex } from './chrome-index.ts';
import { type ContentFailure, type ContentFormat, readContentFile, sourceOf } from './collect-content.ts';
import {
  CONTENT_INDEX_PREFIX,
  CONTENT_SHARDS,
  type ContentEntry,
  INDEX_FORMAT,
  INDEX_META_KEY,
  type IndexMeta,
  isRacy,
  KEYS_INDEX_PREFIX,
  type ListedStat,
  REMOTE_INDEX_KEY,
  type RemoteEntry,
  readIndexMeta,
  readJson,
} from './content-index.ts';
import { keyHash } from './gather-key-hash.ts';
import { type LocalPlan, planFromHint, planFromListing } from './gather-local.ts';
import { createShardedMap } from './gather-sharded-map.ts';

/** Files read (and hashed, parsed) at once in pass 1: bounds the raw text held at any moment. */
export const READ_BATCH = 256;
/**
 * Parsed documents kept from pass 1 for pass 2, in characters of raw text (~8 MB of text, a few
 * tens of MB parsed): an incremental run keeps all of its few documents; a full build re-reads the rest.
 */
export const MAX_HELD_CHARS = 8_000_000;

export interface GatherDeps {
  readonly content: Storage;
  readonly state: Storage;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly fetch?: HttpFetch;
}

export interface GatherOptions {
  readonly defaultLanguage: string;
  readonly sources?: readonly RemoteSource[];
  readonly retentionDays?: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: RemoteProgress) => void;
  /**
   * Content keys that may have changed since the last committed run (added, edited, deleted;
   * a `.meta.json` sidecar stands for its article). Every other content file is trusted unchanged
   * and never listed or read. Omit to scan.
   */
  readonly changedKeys?: readonly string[];
  /** Ignore every index: read, clean and yield every document. */
  readonly full?: boolean;
}

/** What remote collection did in one run (part of the build report). */
export interface RemoteRunReport {
  readonly sources: readonly SourceReport[];
  readonly retained: readonly RetainedItem[];
  readonly duplicates: readonly DuplicateUrl[];
  readonly expired: readonly string[];
}

export interface Gathered {
  /**
   * The documents whose clean result may differ from the last committed run, in source order
   * (content keys sorted, then remote items in config order), cleaned one at a time. Iterate once.
   */
  changed(): AsyncIterable<CleanDocument>;
  /** True when `changed()` yields every document of the corpus (a full rebuild). */
  readonly complete: boolean;
  /** SourceIds gone since the last committed run (deleted files, expired remote items). */
  readonly removed: readonly string[];
  /** Files and items that failed to load, parse or clean (complete once `changed()` is consumed). */
  readonly failures: readonly ContentFailure[];
  readonly skipped: readonly ContentFailure[];
  readonly remote: RemoteRunReport | null;
  /** reused: documents known unchanged; cleaned: documents cleaned (final after `changed()`). */
  readonly clean: { readonly reused: number; readonly cleaned: number };
  /** collectMs: pass 1; cleanMs: pass 2 (final after `changed()`). */
  readonly timings: { readonly collectMs: number; readonly cleanMs: number };
  /**
   * Takes a document yielded this run (or published before) out of the corpus as a failure: it is
   * reported with `failure`, its blocks no longer count as chrome, and the next run without a change
   * hint reads, cleans and yields it again (a duplicate id: pipeline/id-claims.ts). Before `commit()`.
   */
  holdBack(failure: ContentFailure): Promise<void>;
  /** Writes the indexes and the remote ledger. Call after the items are recorded, before publishing. */
  commit(): Promise<void>;
}

/** One document of this run that must be cleaned (and yielded). */
interface Pending {
  readonly id: string;
  readonly source: string;
  readonly hash: string;
  /** Set for content files: re-read in pass 2 when `parsed` was not held. */
  readonly format?: ContentFormat;
  parsed?: ParsedDocument;
}

const encoder = new TextEncoder();

async function rawHashOf(raw: RawDocument, defaultLanguage: string): Promise<string> {
  const input = [
    raw.source,
    raw.format,
    raw.body,
    raw.baseUrl ?? null,
    raw.metadata ?? null,
    defaultLanguage,
  ];
  return (await sha256Hex(JSON.stringify(input))).slice(0, 32);
}

/** Comparison keys of a document's chrome candidates (learn-source-chrome.ts's rule), distinct. */
function candidateKeys(parsed: ParsedDocument): string[] {
  const keys = new Set<string>();
  for (const block of parsed.blocks) {
    const key = comparisonKey(block.text);
    if (key.length > 0 && key.length <= THRESHOLDS.repeatedBlockMaxChars) keys.add(key);
  }
  return [...keys];
}

function isChrome(count: number): boolean {
  return count >= CHROME_MIN_DOCUMENTS;
}

function byKey(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The census stored with a commit: the folders this run opened replace theirs; empty ones go. */
function committedCensus(
  before: Readonly<Record<string, ShardCensus>>,
  opened: Readonly<Record<string, ShardCensus>>,
): Record<string, ShardCensus> {
  const merged = { ...before, ...opened };
  return Object.fromEntries(
    Object.entries(merged)
      .filter(([, census]) => Object.keys(census).length > 0)
      .sort(([a], [b]) => byKey(a, b)),
  );
}

export async function gatherDocuments(deps: GatherDeps, options: GatherOptions): Promise<Gathered> {
  const { clock, logger, state, content } = deps;
  const language = options.defaultLanguage;
  const t0 = clock.now().getTime();
  const meta = options.full ? null : await readIndexMeta(state, { cleaner: CLEANER_VERSION, language });
  const full = meta === null;

  // Remote sources: fetched every run, as before.
  const sources = options.sources ?? [];
  let remote: CollectedRemote | null = null;
  if (sources.length > 0) {
    if (!deps.fetch) {
      logger.warn('remote sources configured but no Fetch port given; skipped', { sources: sources.length });
    } else {
      remote = await collectRemote(
        { fetch: deps.fetch, state, logger, clock },
        {
          sources,
          ledger: await loadLedger(state),
          retentionDays: options.retentionDays ?? DEFAULT_RETENTION_DAYS,
          ...(options.signal ? { signal: options.signal } : {}),
          ...(options.onProgress ? { onProgress: options.onProgress } : {}),
        },
      );
    }
  }
  if (options.signal?.aborted) throw new Error('regeneration abandoned: shutting down');

  // Checked against the census the last commit stored (a lost shard must not read as empty).
  const censuses = meta?.census ?? {};
  const opened = (prefix: string) => (full ? { fresh: true } : { census: censuses[prefix] ?? {} });
  const index = createShardedMap<ContentEntry>(
    state,
    CONTENT_INDEX_PREFIX,
    CONTENT_SHARDS,
    opened(CONTENT_INDEX_PREFIX),
  );
  const docKeys = createShardedMap<string[]>(
    state,
    KEYS_INDEX_PREFIX,
    CONTENT_SHARDS,
    opened(KEYS_INDEX_PREFIX),
  );
  const chrome = createChromeIndex(state, full ? { fresh: true } : { census: censuses });
  const failures: ContentFailure[] = [...(remote?.failures ?? [])];
  const removed: string[] = [];
  const pending = new Map<string, Pending>();
  let heldChars = 0;
  let reused = 0;

  // ── Local content: which files to read ──
  let plan: LocalPlan;
  if (full) {
    // The previous index (if any) only tells which documents are gone.
    const previous = createShardedMap<ContentEntry>(state, CONTENT_INDEX_PREFIX, CONTENT_SHARDS);
    await previous.ensureAll();
    plan = await planFromListing(content, previous, { readAll: true }, logger);
  } else if (options.changedKeys) {
    plan = await planFromHint(options.changedKeys, index, logger);
  } else {
    await index.ensureAll();
    plan = await planFromListing(content, index, { readAll: false }, logger);
  }
  reused += plan.unchanged;

  /** Takes a document out of the corpus: its keys no longer count. */
  const forget = async (id: string, entry: { source: string; keys?: readonly string[] } | undefined) => {
    if (!entry?.keys || full) return;
    await chrome.ensure(entry.source, entry.keys);
    for (const hash of entry.keys) chrome.remove(entry.source, hash, id);
  };
  /** A content file leaves the corpus (deleted, failing): its keys no longer count. */
  const forgetLocal = async (id: string) => {
    if (full) return;
    const entry = index.get(id);
    await docKeys.ensure([id]);
    if (entry?.hash) await forget(id, { source: entry.source, keys: docKeys.get(id) ?? [] });
    docKeys.delete(id);
  };
  /** Counts a document's keys in the chrome index. */
  const count = async (id: string, source: string, keys: readonly string[]) => {
    await chrome.ensure(source, keys);
    for (const hash of keys) chrome.add(source, hash, id);
  };
  const hold = (item: Pending, parsed: ParsedDocument) => {
    if (heldChars + parsed.raw.body.length <= MAX_HELD_CHARS) {
      item.parsed = parsed;
      heldChars += parsed.raw.body.length;
    }
  };

  for (const key of plan.gone) {
    if (!full) {
      await forgetLocal(key);
      index.delete(key);
    }
    removed.push(key);
  }

  /** A content file that failed: reported, out of the corpus, kept in the index as failed. */
  const failLocal = async (key: string, source: string, failure: ContentFailure) => {
    failures.push(failure);
    await forgetLocal(key);
    index.set(key, { source, size: -1 });
  };

  /** Records a content file read this run; returns true when it must be cleaned. */
  const recordLocal = async (
    key: string,
    format: ContentFormat,
    read: Awaited<ReturnType<typeof readContentFile>>,
  ) => {
    if (read === null) {
      // Listed (or hinted) but gone by the time it was read.
      if (full || index.get(key)) {
        await forgetLocal(key);
        if (!full) index.delete(key);
        removed.push(key);
      }
      return;
    }
    if (!('raw' in read)) {
      await failLocal(key, sourceOf(key), read);
      return;
    }
    const listed = plan.listed.get(key);
    const stat: ListedStat = listed ?? {
      size: read.size,
      ...(read.modified ? { mtime: read.modified.getTime() } : {}),
    };
    const sidecar = read.sidecar
      ? {
          key: read.sidecar.key,
          ...(plan.listed.get(read.sidecar.key) ?? {
            size: read.sidecar.size,
            ...(read.sidecar.modified ? { mtime: read.sidecar.modified.getTime() } : {}),
          }),
        }
      : undefined;
    // t0: every read of this run happens after it (see isRacy).
    const racy = isRacy(stat.mtime, t0) || isRacy(sidecar?.mtime, t0);
    const hash = await rawHashOf(read.raw, language);
    const previous = full ? undefined : index.get(key);
    const base = {
      ...stat,
      source: read.raw.source,
      ...(sidecar ? { sidecar } : {}),
      ...(racy ? { racy: true as const } : {}),
    };
    if (previous?.hash === hash && previous.source === read.raw.source) {
      index.set(key, { ...base, hash });
      reused++;
      return;
    }
    let parsed: ParsedDocument;
    try {
      parsed = parseDocument(read.raw);
    } catch (error) {
      await failLocal(key, read.raw.source, {
        sourceId: key,
        message: `could not parse: ${(error as Error).message}`,
      });
      return;
    }
    const keys = candidateKeys(parsed).map(keyHash);
    await forgetLocal(key);
    await count(key, read.raw.source, keys);
    index.set(key, { ...base, hash });
    await docKeys.ensure([key]);
    docKeys.set(key, keys);
    const item: Pending = { id: key, source: read.raw.source, hash, format };
    hold(item, parsed);
    pending.set(key, item);
  };

  // ── Pass 1, local: read, hash, parse and count, a batch at a time ──
  for (let start = 0; start < plan.toRead.length; start += READ_BATCH) {
    if (options.signal?.aborted) throw new Error('regeneration abandoned: shutting down');
    const batch = plan.toRead.slice(start, start + READ_BATCH);
    const reads = await mapConcurrent(batch, IO_CONCURRENCY, ({ key, format }) =>
      readContentFile(content, key, format, plan.sidecarsFor(key), logger),
    );
    if (!full) {
      await index.ensure(batch.map((b) => b.key));
      await docKeys.ensure(batch.map((b) => b.key));
    }
    for (const [i, { key, format }] of batch.entries()) await recordLocal(key, format, reads[i] ?? null);
  }

  // ── Pass 1, remote: parse every item, fold duplicates, compare raw hashes ──
  let ledger = remote?.ledger ?? EMPTY_LEDGER;
  let duplicates: readonly DuplicateUrl[] = remote?.duplicates ?? [];
  // Read in full mode too: it tells which remote items are gone.
  const remoteIndexBefore: Record<string, RemoteEntry> =
    (await readJson<Record<string, RemoteEntry>>(state, REMOTE_INDEX_KEY)) ?? {};
  const remoteIndex: Record<string, RemoteEntry> = {};
  const remoteOrder: string[] = [];
  const remoteDocs = new Map<string, ParsedDocument>();
  if (remote) {
    const parsedRemote: ParsedDocument[] = [];
    for (const raw of remote.documents) {
      try {
        parsedRemote.push(parseDocument(raw));
      } catch (error) {
        failures.push({ sourceId: raw.sourceId, message: `could not parse: ${(error as Error).message}` });
      }
    }
    const deduped = await dedupeByFingerprint(parsedRemote, ledger);
    ledger = deduped.ledger;
    duplicates = [...duplicates, ...deduped.merged];
    for (const parsed of deduped.documents) {
      const id = parsed.raw.sourceId;
      if (remoteDocs.has(id)) continue;
      remoteDocs.set(id, parsed);
      remoteOrder.push(id);
      const hash = await rawHashOf(parsed.raw, language);
      const previous = full ? undefined : remoteIndexBefore[id];
      if (previous?.hash === hash && previous.source === parsed.raw.source && previous.keys) {
        remoteIndex[id] = previous;
        reused++;
        continue;
      }
      const keys = candidateKeys(parsed).map(keyHash);
      await forget(id, previous);
      await count(id, parsed.raw.source, keys);
      remoteIndex[id] = { source: parsed.raw.source, hash, keys };
      pending.set(id, { id, source: parsed.raw.source, hash, parsed });
    }
  }
  const failedIds = new Set(failures.map((f) => f.sourceId));
  for (const [id, previous] of Object.entries(remoteIndexBefore)) {
    if (remoteIndex[id]) continue;
    await forget(id, previous);
    // A failing item keeps its place (its last good version stays published) but leaves the corpus.
    if (failedIds.has(id)) remoteIndex[id] = { source: previous.source };
    else removed.push(id);
  }

  // ── Documents whose chrome flipped: clean them again (incremental runs only) ──
  if (!full) await addFlipped();

  async function addFlipped(): Promise<void> {
    // Loop: a document re-read for a flip may turn out edited without a hint; counting its new
    // keys may flip more.
    for (;;) {
      const affected = new Set<string>();
      const relearn = new Set<string>();
      for (const [source, hashes] of chrome.touched()) {
        for (const hash of hashes) {
          const before = chrome.original(source, hash);
          const after = chrome.current(source, hash);
          if (isChrome(before.count) === isChrome(after.count)) continue;
          const holders = before.ids ?? after.ids;
          if (!holders) relearn.add(source);
          else for (const id of holders) if (!pending.has(id)) affected.add(id);
        }
      }
      for (const source of relearn) {
        for (const id of await relearnSource(chrome, source)) if (!pending.has(id)) affected.add(id);
      }
      if (affected.size === 0) return;
      let edited = false;
      for (const id of [...affected].sort(byKey)) {
        const parsed = remoteDocs.get(id);
        if (parsed) {
          const entry = remoteIndex[id];
          pending.set(id, { id, source: parsed.raw.source, hash: entry?.hash ?? '', parsed });
          await chrome.ensure(parsed.raw.source, entry?.keys ?? []);
          continue;
        }
        await index.ensure([id]);
        const entry = index.get(id);
        if (!entry?.hash) continue;
        const format = detectFormat(id);
        if (!format) continue;
        const read = await readContentFile(content, id, format, plan.sidecarsFor(id), logger);
        const hash = read && 'raw' in read ? await rawHashOf(read.raw, language) : null;
        if (hash === entry.hash && read && 'raw' in read) {
          const parsed = parseDocument(read.raw);
          const item: Pending = { id, source: entry.source, hash, format };
          hold(item, parsed);
          pending.set(id, item);
          await docKeys.ensure([id]);
          await chrome.ensure(entry.source, docKeys.get(id) ?? []);
        } else {
          // Edited without a hint: record it as a change (its keys move, which may flip more).
          await recordLocal(id, format, read);
          edited = true;
        }
      }
      if (!edited) return;
    }
  }

  /** Recounts one source from the content and remote indexes; returns the holders of flipped keys. */
  async function relearnSource(index_: ChromeIndex, source: string): Promise<string[]> {
    await index.ensureAll();
    await docKeys.ensureAll();
    const docs: { id: string; keys: readonly string[] }[] = [];
    for (const [id, entry] of index.entries()) {
      const keys = entry.source === source && entry.hash ? docKeys.get(id) : undefined;
      if (keys) docs.push({ id, keys });
    }
    for (const [id, entry] of Object.entries(remoteIndex)) {
      if (entry.source === source && entry.hash && entry.keys) docs.push({ id, keys: entry.keys });
    }
    const holdersByKey = await index_.relearn(source, docs);
    const out: string[] = [];
    for (const [hash, holders] of holdersByKey) {
      if (isChrome(index_.original(source, hash).count) !== isChrome(index_.count(source, hash))) {
        out.push(...holders);
      }
    }
    logger.info('chrome index relearnt for a source', { source, documents: docs.length });
    return out;
  }

  const t1 = clock.now().getTime();
  const order = [
    ...[...pending.values()]
      .filter((p) => p.format !== undefined)
      .map((p) => p.id)
      .sort(byKey),
    ...remoteOrder.filter((id) => pending.has(id)),
  ];
  const cleanStats = { reused, cleaned: 0 };
  const timings = { collectMs: t1 - t0, cleanMs: 0 };
  let consumed = false;

  async function parsedFor(item: Pending): Promise<ParsedDocument | null> {
    if (item.parsed) return item.parsed;
    if (!item.format) return null;
    const read = await readContentFile(content, item.id, item.format, plan.sidecarsFor(item.id), logger);
    if (read && 'raw' in read && (await rawHashOf(read.raw, language)) === item.hash) {
      return parseDocument(read.raw);
    }
    // Changed between the passes: its counted keys stay; the next scan sees a new stat.
    failures.push({
      sourceId: item.id,
      message: 'file changed while the build ran; it will be read again next run',
    });
    const entry = index.get(item.id);
    if (entry) index.set(item.id, { ...entry, size: -1 });
    return null;
  }

  async function* changed(): AsyncGenerator<CleanDocument> {
    if (consumed) throw new Error('Gathered.changed() can be iterated once');
    consumed = true;
    const started = clock.now().getTime();
    try {
      for (const id of order) {
        if (options.signal?.aborted) throw new Error('regeneration abandoned: shutting down');
        const item = pending.get(id);
        if (!item) continue;
        let parsed: ParsedDocument | null;
        try {
          parsed = await parsedFor(item);
        } catch (error) {
          failures.push({ sourceId: id, message: `could not parse: ${(error as Error).message}` });
          continue;
        }
        delete item.parsed; // dropped once cleaned: pass 2 holds one document at a time
        if (!parsed) continue;
        const repeatedBlocks = new Set<string>();
        for (const key of candidateKeys(parsed)) {
          if (isChrome(chrome.count(item.source, keyHash(key)))) repeatedBlocks.add(key);
        }
        let doc: CleanDocument;
        try {
          doc = cleanDocument(parsed, { defaultLanguage: language, repeatedBlocks });
        } catch (error) {
          failures.push({ sourceId: id, message: `could not clean: ${(error as Error).message}` });
          continue;
        }
        cleanStats.cleaned++;
        yield doc;
      }
    } finally {
      timings.cleanMs = clock.now().getTime() - started;
    }
  }

  return {
    changed,
    complete: full,
    removed,
    failures,
    skipped: plan.skipped,
    remote: remote
      ? { sources: remote.sources, retained: remote.retained, duplicates, expired: remote.expired }
      : null,
    clean: cleanStats,
    timings,
    async holdBack(failure) {
      failures.push(failure);
      const id = failure.sourceId;
      const uncount = async (source: string, keys: readonly string[]) => {
        await chrome.ensure(source, keys);
        for (const hash of keys) chrome.remove(source, hash, id);
      };
      const remoteEntry = remoteIndex[id];
      if (remoteEntry) {
        // Without a hash the next run cleans it again; its keys leave the corpus now.
        if (remoteEntry.hash && remoteEntry.keys) await uncount(remoteEntry.source, remoteEntry.keys);
        remoteIndex[id] = { source: remoteEntry.source };
        return;
      }
      await index.ensure([id]);
      await docKeys.ensure([id]);
      const entry = index.get(id);
      if (!entry) return;
      // Counted this run or an earlier one, in a full run too (forgetLocal skips full runs).
      if (entry.hash) await uncount(entry.source, docKeys.get(id) ?? []);
      docKeys.delete(id);
      index.set(id, { source: entry.source, size: -1 });
    },
    async commit() {
      const put = (key: string, body: Uint8Array | null) =>
        body === null ? state.delete(key) : state.put(key, body);
      const metaBody = (metaState: IndexMeta['state'], census?: IndexMeta['census']): Uint8Array =>
        encoder.encode(
          JSON.stringify({
            format: INDEX_FORMAT,
            cleaner: CLEANER_VERSION,
            language,
            state: metaState,
            ...(census ? { census } : {}),
          }),
        );
      const writes = [...(await index.writes()), ...(await docKeys.writes()), ...(await chrome.writes())];
      const census = committedCensus(full ? {} : censuses, {
        [CONTENT_INDEX_PREFIX]: index.census() ?? {},
        [KEYS_INDEX_PREFIX]: docKeys.census() ?? {},
        ...chrome.census(),
      });
      // Marked first: a commit killed half-way makes the next gather rebuild, never trust a mix.
      await state.put(INDEX_META_KEY, metaBody('committing'));
      await mapConcurrent(writes, IO_CONCURRENCY, (w) => put(w.key, w.body));
      if (remote || Object.keys(remoteIndexBefore).length > 0) {
        const sorted = Object.fromEntries(Object.entries(remoteIndex).sort(([a], [b]) => byKey(a, b)));
        await state.put(REMOTE_INDEX_KEY, encoder.encode(JSON.stringify(sorted)));
      }
      if (remote) await saveLedger(state, ledger);
      await state.put(INDEX_META_KEY, metaBody('committed', census));
    },
  };
}
