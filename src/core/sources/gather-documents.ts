/**
 * The input half of a regeneration, proportional to what changed: content/ files and remote
 * sources → the CleanDocuments whose clean result may differ from the last committed run, streamed
 * in source order, plus the sourceIds that are gone and the run's report.
 *
 * A short loop over the sources (source.ts): local files (local-source.ts: a change hint, else a
 * stat scan against the content index, then a raw hash) and upstream feeds + article URLs
 * (upstream-source.ts: fetched every run, an item changed only when its raw hash did). Upstream is
 * opened first (its fetch failures are reported first); local documents come first in the order.
 * Cleaning gives exactly `cleanCorpus` over the whole corpus: the chrome index (chrome-index.ts,
 * through corpus-chrome.ts) keeps, per source, how many documents hold each short block; the
 * documents holding a key that crossed the 2-document boundary are cleaned again (chrome-flips.ts).
 *
 * Nothing is written before `commit()` (indexes, remote ledger), so an abandoned run leaves state
 * as it was; a commit that dies half-way leaves `index/meta.json` at `committing`, which makes the
 * next gather rebuild everything.
 *
 * Must not: publish, render, or let one failing source or file stop the others.
 * Tunables: READ_BATCH, MAX_HELD_CHARS (local-source.ts); DEFAULT_RETENTION_DAYS (remote-source.ts);
 * CONTENT_SHARDS (content-index.ts); CHROME_SHARDS, MAX_TRACKED_IDS (chrome-index.ts).
 */
import type { Clock } from '../../ports/clock.ts';
import type { HttpFetch } from '../../ports/fetch.ts';
import type { Logger } from '../../ports/logger.ts';
import type { Storage } from '../../ports/storage.ts';
import { CLEANER_VERSION } from '../clean/rules.ts';
import type { CleanDocument } from '../model.ts';
import type { RemoteProgress } from '../remote/collect-remote.ts';
import type { RemoteSource } from '../remote/remote-source.ts';
import { addFlipped } from './chrome-flips.ts';
import { createChromeIndex } from './chrome-index.ts';
import { cleanPending } from './clean-pending.ts';
import { commitGather } from './commit-gather.ts';
import type { ContentFailure } from './content-failure.ts';
import { readIndexMeta } from './content-index.ts';
import { createCorpusChrome } from './corpus-chrome.ts';
import { createLocalSource } from './local-source.ts';
import type { DocumentSource, SourceRun } from './source.ts';
import { createUpstreamSource, type RemoteRunReport } from './upstream-source.ts';

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
  /** Upstream feeds and article URLs (config `sources`). */
  readonly sources?: readonly RemoteSource[];
  /** Days an item that vanished upstream stays published from its last good copy. */
  readonly retentionDays?: number;
  /** Aborted on shutdown: the run stops fetching and fails before publishing anything. */
  readonly signal?: AbortSignal;
  /** Called as remote pages are fetched (the CLI's progress bar). */
  readonly onProgress?: (progress: RemoteProgress) => void;
  /**
   * Content keys that may have changed since the last committed run (added, edited, deleted; a
   * `.meta.json` sidecar stands for its article): a file watcher's or `kiosque build --changed`'s
   * list. Every other content file is trusted unchanged and never listed or read. Omit to compare
   * every file (size and mtime) with the content index.
   */
  readonly changedKeys?: readonly string[];
  /** Ignore every index: re-read, re-clean and yield every document (`kiosque build --full`). */
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
   * hint reads, cleans and yields it again (a duplicate id: normalise/id-claims.ts). Before `commit()`.
   */
  holdBack(failure: ContentFailure): Promise<void>;
  /** Writes the indexes and the remote ledger. Call after the items are recorded, before publishing. */
  commit(): Promise<void>;
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
    census: censuses,
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
