/**
 * The types one regeneration passes between its steps: what `regenerate` is given (deps,
 * options), what it returns (BuildReport), and the run's own state as the steps fill it
 * (RunStart: what was read before gathering; RunProgress: what the report needs even when the
 * run fails half-way).
 *
 * Must not: hold logic. Kept apart from regenerate.ts so the step modules can name these types
 * without importing the orchestrator (no import cycle).
 */

import type { Clock } from '../../ports/clock.ts';
import type { Compressor } from '../../ports/compressor.ts';
import type { HttpFetch } from '../../ports/fetch.ts';
import type { Logger } from '../../ports/logger.ts';
import type { Storage } from '../../ports/storage.ts';
import type { SiteInfo } from '../model.ts';
import type { BuildOptions } from '../plan/build-documents.ts';
import type { RunSummary } from '../report/run-summary.ts';
import type { ContentFailure } from '../sources/collect-content.ts';
import type { FoldedCopy, Gathered, GatherOptions, RemoteRunReport } from '../sources/gather-documents.ts';
import type { DerivedInputs } from '../state/derived-inputs.ts';
import type { ItemCatalog } from '../state/item-catalog.ts';
import type { LedgerRecovery } from '../state/ledger-recovery.ts';
import type { Pending } from '../state/pending-note.ts';
import type { SiteIndex } from '../state/site-index.ts';

export interface RegenerateDeps {
  /** Source articles (content/). */
  readonly content: Storage;
  /** Published documents and their manifest (feeds/). */
  readonly published: Storage;
  /** Ledger of ids, dates and hashes. */
  readonly state: Storage;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly compressor: Compressor;
  /**
   * Told the absolute URLs of the feeds whose bytes this run changed (WebSub publish pings).
   * Awaited but never fatal: a failure is logged and the build still counts as published.
   */
  readonly notifier?: DocumentsNotifier;
  /** Reaches remote sources (undici on Node, global fetch on the edge); without it they are skipped. */
  readonly fetch?: HttpFetch;
}

export interface DocumentsNotifier {
  documentsChanged(urls: readonly string[]): Promise<void>;
}

/**
 * What one regeneration is asked to do. The input side's options (remote sources, retention,
 * abort signal, progress, change hint, `full`) are the gather's own (sources/gather-documents.ts),
 * passed through unchanged.
 */
export interface RegenerateOptions
  extends Pick<
    GatherOptions,
    'sources' | 'retentionDays' | 'signal' | 'onProgress' | 'changedKeys' | 'full'
  > {
  readonly site: SiteInfo;
  readonly feedSize: number;
  /** Archive page size, `?limit` variants, WebSub hubs (defaults in build-documents.ts). */
  readonly syndication?: BuildOptions;
  /**
   * Re-read and re-normalise every file and rewrite every item body (what a lost cache needs), but
   * publish only documents whose inputs changed, unlike `full`. Set by the run itself after a
   * missing item body.
   */
  readonly complete?: boolean;
  /** Let the run unpublish every item or more than half of them (publish/removal-guard.ts). */
  readonly allowRemovals?: boolean;
  /**
   * How often a run without a change hint checks that every published file is present with its
   * size (default PUBLISHED_CHECK_EVERY_MS, an hour; 0: every such run). Runs that plan every
   * document always check; a wiped output folder is found by every run (state/derived-inputs.ts).
   */
  readonly publishedCheckEveryMs?: number;
  /**
   * Most documents the publication may hold (config `limits.documentsPerBuild`; default
   * DEFAULT_DOCUMENTS_PER_BUILD): over it the run is refused and the last publication stays.
   */
  readonly documentsPerBuild?: number;
}

export interface BuildReport {
  readonly ok: boolean;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly itemCount: number;
  readonly added: readonly string[];
  readonly updated: readonly string[];
  readonly unchanged: number;
  readonly failed: readonly ContentFailure[];
  readonly skipped: readonly ContentFailure[];
  readonly changedDocuments: readonly string[];
  readonly removedDocuments: readonly string[];
  readonly warnings: number;
  readonly error?: string;
  /** What remote collection did (absent when no source is configured). */
  readonly remote?: RemoteRunReport;
  /**
   * Local files folded into another copy of the same story this run (clean/story-fold.ts): not
   * published, not a failure. Absent when none.
   */
  readonly folded?: readonly FoldedCopy[];
  /** Counts, incremental-cleaning hits and timings, as stored for /healthz and /status. */
  readonly summary?: RunSummary;
  /** Set when the run never started: another build held the publish lock (publish/publish-lock.ts). */
  readonly busy?: true;
}

/** What the steps before the gather found: the state the run starts from and how much it redoes. */
export interface RunStart {
  readonly catalog: ItemCatalog;
  readonly pending: Pending | null | 'unreadable';
  readonly inputs: DerivedInputs;
  /** The stored site index an incremental run patches; null: the run plans every document. */
  readonly index: SiteIndex | null;
  /** Every document is planned and the site index rebuilt from the whole catalog. */
  planAll: boolean;
  /** Items readers see now: the removal guard's denominator. */
  publishedBefore: number;
  /** Every document is re-gathered (nothing to trust, a damaged catalog, a dead complete run). */
  readonly complete: boolean;
  /** Records from the published feeds, set when state was lost or a record is unreadable. */
  recovery: LedgerRecovery | null;
}

/** What the report needs, filled as the run goes (a failed run reports what it had). */
export interface RunProgress {
  readonly added: string[];
  readonly updated: string[];
  unchanged: number;
  failed: ContentFailure[];
  skipped: readonly ContentFailure[];
  gathered: Gathered | undefined;
}
