/**
 * One regeneration: load → clean → normalise → render → publish, then the build status.
 * Orchestration only: every rule lives in the stage it belongs to.
 *
 * Guarantees: a file that fails is reported and skipped, the others are published; a run
 * that fails before the manifest swap leaves the last good feeds untouched; ids and
 * first-seen dates are written to the state store before publishing, so a crash can never
 * make a published date move.
 * Must not: read the clock other than through `deps.clock` (once per run), or import a driver.
 */

import type { Clock } from '../../ports/clock.ts';
import type { Compressor } from '../../ports/compressor.ts';
import type { HttpFetch } from '../../ports/fetch.ts';
import type { Logger } from '../../ports/logger.ts';
import type { Storage } from '../../ports/storage.ts';
import { KEPT_NOTHING, KEPT_TOO_LITTLE } from '../clean/rules.ts';
import type { FeedItem, SiteInfo } from '../model.ts';
import { advanceItemRecord, type ItemRecord, parseItemRecord } from '../normalise/item-record.ts';
import { makeSlug, withSuffix } from '../normalise/make-slug.ts';
import { composeItemContent, hashItemContent, toFeedItem } from '../normalise/to-feed-item.ts';
import type { RemoteProgress } from '../remote/collect-remote.ts';
import type { RemoteSource } from '../remote/remote-source.ts';
import { feedFormatOf } from '../syndicate/feed-kinds.ts';
import { assembleFeed } from './assemble-feed.ts';
import { type BuildOptions, planDocuments } from './build-documents.ts';
import { type BuildStatus, type FlaggedItem, readBuildStatus, writeBuildStatus } from './build-status.ts';
import type { ContentFailure } from './collect-content.ts';
import { type Gathered, gatherDocuments, type RemoteRunReport } from './gather-documents.ts';
import { sha256Hex } from './hash.ts';
import { IO_CONCURRENCY, mapConcurrent } from './map-concurrent.ts';
import { publishDocuments } from './publish.ts';
import { type RunSummary, summariseRemote } from './run-summary.ts';

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

export interface RegenerateOptions {
  readonly site: SiteInfo;
  readonly feedSize: number;
  /** Archive page size, `?limit` variants, WebSub hubs (defaults in build-documents.ts). */
  readonly syndication?: BuildOptions;
  /** Upstream feeds and article URLs (config `sources`). */
  readonly sources?: readonly RemoteSource[];
  /** Days an item that vanished upstream stays published from its last good copy. */
  readonly retentionDays?: number;
  /** Aborted on shutdown: the run stops fetching and fails before publishing anything. */
  readonly signal?: AbortSignal;
  /** Called as remote pages are fetched (the CLI's progress bar). */
  readonly onProgress?: (progress: RemoteProgress) => void;
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
  /** Counts, incremental-cleaning hits and timings, as stored for /healthz and /status. */
  readonly summary?: RunSummary;
}

const RECORD_PREFIX = 'items/';

async function recordKey(sourceId: string): Promise<string> {
  return `${RECORD_PREFIX}${(await sha256Hex(sourceId)).slice(0, 32)}.json`;
}

async function readRecord(state: Storage, key: string, logger: Logger): Promise<ItemRecord | null> {
  const object = await state.get(key);
  if (!object) return null;
  const record = parseItemRecord(new TextDecoder().decode(object.body));
  if (!record) logger.warn('corrupt item record ignored', { key });
  return record;
}

export async function regenerate(deps: RegenerateDeps, options: RegenerateOptions): Promise<BuildReport> {
  const { clock, logger, state } = deps;
  const started = clock.now();
  const startedAt = started.toISOString();
  const previousStatus = await readBuildStatus(deps.published).catch(() => null);
  const added: string[] = [];
  const updated: string[] = [];
  let unchanged = 0;
  let failed: ContentFailure[] = [];
  let skipped: readonly ContentFailure[] = [];
  let items: FeedItem[] = [];
  let gathered: Gathered | undefined;
  try {
    gathered = await gatherDocuments(deps, {
      defaultLanguage: options.site.language,
      ...(options.sources ? { sources: options.sources } : {}),
      ...(options.retentionDays !== undefined ? { retentionDays: options.retentionDays } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    skipped = gathered.skipped;
    const cleaned = gathered;
    failed = [...gathered.failures];

    const slugsTaken = new Set<string>();
    let newInThisRun = 0;
    // Quality gate (issue 3): kept nothing → held back (an empty item helps no reader); kept too
    // little → published but flagged. Both are listed in the build status (/healthz).
    const flagged: FlaggedItem[] = [];
    // Ledger records of every item, read concurrently up front (the loop below is order-dependent:
    // slugs are claimed in source order); the changed ones are written concurrently after it.
    const records = await mapConcurrent(cleaned.documents, IO_CONCURRENCY, async (clean) => {
      const key = await recordKey(clean.raw.sourceId);
      return { key, previous: await readRecord(state, key, logger) };
    });
    const recordWrites: { key: string; body: Uint8Array }[] = [];
    for (const [index, clean] of cleaned.documents.entries()) {
      const gate = clean.warnings.find((w) => w.code === KEPT_NOTHING || w.code === KEPT_TOO_LITTLE);
      if (gate) {
        const heldBack = gate.code === KEPT_NOTHING;
        flagged.push({ source: clean.raw.sourceId, code: gate.code, message: gate.message, heldBack });
        if (heldBack) {
          logger.warn('item held back: cleaning kept nothing', { source: clean.raw.sourceId });
          continue;
        }
      }
      const content = composeItemContent(clean, options.site);
      const { key, previous } = records[index] ?? {
        key: await recordKey(clean.raw.sourceId),
        previous: null,
      };
      const slug = previous?.slug ?? withSuffix(makeSlug(clean.raw.sourceId), slugsTaken);
      slugsTaken.add(slug);
      const record = await advanceItemRecord(
        previous,
        {
          sourceId: clean.raw.sourceId,
          identityKey: clean.metadata.id ?? clean.metadata.url ?? clean.raw.sourceId,
          slug,
          contentHash: await hashItemContent(content),
        },
        // Items first seen in one run are spaced one second apart, in source order, so each
        // has its own timestamp (W3C feedvalidator flags identical atom:updated values and
        // readers need a stable order). Recorded once, these dates never move again.
        previous ? started : new Date(started.getTime() - 1000 * newInThisRun++),
      );
      if (record !== previous) {
        recordWrites.push({ key, body: new TextEncoder().encode(`${JSON.stringify(record)}\n`) });
        (previous ? updated : added).push(clean.raw.sourceId);
      } else {
        unchanged++;
      }
      items.push(toFeedItem(content, record, options.site));
    }
    await mapConcurrent(recordWrites, IO_CONCURRENCY, (write) => state.put(write.key, write.body));

    const feed = assembleFeed(items, options.site, startedAt);
    items = [...feed.items];
    // Planned, not rendered: publish renders only documents whose inputs changed.
    const documents = planDocuments(feed, options.feedSize, options.syndication);
    // State before documents: the ledger must never lag what readers see. Last chance to abandon.
    await gathered.commit();
    if (options.signal?.aborted) throw new Error('regeneration abandoned: shutting down');
    const publishStarted = clock.now().getTime();
    const published = await publishDocuments(documents, { ...deps, storage: deps.published });
    const publishMs = clock.now().getTime() - publishStarted;
    if (deps.notifier) {
      const changed = new Set(published.changed);
      const base = options.site.baseUrl.replace(/\/+$/, '');
      const feedUrls = documents
        .filter((d) => changed.has(d.path) && feedFormatOf(d.contentType) !== null)
        .map((d) => `${base}${d.path}`);
      if (feedUrls.length > 0) {
        await deps.notifier
          .documentsChanged(feedUrls)
          .catch((error: unknown) =>
            logger.error('could not notify about changed feeds', { error: (error as Error).message }),
          );
      }
    }
    const warnings = items.reduce((sum, item) => sum + item.warnings.length, 0);
    const durationMs = clock.now().getTime() - started.getTime();
    const summary: RunSummary = {
      added: added.length,
      updated: updated.length,
      unchanged,
      failed: failed.length,
      ...summariseRemote(gathered.remote),
      cleanReused: gathered.clean.reused,
      cleaned: gathered.clean.cleaned,
      timings: { ...gathered.timings, publishMs },
    };
    const status: BuildStatus = {
      lastAttemptAt: startedAt,
      lastSuccessAt: startedAt,
      itemCount: items.length,
      durationMs,
      errors: failed.map((f) => ({ source: f.sourceId, message: f.message })),
      warnings,
      report: summary,
      ...(flagged.length > 0 ? { flagged } : {}),
    };
    await writeBuildStatus(deps.published, status);
    logger.info('build published', {
      items: items.length,
      added: added.length,
      updated: updated.length,
      failed: failed.length,
      changedDocuments: published.changed.length,
      ms: durationMs,
    });
    return {
      ok: true,
      startedAt,
      durationMs,
      itemCount: items.length,
      added,
      updated,
      unchanged,
      failed,
      skipped,
      changedDocuments: published.changed,
      removedDocuments: published.removed,
      warnings,
      ...(gathered.remote ? { remote: gathered.remote } : {}),
      summary,
    };
  } catch (error) {
    const message = (error as Error).message;
    const durationMs = clock.now().getTime() - started.getTime();
    logger.error('build failed; the last good feeds stay published', { error: message });
    await writeBuildStatus(deps.published, {
      lastAttemptAt: startedAt,
      lastSuccessAt: previousStatus?.lastSuccessAt ?? null,
      itemCount: previousStatus?.itemCount ?? 0,
      durationMs,
      errors: [
        { message: `build failed: ${message}` },
        ...failed.map((f) => ({ source: f.sourceId, message: f.message })),
      ],
      warnings: previousStatus?.warnings ?? 0,
      ...(previousStatus?.report ? { report: previousStatus.report } : {}),
    }).catch((statusError: unknown) =>
      logger.error('could not record the failed build', { error: (statusError as Error).message }),
    );
    return {
      ok: false,
      startedAt,
      durationMs,
      itemCount: 0,
      added,
      updated,
      unchanged,
      failed,
      skipped,
      changedDocuments: [],
      removedDocuments: [],
      warnings: 0,
      error: message,
      ...(gathered?.remote ? { remote: gathered.remote } : {}),
    };
  }
}
