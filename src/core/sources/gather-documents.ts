/**
 * The input half of a regeneration, proportional to what changed: content/ files and remote
 * sources → the CleanDocuments whose clean result may differ from the last committed run, streamed
 * in source order, plus the sourceIds that are gone and the run's report.
 *
 * A short loop over three sources (source.ts): local files (local-source.ts: a change hint, else a
 * stat scan against the content index, then a raw hash), upstream feeds and article URLs
 * (remote-kind-source.ts over one shared remote-collection.ts: fetched every run, an item changed
 * only when its raw hash did). The remote sources are opened first (their fetch failures are
 * reported first); local documents come first in the order, then remote items in config order.
 * Cleaning gives exactly `cleanCorpus` over the whole corpus: the chrome index (chrome-index.ts,
 * through corpus-chrome.ts) keeps, per source, how many documents hold each short block; the
 * documents holding a key that crossed the 2-document boundary are cleaned again (chrome-flips.ts).
 * Local copies of one story fold into one (local-source.ts settleFolds) before that, in every mode.
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
import { createLocalSource, type FoldedCopy } from './local-source.ts';
import { createRemoteCollection, type RemoteRunReport } from './remote-collection.ts';
import { createArticleSource, createFeedSource } from './remote-kind-source.ts';
import type { DocumentSource, SourceRun } from './source.ts';

export type { FoldedCopy } from './local-source.ts';
export { MAX_HELD_CHARS, READ_BATCH } from './local-source.ts';
export type { RemoteRunReport } from './remote-collection.ts';

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
  /**
   * Local files folded into another copy of the same story (clean/story-fold.ts): not published,
   * no failure. Those settled this run (a full run: every copy in the corpus).
   */
  readonly folded: readonly FoldedCopy[];
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
  const remote = createRemoteCollection(run, {
    state,
    logger,
    clock,
    fetch: deps.fetch,
    sources: options.sources ?? [],
    retentionDays: options.retentionDays,
    onProgress: options.onProgress,
    census: censuses,
  });
  const feeds = createFeedSource(remote);
  const articles = createArticleSource(remote);
  const sources: readonly DocumentSource[] = [local, feeds, articles];
  // Remote sources are fetched (once, for both kinds) before the content is listed: their failures come first.
  for (const source of [feeds, articles]) await source.open();
  if (options.signal?.aborted) throw new Error('regeneration abandoned: shutting down');
  await local.open();
  for (const source of sources) await source.scan();
  // Copies of one story: all but the winner leave the run before chrome flips are looked for.
  await local.settleFolds();
  if (!full) await addFlipped(chromeIndex, sources, logger, () => local.settleFolds());

  const collected = clock.now().getTime();
  const reused = sources.reduce((sum, source) => sum + source.unchanged(), 0);
  const clean = { reused, cleaned: 0 };
  const timings = { collectMs: collected - startedAt, cleanMs: 0 };
  // Content keys first, then remote items in config order, feeds and article URLs interleaved as configured.
  const order = [
    { source: local, ids: local.pendingIds() },
    ...remote.pendingRuns(
      new Map([
        [feeds.kind, feeds],
        [articles.kind, articles],
      ]),
    ),
  ];
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
    remote: remote.report(),
    folded: local.folded(),
    clean,
    timings,
    async holdBack(failure) {
      run.failures.push(failure);
      for (const source of [feeds, articles, local]) if (await source.holdBack(failure.sourceId)) return;
    },
    commit: () =>
      commitGather(
        { state, language, full, censuses },
        local,
        { sources: [feeds, articles], census: () => remote.census() },
        chromeIndex,
      ),
  };
}
