/**
 * One regeneration: load → clean → normalise → render → publish, then the build status.
 * Orchestration only: every rule lives in the stage it belongs to.
 *
 * Work is proportional to what changed: gather yields only documents whose clean result may
 * differ; each becomes a FeedItem whose body goes to state (item-bodies.ts) and whose compact
 * entry goes to the item catalog (item-catalog.ts); select-changes.ts names the scopes, archive
 * pages and permalinks that can have changed, and publish patches just those into the live
 * manifest. A complete run (first run, `full`, or a damaged catalog) plans and publishes every
 * document. Between the state commit and the manifest swap a pending note (PENDING_KEY) names the
 * touched items, so a run that dies there is finished by the next one.
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
import type { SiteInfo } from '../model.ts';
import { advanceItemRecord, type ItemRecord, parseItemRecord } from '../normalise/item-record.ts';
import { makeSlug, withSuffix } from '../normalise/make-slug.ts';
import { composeItemContent, hashItemContent, toFeedItem } from '../normalise/to-feed-item.ts';
import type { RemoteProgress } from '../remote/collect-remote.ts';
import type { RemoteSource } from '../remote/remote-source.ts';
import type { ItemSource } from '../render/item-source.ts';
import { itemInputs } from '../render/planned-document.ts';
import { feedFormatOf } from '../syndicate/feed-kinds.ts';
import { type BuildOptions, DEFAULT_SYNDICATION, planSite } from './build-documents.ts';
import { type BuildStatus, type FlaggedItem, readBuildStatus, writeBuildStatus } from './build-status.ts';
import type { ContentFailure } from './collect-content.ts';
import { type Gathered, gatherDocuments, type RemoteRunReport } from './gather-documents.ts';
import { sha256Hex, shortDigest } from './hash.ts';
import { bodyBytes, bodyKey, createBodyLoader } from './item-bodies.ts';
import { type CatalogEntry, fromRow, type ItemCatalog, loadCatalog, toRow } from './item-catalog.ts';
import { IO_CONCURRENCY, mapConcurrent } from './map-concurrent.ts';
import { publishDocuments } from './publish.ts';
import { type RunSummary, summariseRemote } from './run-summary.ts';
import { dedupeIds, selectChanges, sortEntries } from './select-changes.ts';

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
  /**
   * Content keys that may have changed since the last run (a file watcher's or
   * `kiosque build --changed`'s list): the other content files are trusted unchanged and never
   * listed or read. Without it every file is compared (size and mtime) with the content index.
   */
  readonly changedKeys?: readonly string[];
  /** Re-read, re-clean and republish everything (ignores every index). */
  readonly full?: boolean;
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
/**
 * Written after the catalog commit and removed after the manifest swap: the touched items and
 * their entries before the run. Present at the start of a run → the previous run died between
 * the two, and its changes are planned again.
 */
export const PENDING_KEY = 'regenerate-pending.json';
/** State writes (ledger records, item bodies) in flight before the loop waits for them. */
const WRITE_BATCH = 256;

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

interface Pending {
  /** The dead run published everything: this one must too. */
  readonly complete: boolean;
  readonly before: ReadonlyMap<string, CatalogEntry | null>;
}

/** The pending note of a run that died before its swap; 'unreadable' forces a complete run. */
async function readPending(state: Storage): Promise<Pending | null | 'unreadable'> {
  const stored = await state.get(PENDING_KEY);
  if (!stored) return null;
  try {
    const value = JSON.parse(new TextDecoder().decode(stored.body)) as {
      complete?: unknown;
      before?: unknown;
    };
    if (typeof value.complete !== 'boolean' || !Array.isArray(value.before)) return 'unreadable';
    const before = new Map<string, CatalogEntry | null>();
    for (const pair of value.before as unknown[]) {
      if (!Array.isArray(pair) || typeof pair[0] !== 'string') return 'unreadable';
      const entry = pair[1] === null ? null : fromRow(pair[1]);
      if (pair[1] !== null && entry === null) return 'unreadable';
      before.set(pair[0], entry);
    }
    return { complete: value.complete, before };
  } catch {
    return 'unreadable';
  }
}

function pendingBytes(complete: boolean, before: ReadonlyMap<string, CatalogEntry | null>): Uint8Array {
  // A complete run's note needs no entries: the next run is complete anyway.
  const pairs = complete ? [] : [...before].map(([id, entry]) => [id, entry ? toRow(entry) : null]);
  return new TextEncoder().encode(JSON.stringify({ complete, before: pairs }));
}

/** Catalog entries as planning sees them: the digest names the item; bodies load on render. */
function catalogItems(state: Storage): ItemSource<CatalogEntry> {
  const load = createBodyLoader(state);
  return { inputsOf: (entry) => entry.digest, updatedOf: (entry) => entry.updated, load };
}

/** Bounded batches of state writes, so a first build of 100,000 items never queues them all. */
function writeQueue(state: Storage): {
  put(key: string, body: Uint8Array): Promise<void>;
  flush(): Promise<void>;
} {
  let queued: { key: string; body: Uint8Array }[] = [];
  const flush = async (): Promise<void> => {
    const batch = queued;
    queued = [];
    await mapConcurrent(batch, IO_CONCURRENCY, (write) => state.put(write.key, write.body));
  };
  return {
    async put(key, body) {
      queued.push({ key, body });
      if (queued.length >= WRITE_BATCH) await flush();
    },
    flush,
  };
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
  let gathered: Gathered | undefined;
  try {
    const catalog: ItemCatalog = await loadCatalog(state, logger);
    const pending = await readPending(state);
    if (pending !== null)
      logger.warn('the previous run died before publishing; its changes are planned again');
    // Complete: everything is re-gathered, planned and published as the whole route set.
    const complete =
      options.full === true ||
      catalog.size === 0 ||
      catalog.damaged > 0 ||
      pending === 'unreadable' ||
      pending?.complete === true;
    gathered = await gatherDocuments(deps, {
      defaultLanguage: options.site.language,
      ...(options.sources ? { sources: options.sources } : {}),
      ...(options.retentionDays !== undefined ? { retentionDays: options.retentionDays } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...(options.changedKeys && !complete ? { changedKeys: options.changedKeys } : {}),
      ...(complete ? { full: true } : {}),
    });
    skipped = gathered.skipped;

    // Every source id this run touches → its catalog entry before the run (null: new).
    const before = new Map<string, CatalogEntry | null>(
      pending !== null && pending !== 'unreadable' ? pending.before : [],
    );
    const touch = (sourceId: string): void => {
      if (!before.has(sourceId)) before.set(sourceId, catalog.get(sourceId) ?? null);
    };
    const slugsTaken = new Set<string>();
    for (const entry of catalog.entries()) if (entry.slug) slugsTaken.add(entry.slug);
    const writes = writeQueue(state);
    const staleBodies: CatalogEntry[] = [];
    let newInThisRun = 0;
    for await (const clean of gathered.changed()) {
      const sourceId = clean.raw.sourceId;
      touch(sourceId);
      const old = catalog.get(sourceId);
      // Quality gate (issue 3): kept nothing → held back (an empty item helps no reader); kept too
      // little → published but flagged. Both are listed in the build status (/healthz).
      const gate = clean.warnings.find((w) => w.code === KEPT_NOTHING || w.code === KEPT_TOO_LITTLE);
      const flag = gate
        ? { code: gate.code, message: gate.message, heldBack: gate.code === KEPT_NOTHING }
        : null;
      if (flag?.heldBack) {
        logger.warn('item held back: cleaning kept nothing', { source: sourceId });
        if (old?.digest) staleBodies.push(old);
        catalog.set({
          sourceId,
          id: old?.id ?? '',
          slug: old?.slug ?? '',
          published: '',
          updated: '',
          digest: '',
          tags: [],
          warnings: clean.warnings.length,
          flag,
        });
        continue;
      }
      const content = composeItemContent(clean, options.site);
      const key = await recordKey(sourceId);
      const previous = await readRecord(state, key, logger);
      const slug = previous?.slug ?? withSuffix(makeSlug(sourceId), slugsTaken);
      slugsTaken.add(slug);
      const record = await advanceItemRecord(
        previous,
        {
          sourceId,
          identityKey: clean.metadata.id ?? clean.metadata.url ?? sourceId,
          slug,
          contentHash: await hashItemContent(content),
        },
        // Items first seen in one run are spaced one second apart, in source order, so each
        // has its own timestamp (W3C feedvalidator flags identical atom:updated values and
        // readers need a stable order). Recorded once, these dates never move again.
        previous ? started : new Date(started.getTime() - 1000 * newInThisRun++),
      );
      if (record !== previous) {
        await writes.put(key, new TextEncoder().encode(`${JSON.stringify(record)}\n`));
        (previous ? updated : added).push(sourceId);
      }
      const item = toFeedItem(content, record, options.site);
      const digest = await shortDigest(itemInputs(item));
      if (old?.digest !== digest) {
        await writes.put(await bodyKey(sourceId, digest), bodyBytes(item));
        if (old?.digest) staleBodies.push(old);
      }
      catalog.set({
        sourceId,
        id: item.id,
        slug: item.slug,
        published: item.published,
        updated: item.updated,
        digest,
        tags: item.tags,
        ...(item.publisher !== undefined ? { publisher: item.publisher } : {}),
        warnings: item.warnings.length,
        ...(flag ? { flag } : {}),
      });
    }
    // Failures found while cleaning are added as the iteration runs: read them after it.
    failed = [...gathered.failures];
    if (gathered.complete) {
      // A complete gather yielded every document that still exists: catalog entries it did not
      // yield, and that did not fail (a failure keeps the last good item), are gone.
      const failedIds = new Set(failed.map((f) => f.sourceId));
      const gone = [...catalog.entries()]
        .map((entry) => entry.sourceId)
        .filter((sourceId) => !before.has(sourceId) && !failedIds.has(sourceId));
      for (const sourceId of gone) {
        touch(sourceId);
        const old = catalog.get(sourceId);
        if (old?.digest) staleBodies.push(old);
        catalog.delete(sourceId);
      }
    }
    for (const sourceId of gathered.removed) {
      touch(sourceId);
      const old = catalog.get(sourceId);
      if (old?.digest) staleBodies.push(old);
      catalog.delete(sourceId);
    }
    await writes.flush();

    const sorted = sortEntries(catalog.entries());
    const current = dedupeIds(sorted);
    unchanged = Math.max(0, current.length - added.length - updated.length);
    const newestUpdated = current.reduce<string | null>(
      (max, entry) => (max === null || entry.updated > max ? entry.updated : max),
      null,
    );
    const syndication = { ...DEFAULT_SYNDICATION, ...options.syndication };
    // The gather may decide on a complete rebuild itself (cleaner version changed, no index).
    const publishAll = complete || gathered.complete;
    const changes = publishAll
      ? null
      : selectChanges(sorted, before, (sourceId) => catalog.get(sourceId), {
          feedSize: options.feedSize,
          archivePageSize: syndication.archivePageSize,
          feedLimits: syndication.feedLimits,
        });
    // Planned, not rendered: publish renders only documents whose inputs changed.
    const documents = planSite(
      {
        site: options.site,
        items: current,
        updated: newestUpdated ?? startedAt,
        source: catalogItems(state),
        item: (entry) => entry,
      },
      options.feedSize,
      options.syndication,
      changes?.selection,
    );
    // State before documents: the ledger must never lag what readers see. The pending note makes
    // a run that dies between this commit and the swap replay its changes.
    await state.put(PENDING_KEY, pendingBytes(publishAll, before));
    await catalog.save(state);
    await gathered.commit();
    if (options.signal?.aborted) throw new Error('regeneration abandoned: shutting down');
    const publishStarted = clock.now().getTime();
    const published = await publishDocuments(
      documents,
      { ...deps, storage: deps.published },
      changes ? { patch: { remove: changes.remove, replacePrefixes: changes.replacePrefixes } } : {},
    );
    const publishMs = clock.now().getTime() - publishStarted;
    await state.delete(PENDING_KEY);
    // Bodies no catalog entry names any more (a failure only leaves garbage).
    const live = new Set([...before.keys()].map((id) => `${id}\n${catalog.get(id)?.digest ?? ''}`));
    await mapConcurrent(
      staleBodies.filter((entry) => !live.has(`${entry.sourceId}\n${entry.digest}`)),
      IO_CONCURRENCY,
      async (entry) =>
        state
          .delete(await bodyKey(entry.sourceId, entry.digest))
          .catch((error: unknown) =>
            logger.warn('could not delete an old item body', { error: (error as Error).message }),
          ),
    );
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
    const flagged: FlaggedItem[] = [];
    let warnings = 0;
    for (const entry of catalog.entries()) {
      if (entry.flag) {
        flagged.push({
          source: entry.sourceId,
          code: entry.flag.code,
          message: entry.flag.message,
          heldBack: entry.flag.heldBack,
        });
      }
      if (!entry.flag?.heldBack) warnings += entry.warnings;
    }
    flagged.sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : 0));
    const items = current;
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
