/**
 * Remote sources → RawDocument[] through the HttpFetch port, in three phases:
 * 1. fetch (in parallel, bounded): each feed (conditional GET), its newest `limit` entries'
 *    pages, and each single article; a 304 reuses the stored page, a URL asked twice in one run
 *    is fetched once;
 * 2. merge (sequential, in config order, so the outcome never depends on timing): every page gets
 *    its item key from the ledger (canonical URL, final URL after redirects, `<link rel=canonical>`
 *    → the key under which the story was first seen); a story reached twice in one run is kept once;
 * 3. retain: an item of a configured source that was not produced this run (vanished upstream,
 *    page or source failing) is republished from its last good copy while its last sighting is
 *    within `retentionDays`.
 * One failing source or page never stops the others; the outcome of each is reported.
 * A 429/503 with Retry-After defers its source until then, also in later runs (source-deferrals.ts):
 * a deferred source is not fetched, its items stay published, and it is reported "deferred", not failed.
 *
 * Must not: clean or publish, read the clock except through `deps.clock`, or reach the network
 * other than through `deps.fetch` (the driver enforces timeouts, size, redirects and SSRF rules).
 * Tunables: SOURCE_CONCURRENCY below, PAGE_CONCURRENCY and ENTRY_REVALIDATE_MS in
 * fetch-remote-source.ts; per-host politeness lives in the driver. The phases: fetch-remote-page.ts
 * and fetch-remote-source.ts (1), merge-remote-items.ts (2), retain-remote-items.ts (3); this file
 * runs them in order and saves the deferrals.
 */
import type { Clock } from '../../ports/clock.ts';
import type { HttpFetch } from '../../ports/fetch.ts';
import type { Logger } from '../../ports/logger.ts';
import type { Storage } from '../../ports/storage.ts';
import type { RawDocument } from '../model.ts';
import { checkAborted, createPageFetcher } from './fetch-remote-page.ts';
import { fetchSource, pool, type SourceFetchContext } from './fetch-remote-source.ts';
import type { ItemLedger } from './item-ledger.ts';
import { mergeRemoteItems } from './merge-remote-items.ts';
import type { DuplicateUrl, ItemFailure, RetainedItem, SourceReport } from './remote-outcome.ts';
import type { RemoteSource, RemoteSourceType } from './remote-source.ts';
import { retainRemoteItems } from './retain-remote-items.ts';
import { loadDeferrals, type SourceDeferral, saveDeferrals } from './source-deferrals.ts';

export { UnexpectedContentError } from './fetch-remote-page.ts';
export { ENTRY_REVALIDATE_MS, PAGE_CONCURRENCY } from './fetch-remote-source.ts';
export { pageCanonical } from './merge-remote-items.ts';
export type { DuplicateUrl, RetainedItem, SourceReport } from './remote-outcome.ts';

/** Sources fetched at once; the driver still spaces requests to any one host. */
export const SOURCE_CONCURRENCY = 4;

const DAY_MS = 86_400_000;

export interface CollectRemoteDeps {
  readonly fetch: HttpFetch;
  readonly state: Storage;
  readonly logger: Logger;
  readonly clock: Clock;
}

export interface RemoteProgress {
  readonly done: number;
  readonly total: number;
  readonly label: string;
}

export interface CollectRemoteOptions {
  readonly sources: readonly RemoteSource[];
  readonly ledger: ItemLedger;
  readonly retentionDays: number;
  /** Aborting stops further fetches; the run then fails without publishing. */
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: RemoteProgress) => void;
}

export interface CollectedRemote {
  readonly documents: readonly RawDocument[];
  /** Each document's sourceId → the type of source (feed or article) its copy came from. */
  readonly kinds: ReadonlyMap<string, RemoteSourceType>;
  readonly failures: readonly ItemFailure[];
  readonly sources: readonly SourceReport[];
  readonly retained: readonly RetainedItem[];
  readonly duplicates: readonly DuplicateUrl[];
  /** Items past the retention window, no longer published. */
  readonly expired: readonly string[];
  readonly ledger: ItemLedger;
}

export async function collectRemote(
  deps: CollectRemoteDeps,
  options: CollectRemoteOptions,
): Promise<CollectedRemote> {
  const { logger, state, clock } = deps;
  const now = clock.now();
  const at = now.toISOString();
  const { signal } = options;
  const deferrals: Record<string, SourceDeferral> = { ...(await loadDeferrals(state, now)) };
  let done = 0;
  let total = options.sources.length;
  const context: SourceFetchContext = {
    state,
    logger,
    now: () => clock.now().getTime(),
    runAt: at,
    runMs: now.getTime(),
    signal,
    deferrals,
    fetchPage: createPageFetcher(deps, signal, at),
    tick: (label) => options.onProgress?.({ done: ++done, total, label }),
    addWork: (count) => {
      total += count;
    },
  };

  // Phase 1: fetch.
  const perSource = await pool(options.sources, SOURCE_CONCURRENCY, (source) => fetchSource(context, source));
  checkAborted(signal);

  // Phase 2: merge in config order.
  const merged = await mergeRemoteItems(state, logger, perSource, options.ledger, at);

  // Phase 3: retain what this run did not produce.
  const reports = new Map(perSource.map((s) => [s.label, s.report]));
  const cutoff = now.getTime() - options.retentionDays * DAY_MS;
  const kept = await retainRemoteItems(state, logger, merged, reports, cutoff);
  await saveDeferrals(state, deferrals);
  const { documents, kinds, sources, duplicates, ledger } = merged;
  return {
    documents,
    kinds,
    failures: kept.failures,
    sources,
    retained: kept.retained,
    duplicates,
    expired: kept.expired,
    ledger,
  };
}
