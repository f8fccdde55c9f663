/**
 * The input half of a regeneration: content/ files and remote sources → CleanDocument[], with the
 * run's report of what came from where. Local files are read with `collectContent`; remote sources
 * with `collectRemote` (only when a Fetch port and sources are given); every document is cleaned
 * incrementally (`cleanCorpusCached`); remote duplicates are folded by content fingerprint.
 * `commit()` saves the remote item ledger; the pipeline calls it before publishing, so the state
 * never lags what readers see.
 *
 * Must not: publish, render, or let one failing source or file stop the others.
 * Tunables: DEFAULT_RETENTION_DAYS (remote-source.ts).
 */
import type { Clock } from '../../ports/clock.ts';
import type { HttpFetch } from '../../ports/fetch.ts';
import type { Logger } from '../../ports/logger.ts';
import type { Storage } from '../../ports/storage.ts';
import type { CleanDocument, ParsedDocument } from '../model.ts';
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
import { cleanCorpusCached } from './clean-cache.ts';
import { type ContentFailure, collectContent } from './collect-content.ts';

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
}

/** What remote collection did in one run (part of the build report). */
export interface RemoteRunReport {
  readonly sources: readonly SourceReport[];
  readonly retained: readonly RetainedItem[];
  readonly duplicates: readonly DuplicateUrl[];
  readonly expired: readonly string[];
}

export interface Gathered {
  readonly documents: readonly CleanDocument[];
  readonly failures: readonly ContentFailure[];
  readonly skipped: readonly ContentFailure[];
  readonly remote: RemoteRunReport | null;
  readonly clean: { readonly reused: number; readonly cleaned: number };
  readonly timings: { readonly collectMs: number; readonly cleanMs: number };
  commit(): Promise<void>;
}

export async function gatherDocuments(deps: GatherDeps, options: GatherOptions): Promise<Gathered> {
  const { clock, logger, state } = deps;
  const t0 = clock.now().getTime();
  const local = await collectContent(deps.content, logger);
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
  const t1 = clock.now().getTime();
  const raws = [...local.documents, ...(remote?.documents ?? [])];
  let ledger = remote?.ledger ?? EMPTY_LEDGER;
  let duplicates = remote?.duplicates ?? [];
  const cleaned = await cleanCorpusCached(raws, options.defaultLanguage, state, {
    ...(remote
      ? {
          beforeClean: async (parsed: readonly ParsedDocument[]) => {
            const deduped = await dedupeByFingerprint(parsed, ledger);
            ledger = deduped.ledger;
            duplicates = [...duplicates, ...deduped.merged];
            return deduped.aligned;
          },
        }
      : {}),
  });
  const documents = cleaned.documents;
  const t2 = clock.now().getTime();
  return {
    documents,
    failures: [...local.failures, ...(remote?.failures ?? []), ...cleaned.failures],
    skipped: local.skipped,
    remote: remote
      ? { sources: remote.sources, retained: remote.retained, duplicates, expired: remote.expired }
      : null,
    clean: { reused: cleaned.reused, cleaned: cleaned.cleaned },
    timings: { collectMs: t1 - t0, cleanMs: t2 - t1 },
    async commit() {
      if (remote) await saveLedger(state, ledger);
    },
  };
}
