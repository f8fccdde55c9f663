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
import { CLEANER_VERSION } from '../clean/rules.ts';
import type { CleanDocument } from '../model.ts';
import { IO_CONCURRENCY, mapConcurrent } from '../pipeline/map-concurrent.ts';
import type { RemoteProgress } from '../remote/collect-remote.ts';
import type { RemoteSource } from '../remote/remote-source.ts';
import type { ShardCensus } from '../state/shard-census.ts';
import { addFlipped } from './chrome-flips.ts';
import { type ChromeIndex, createChromeIndex } from './chrome-index.ts';
import type { ContentFailure } from './content-failure.ts';
import { INDEX_FORMAT, INDEX_META_KEY, type IndexMeta, readIndexMeta } from './content-index.ts';
import { createCorpusChrome } from './corpus-chrome.ts';
import { byKey } from './document-keys.ts';
import { createLocalSource, type LocalFileSource } from './local-source.ts';
import type { DocumentSource, SourceRun } from './source.ts';
import { createUpstreamSource, type RemoteRunReport, type UpstreamSource } from './upstream-source.ts';

export { MAX_HELD_CHARS, READ_BATCH } from './local-source.ts';
export type { RemoteRunReport } from './upstream-source.ts';

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

const encoder = new TextEncoder();

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
  const { clock, logger, state } = deps;
  const language = options.defaultLanguage;
  const startedAt = clock.now().getTime();
  const meta = options.full ? null : await readIndexMeta(state, { cleaner: CLEANER_VERSION, language });
  const full = meta === null;
  const censuses = meta?.census ?? {};
  const chromeIndex = createChromeIndex(state, full ? { fresh: true } : { census: censuses });
  const run: SourceRun = {
    full,
    language,
    startedAt,
    signal: options.signal,
    chrome: createCorpusChrome(chromeIndex, full),
    failures: [],
    removed: [],
  };
  const local = createLocalSource(run, {
    content: deps.content,
    state,
    logger,
    census: censuses,
    changedKeys: options.changedKeys,
  });
  const upstream = createUpstreamSource(run, {
    state,
    logger,
    clock,
    fetch: deps.fetch,
    sources: options.sources ?? [],
    retentionDays: options.retentionDays,
    onProgress: options.onProgress,
  });
  // Content keys first, then remote items in config order.
  const sources: readonly DocumentSource[] = [local, upstream];
  // Remote sources are fetched before the content is listed, as before (their failures come first).
  await upstream.open();
  if (options.signal?.aborted) throw new Error('regeneration abandoned: shutting down');
  await local.open();
  for (const source of sources) await source.scan();
  if (!full) await addFlipped(chromeIndex, sources, logger);

  const collected = clock.now().getTime();
  const reused = sources.reduce((sum, source) => sum + source.unchanged(), 0);
  const clean = { reused, cleaned: 0 };
  const timings = { collectMs: collected - startedAt, cleanMs: 0 };
  const order = sources.map((source) => ({ source, ids: source.pendingIds() }));
  let consumed = false;
  return {
    async *changed() {
      if (consumed) throw new Error('Gathered.changed() can be iterated once');
      consumed = true;
      yield* cleanPending({ run, clock, order, clean, timings });
    },
    complete: full,
    removed: run.removed,
    failures: run.failures,
    skipped: local.report(),
    remote: upstream.report(),
    clean,
    timings,
    async holdBack(failure) {
      run.failures.push(failure);
      for (const source of [upstream, local]) if (await source.holdBack(failure.sourceId)) return;
    },
    commit: () => commitGather({ state, language, full, censuses }, local, upstream, chromeIndex),
  };
}

interface CleanPass {
  readonly run: SourceRun;
  readonly clock: Clock;
  readonly order: readonly { readonly source: DocumentSource; readonly ids: readonly string[] }[];
  readonly clean: { reused: number; cleaned: number };
  readonly timings: { collectMs: number; cleanMs: number };
}

/** Pass 2: each pending document, loaded from its source and cleaned, one at a time. */
async function* cleanPending(pass: CleanPass): AsyncGenerator<CleanDocument> {
  const { run, clock } = pass;
  const started = clock.now().getTime();
  try {
    for (const { source, ids } of pass.order) {
      for (const id of ids) {
        if (run.signal?.aborted) throw new Error('regeneration abandoned: shutting down');
        const doc = await cleanOne(run, source, id);
        if (!doc) continue;
        pass.clean.cleaned++;
        yield doc;
      }
    }
  } finally {
    pass.timings.cleanMs = clock.now().getTime() - started;
  }
}

/** One document cleaned with its group's current chrome; a failure is reported, never thrown. */
async function cleanOne(run: SourceRun, source: DocumentSource, id: string): Promise<CleanDocument | null> {
  let loaded: Awaited<ReturnType<DocumentSource['load']>>;
  try {
    loaded = await source.load(id);
  } catch (error) {
    run.failures.push({ sourceId: id, message: `could not parse: ${(error as Error).message}` });
    return null;
  }
  if (!loaded) return null;
  const repeatedBlocks = run.chrome.repeatedBlocks(loaded.group, loaded.parsed);
  try {
    return cleanDocument(loaded.parsed, { defaultLanguage: run.language, repeatedBlocks });
  } catch (error) {
    run.failures.push({ sourceId: id, message: `could not clean: ${(error as Error).message}` });
    return null;
  }
}

interface CommitContext {
  readonly state: Storage;
  readonly language: string;
  readonly full: boolean;
  readonly censuses: Readonly<Record<string, ShardCensus>>;
}

/**
 * Writes every source's state and the chrome index between two marks of `index/meta.json`: a
 * commit killed half-way leaves it at `committing`, which makes the next gather rebuild everything.
 */
async function commitGather(
  context: CommitContext,
  local: LocalFileSource,
  upstream: UpstreamSource,
  chrome: ChromeIndex,
): Promise<void> {
  const { state, language, full, censuses } = context;
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
  const chromeWrites = await chrome.writes();
  // Marked first: a commit killed half-way makes the next gather rebuild, never trust a mix.
  await state.put(INDEX_META_KEY, metaBody('committing'));
  await local.commit();
  await mapConcurrent(chromeWrites, IO_CONCURRENCY, (w) =>
    w.body === null ? state.delete(w.key) : state.put(w.key, w.body),
  );
  await upstream.commit();
  const census = committedCensus(full ? {} : censuses, { ...local.census(), ...chrome.census() });
  await state.put(INDEX_META_KEY, metaBody('committed', census));
}
