/**
 * One regeneration: load → clean → normalise → render → publish, then the build status.
 * Orchestration only: every rule lives in the stage it belongs to.
 *
 * Work is proportional to what changed: gather yields only documents whose clean result may
 * differ; each becomes a FeedItem whose body goes to state (item-bodies.ts) and whose compact
 * entry goes to the item catalog (item-catalog.ts, only the touched shards are read); the site
 * index (site-index.ts) is updated in place by index-changes.ts, which names the scopes, archive
 * pages and permalinks that can have changed; site-view.ts loads just the index ranges those
 * documents list, and publish patches them into the live manifest. Nothing in an incremental run
 * walks every item. A complete run (first run, `full`, no or an outdated site index, a damaged
 * catalog) plans every document and rebuilds the index from the whole catalog. Between the state
 * commit and the manifest swap a pending note (PENDING_KEY) is stored, so the run after one that
 * died there plans everything again. The note is written before the first item record, and names
 * the items the run added and updated: records are committed before publishing, so the next run
 * could not tell otherwise that readers never saw them, and would report them "unchanged".
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
import { sha256Hex, shortDigest } from '../digest/hash.ts';
import type { SiteInfo } from '../model.ts';
import { FIELD_WARNINGS } from '../normalise/check-fields.ts';
import {
  createIdClaims,
  duplicateIdMessage,
  type IdClaim,
  type IdField,
  keepsId,
  readHeldDuplicates,
  saveHeldDuplicates,
} from '../normalise/id-claims.ts';
import { advanceItemRecord, type ItemRecord, parseItemRecord } from '../normalise/item-record.ts';
import { makeSlug, slugCandidates } from '../normalise/make-slug.ts';
import { mintItemId } from '../normalise/mint-item-id.ts';
import { composeItemContent, hashItemContent, toFeedItem } from '../normalise/to-feed-item.ts';
import type { ContentFailure } from '../pipeline/collect-content.ts';
import type { FrozenPage } from '../pipeline/frozen-pages.ts';
import { type Gathered, gatherDocuments, type RemoteRunReport } from '../pipeline/gather-documents.ts';
import { applyIndexChanges, type IndexChanges } from '../pipeline/index-changes.ts';
import { bodyBytes, bodyKey, createBodyLoader, MissingBodyError } from '../pipeline/item-bodies.ts';
import {
  type CatalogEntry,
  catalogEntryOf,
  type ItemCatalog,
  openCatalog,
} from '../pipeline/item-catalog.ts';
import { orderEntries } from '../pipeline/item-order.ts';
import { IO_CONCURRENCY, mapConcurrent } from '../pipeline/map-concurrent.ts';
import { createTopicNamer } from '../pipeline/scope-labels.ts';
import type { ScopeMember } from '../pipeline/scope-list.ts';
import { buildSiteIndex, loadSiteIndex, type SiteIndex } from '../pipeline/site-index.ts';
import { type BuildOptions, DEFAULT_SYNDICATION, planSite, planSiteView } from '../plan/build-documents.ts';
import { EMPTY_SITE_UPDATED, loadSiteView, windowUpdated } from '../plan/site-view.ts';
import { DEFAULT_DOCUMENTS_PER_BUILD, guardDocumentCount } from '../publish/document-limit.ts';
import { publishDocuments } from '../publish/publish.ts';
import { guardRemovals } from '../publish/removal-guard.ts';
import type { RemoteProgress } from '../remote/collect-remote.ts';
import type { RemoteSource } from '../remote/remote-source.ts';
import { feedFormatOf } from '../render/feed-formats.ts';
import { createFeedLinks } from '../render/feed-links.ts';
import type { ItemSource } from '../render/item-source.ts';
import { itemInputs, itemPlace, type PlannedDocument } from '../render/planned-document.ts';
import {
  type BuildStatus,
  type FlaggedItem,
  readBuildStatus,
  type StatusSite,
  withRun,
  writeBuildStatus,
} from '../report/build-status.ts';
import { type RunSummary, summariseRemote } from '../report/run-summary.ts';
import { DamagedStateError } from '../state/damaged-state.ts';
import { checkDerivedInputs, writeStateRecord } from '../state/derived-inputs.ts';
import {
  createLedgerRecovery,
  type LedgerRecovery,
  readPublishedFeeds,
  recordFromEntry,
} from '../state/ledger-recovery.ts';
import { createPendingNotes, foldUnseen, readPending } from '../state/pending-note.ts';
import { settingsDigests } from '../state/settings-digest.ts';

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
  /** Re-read, re-clean, re-render and republish everything (ignores every index and input digest). */
  readonly full?: boolean;
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
  /** Counts, incremental-cleaning hits and timings, as stored for /healthz and /status. */
  readonly summary?: RunSummary;
  /** Set when the run never started: another build held the publish lock (publish/publish-lock.ts). */
  readonly busy?: true;
}

export { PENDING_KEY } from '../state/pending-note.ts';

const RECORD_PREFIX = 'items/';
/** State writes (ledger records, item bodies) in flight before the loop waits for them. */
const WRITE_BATCH = 256;

async function recordKey(sourceId: string): Promise<string> {
  return `${RECORD_PREFIX}${(await sha256Hex(sourceId)).slice(0, 32)}.json`;
}

/** The stored record; null when there is none, 'corrupt' when its bytes are not a record (logged). */
async function readRecord(
  state: Storage,
  key: string,
  logger: Logger,
): Promise<ItemRecord | null | 'corrupt'> {
  const object = await state.get(key);
  if (!object) return null;
  const record = parseItemRecord(new TextDecoder().decode(object.body));
  if (record) return record;
  logger.warn('unreadable item record: taking it from the published feeds', { key });
  return 'corrupt';
}

/** Whether the (fully loaded) catalog holds fewer live items than the stored site index lists. */
async function catalogLostItems(state: Storage, catalog: ItemCatalog): Promise<boolean> {
  const stored = await loadSiteIndex(state).catch(() => null);
  const listed = stored?.scopes.get('')?.list.count;
  return listed !== undefined && orderEntries(catalog.entries()).length < listed;
}

/**
 * Each scope's frozen archive page boundaries for a site index rebuilt from the catalog: the
 * replaced index's; for a scope whose keys object is lost or damaged, or when the whole index is
 * (a lost or unreadable `site-index/`), the boundaries the published archive pages show
 * (ledger-recovery.ts), so a lost cache never re-pages what readers already have. Nothing
 * published: none (the archive is paged by position).
 */
async function frozenBoundaries(
  replaced: SiteIndex | null,
  entries: readonly CatalogEntry[],
  recovery: LedgerRecovery | null,
  deps: Pick<RegenerateDeps, 'published' | 'logger'>,
): Promise<Map<string, FrozenPage[]>> {
  const out = new Map<string, FrozenPage[]>();
  const unreadable = new Set<string>();
  await mapConcurrent([...(replaced?.scopes ?? [])], IO_CONCURRENCY, async ([key, scope]) => {
    try {
      out.set(key, await scope.frozenPages());
    } catch {
      unreadable.add(key);
    }
  });
  if (replaced !== null && unreadable.size === 0) return out;
  if (unreadable.size > 0)
    deps.logger.warn('frozen archive pages unreadable; taking them from the published archive', {
      scopes: unreadable.size,
    });
  let published = recovery;
  if (published === null) {
    const feeds = await readPublishedFeeds(deps.published);
    if (feeds === null) return out;
    published = createLedgerRecovery(async () => feeds, deps.logger);
  }
  for (const [scope, pages] of await published.frozenPages(entries))
    if (replaced === null || unreadable.has(scope)) out.set(scope, pages);
  return out;
}

/** Catalog entries that are published (held-back items have no digest). */
function countPublished(catalog: ItemCatalog): number {
  let count = 0;
  for (const entry of catalog.entries()) if (entry.digest) count++;
  return count;
}

/** Scope members as planning sees them: the digest names the item; bodies load on render. */
function catalogItems(state: Storage): ItemSource<ScopeMember> {
  const load = createBodyLoader(state);
  return { inputsOf: (entry) => entry.digest, placeOf: itemPlace, updatedOf: (entry) => entry.updated, load };
}

/**
 * Bounded batches of state writes, so a first build of 100,000 items never queues them all;
 * `beforeFlush` runs before each batch is written (the pending note).
 */
function writeQueue(
  state: Storage,
  beforeFlush: () => Promise<void>,
): {
  put(key: string, body: Uint8Array): Promise<void>;
  flush(): Promise<void>;
} {
  let queued: { key: string; body: Uint8Array }[] = [];
  const flush = async (): Promise<void> => {
    const batch = queued;
    queued = [];
    if (batch.length > 0) await beforeFlush();
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

/** What /status shows of the site: its title, language (the page's wording) and home. */
function statusSite(site: SiteInfo): StatusSite {
  return { title: site.title, language: site.language, home: createFeedLinks(site).home };
}

export async function regenerate(deps: RegenerateDeps, options: RegenerateOptions): Promise<BuildReport> {
  const { clock, logger, state } = deps;
  const started = clock.now();
  const startedAt = started.toISOString();
  const previousStatus = await readBuildStatus(deps.published).catch(() => null);
  const digests = await settingsDigests({
    site: options.site,
    feedSize: options.feedSize,
    syndication: { ...DEFAULT_SYNDICATION, ...options.syndication },
  });
  const added: string[] = [];
  const updated: string[] = [];
  let unchanged = 0;
  let failed: ContentFailure[] = [];
  let skipped: readonly ContentFailure[] = [];
  let gathered: Gathered | undefined;
  try {
    const catalog: ItemCatalog = openCatalog(state, logger);
    const pending = await readPending(state);
    if (pending !== null)
      logger.warn('the previous run died before publishing; this run plans every document');
    // Settings and the published output are inputs too (docs/derived-state.md).
    const inputs = await checkDerivedInputs(deps, { ...options, baseUrl: options.site.baseUrl }, digests);
    // Planned in full (every document, the site index rebuilt from the whole catalog): the first
    // run, `full`, a missing or outdated index, a previous run that died before its swap, changed
    // settings, or a published output that is not the one the last run left (none at all, too:
    // new, or emptied while the state was kept; an incremental plan would patch only what changed
    // into an empty manifest and publish a site without feeds).
    const stored =
      options.full === true || options.complete === true || pending !== null || inputs.planAll
        ? null
        : await loadSiteIndex(state);
    // A head without the census of its shards (an earlier release): rebuilt, its frozen pages kept.
    const index = stored?.checked === false ? null : stored;
    let planAll = index === null;
    if (planAll) await catalog.ensureAll();
    // Items readers see now: the removal guard's denominator.
    let publishedBefore = planAll ? countPublished(catalog) : (index?.scopes.get('')?.list.count ?? 0);
    // Re-gathered in full as well: nothing to trust, a damaged catalog, or a dead complete run.
    let complete =
      options.full === true ||
      options.complete === true ||
      (planAll && (catalog.size === 0 || catalog.damaged > 0)) ||
      pending === 'unreadable' ||
      pending?.complete === true ||
      inputs.renormalise;
    // A catalog shard lost reads as empty: its items would silently go. The catalog's own census
    // (item-catalog.ts) counts it as damaged above; the count against the index it was built
    // with finds that too, before anything is planned (the run then re-gathers).
    if (planAll && !complete && (await catalogLostItems(state, catalog))) {
      logger.warn('the item catalog lost entries the site index lists; re-reading every file');
      complete = true;
    }
    gathered = await gatherDocuments(deps, {
      defaultLanguage: options.site.language,
      ...(options.sources ? { sources: options.sources } : {}),
      ...(options.retentionDays !== undefined ? { retentionDays: options.retentionDays } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      // Files held back for a duplicate id are read again: the hint may name only their holder.
      ...(options.changedKeys && !complete
        ? { changedKeys: [...options.changedKeys, ...(await readHeldDuplicates(state))] }
        : {}),
      ...(complete ? { full: true } : {}),
    });
    skipped = gathered.skipped;
    // The gather may decide on a complete rebuild itself (cleaner version changed, no index).
    if (gathered.complete && !planAll) {
      planAll = true;
      await catalog.ensureAll();
      publishedBefore = countPublished(catalog);
    }

    // Every source id this run touches → its catalog entry before the run (null: new).
    const before = new Map<string, CatalogEntry | null>();
    const touch = async (sourceId: string): Promise<void> => {
      if (before.has(sourceId)) return;
      await catalog.ensure([sourceId]);
      // A shard lost or not matching its census: its entries cannot be trusted (a complete run).
      if (!planAll && catalog.damaged > 0)
        throw new DamagedStateError('the item catalog has a damaged shard');
      before.set(sourceId, catalog.get(sourceId) ?? null);
    };
    // Slugs already held: the whole catalog's when it is loaded, else the index's slug shards.
    const slugsTaken = new Set<string>();
    if (planAll) for (const entry of catalog.entries()) if (entry.slug) slugsTaken.add(entry.slug);
    let { recovery } = inputs;
    const slugTaken = async (slug: string): Promise<boolean> => {
      if (slugsTaken.has(slug)) return true;
      if (recovery !== null && (await recovery.holdsSlug(slug))) return true;
      if (planAll || index === null) return false; // slugsTaken holds every slug already
      await index.slugs.ensure([slug]);
      return index.slugs.get(slug) !== undefined;
    };
    const freeSlug = async (sourceId: string): Promise<string> => {
      for (const candidate of slugCandidates(makeSlug(sourceId)))
        if (!(await slugTaken(candidate))) return candidate;
      throw new Error('unreachable: slug candidates never end');
    };
    // A dead run's unseen items stay unseen until a build publishes: carried in the pending notes.
    const carried = pending !== null && pending !== 'unreadable' ? pending : null;
    const notes = createPendingNotes(state, started.getTime(), complete || gathered.complete, carried);
    const writes = writeQueue(state, () => notes.beforeBatch(added, updated));
    const staleBodies: CatalogEntry[] = [];
    let newInThisRun = 0;
    // An item the catalog does not know while the site index holds its slug: a lost catalog shard.
    const assertCataloged = async (sourceId: string): Promise<void> => {
      if (planAll || index === null || catalog.get(sourceId) !== undefined) return;
      const record = await readRecord(state, await recordKey(sourceId), logger);
      if (record === null || record === 'corrupt') return;
      await index.slugs.ensure([record.slug]);
      if (index.slugs.get(record.slug) === sourceId)
        throw new DamagedStateError(`the item catalog lost the entry of ${sourceId}`);
    };
    // Gone sources first: an id a deleted file held is free for the files yielded below.
    for (const sourceId of gathered.removed) {
      await touch(sourceId);
      await assertCataloged(sourceId);
      const old = catalog.get(sourceId);
      if (old?.digest) staleBodies.push(old);
      catalog.delete(sourceId);
    }
    const claims = createIdClaims(catalog, index, planAll);
    /** Sources held back this run for a duplicate id (reported once). */
    const duplicates = new Set<string>();
    /** Takes a source out of the published items: it failed with a duplicate id. */
    const holdBackDuplicate = async (loser: string, holder: string, field: IdField, value: string) => {
      duplicates.add(loser);
      await touch(loser);
      const old = catalog.get(loser);
      if (old?.digest) staleBodies.push(old);
      catalog.delete(loser);
      const message = duplicateIdMessage(loser, holder, field, value);
      logger.warn(message, { source: loser });
      await gathered?.holdBack({ sourceId: loser, message });
    };
    for await (const clean of gathered.changed()) {
      const sourceId = clean.raw.sourceId;
      if (duplicates.has(sourceId)) continue;
      await touch(sourceId);
      await assertCataloged(sourceId);
      const old = catalog.get(sourceId);
      // Quality gate (issue 3): kept nothing → held back (an empty item helps no reader); kept too
      // little → published but flagged. Both are listed in the build status (/healthz).
      const gate = clean.warnings.find((w) => w.code === KEPT_NOTHING || w.code === KEPT_TOO_LITTLE);
      // Otherwise its first quality warning (e.g. a machine-translation artefact, marked in the
      // body): published, and listed on /status with the rule and why.
      const noted = gate ?? clean.warnings[0];
      const title = clean.metadata.title ?? clean.inferred.title;
      const flag = noted
        ? {
            code: noted.code,
            message: noted.message,
            heldBack: noted.code === KEPT_NOTHING,
            ...(title ? { title } : {}),
          }
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
      // Values normalise cut or refused (limits, dates, languages: check-fields.ts) name their file.
      for (const w of content.warnings)
        if (FIELD_WARNINGS.has(w.code)) logger.warn(w.message, { code: w.code });
      const key = await recordKey(sourceId);
      const identityKey = clean.metadata.id ?? clean.metadata.url ?? sourceId;
      const contentHash = await hashItemContent(content);
      const stored = await readRecord(state, key, logger);
      let previous = stored === 'corrupt' ? null : stored;
      // No record while a site is published (state lost), or an unreadable one: the published
      // feeds give it back (state/ledger-recovery.ts).
      if (stored === 'corrupt')
        recovery ??= createLedgerRecovery(() => readPublishedFeeds(deps.published), logger);
      // The catalog entry first (no read: the ledger alone was lost), else the published feeds.
      if (previous === null && old) previous = recordFromEntry(old, contentHash);
      if (previous === null && recovery !== null)
        previous = await recovery.recover({ sourceId, identityKey, contentHash });
      if (previous !== null && previous !== stored) {
        if (!recovery)
          logger.warn('item record missing: rebuilt from the item catalog', { source: sourceId });
        await writes.put(key, new TextEncoder().encode(`${JSON.stringify(previous)}\n`));
      }
      // One id, one published source (id-claims.ts): the one the id was issued to first keeps it.
      const id = previous?.id ?? (await mintItemId(identityKey));
      const field: IdField = clean.metadata.id !== undefined ? 'id' : 'url';
      let keeper: IdClaim = { sourceId, record: previous };
      const claimants: IdClaim[] = [keeper];
      for (const other of await claims.holders(id, sourceId)) {
        const stored = await readRecord(state, await recordKey(other), logger);
        const claim = { sourceId: other, record: stored === 'corrupt' ? null : stored };
        claimants.push(claim);
        if (keepsId(claim, keeper)) keeper = claim;
      }
      for (const claim of claimants)
        if (claim !== keeper) await holdBackDuplicate(claim.sourceId, keeper.sourceId, field, identityKey);
      if (keeper.sourceId !== sourceId) continue;
      const slug = previous?.slug ?? (await freeSlug(sourceId));
      slugsTaken.add(slug);
      const record = await advanceItemRecord(
        previous,
        { sourceId, identityKey, slug, contentHash },
        // Items first seen in one run are spaced one second apart, in source order, so each
        // has its own timestamp (W3C feedvalidator flags identical atom:updated values and
        // readers need a stable order). Recorded once, these dates never move again.
        previous ? started : new Date(started.getTime() - 1000 * newInThisRun++),
      );
      if (record !== previous) {
        // Listed before the write is queued: the pending note written before a flush names it.
        (previous ? updated : added).push(sourceId);
        await writes.put(key, new TextEncoder().encode(`${JSON.stringify(record)}\n`));
      }
      const item = toFeedItem(content, record, options.site);
      const digest = await shortDigest(itemInputs(item));
      // A complete run rewrites every body: one may be lost while the catalog still names it.
      if (old?.digest !== digest || complete || gathered.complete) {
        await writes.put(await bodyKey(sourceId, digest), bodyBytes(item));
        if (old?.digest) staleBodies.push(old);
      }
      catalog.set(catalogEntryOf(item, digest, flag));
      claims.claim(item.id, sourceId);
    }
    if (recovery !== null) {
      const { recovered, fresh } = recovery.counts();
      if (recovered + fresh > 0)
        logger.info(
          `recovered ${recovered} item records from the published feeds; ${fresh} files have no published item and start fresh`,
        );
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
        await touch(sourceId);
        const old = catalog.get(sourceId);
        if (old?.digest) staleBodies.push(old);
        catalog.delete(sourceId);
      }
    }
    // Before anything is committed: a run that would empty the site is refused (nothing changes).
    let removedCount = 0;
    for (const [sourceId, old] of before) if (old?.digest && !catalog.get(sourceId)?.digest) removedCount++;
    guardRemovals(removedCount, publishedBefore, options.allowRemovals === true);
    await writes.flush();
    // A shard found damaged while loading lazily: its items are missing, so only a full run
    // can rebuild them (nothing is committed yet: the gather's indexes are written by commit()).
    if (!planAll && catalog.damaged > 0) {
      logger.warn('item catalog damaged; rebuilding everything');
      return await regenerate(deps, { ...options, full: true });
    }

    const syndication = { ...DEFAULT_SYNDICATION, ...options.syndication };
    const namer = createTopicNamer();
    const source = catalogItems(state);
    let siteIndex: SiteIndex;
    let changes: IndexChanges | null = null;
    // Planned, not rendered: publish renders only documents whose inputs changed.
    let documents: PlannedDocument[];
    let itemCount: number;
    const paging = { feedSize: options.feedSize, pageSize: syndication.archivePageSize };
    if (planAll || index === null) {
      const all = [...catalog.entries()];
      const current = orderEntries(all);
      // Frozen archive pages keep their boundaries through a complete run (frozen-pages.ts).
      const replaced = index ?? (await loadSiteIndex(state).catch(() => null));
      const previous = await frozenBoundaries(replaced, all, recovery, deps);
      const built = await buildSiteIndex(state, all, namer, paging, previous);
      siteIndex = built;
      itemCount = current.length;
      documents = planSite<CatalogEntry>(
        {
          site: options.site,
          items: current,
          updated: windowUpdated(current, options.feedSize, EMPTY_SITE_UPDATED),
          source,
          item: (entry) => entry,
          frozen: (basePath) => built.scopes.get(basePath)?.frozenCounts() ?? [],
        },
        options.feedSize,
        options.syndication,
      );
    } else {
      siteIndex = index;
      changes = await applyIndexChanges(index, before, catalog, namer, {
        feedSize: options.feedSize,
        archivePageSize: syndication.archivePageSize,
        feedLimits: syndication.feedLimits,
      });
      itemCount = index.scopes.get('')?.list.count ?? 0;
      const view = await loadSiteView(index, changes, {
        site: options.site,
        feedSize: options.feedSize,
        archivePageSize: syndication.archivePageSize,
        source,
        fallbackUpdated: EMPTY_SITE_UPDATED,
      });
      documents = planSiteView(view, options.feedSize, options.syndication);
    }
    const documentLimit = options.documentsPerBuild ?? DEFAULT_DOCUMENTS_PER_BUILD;
    // A complete plan is the whole publication: refused before any state is committed. A patch is
    // counted by publish against the live manifest, before anything is written.
    if (changes === null) guardDocumentCount(new Set(documents.map((d) => d.path)).size, documentLimit);
    await notes.beforeCommit(added, updated);
    if (carried) foldUnseen(carried, added, updated, (id) => Boolean(catalog.get(id)?.digest));
    unchanged = Math.max(0, itemCount - added.length - updated.length);
    // State before documents: the ledger must never lag what readers see. The pending note makes
    // a run that dies between this commit and the swap replay its changes.
    await catalog.save(state);
    await siteIndex.save();
    await gathered.commit();
    await saveHeldDuplicates(state, duplicates);
    if (options.signal?.aborted) throw new Error('regeneration abandoned: shutting down');
    const publishStarted = clock.now().getTime();
    const published = await publishDocuments(
      documents,
      { ...deps, storage: deps.published },
      changes
        ? {
            patch: { remove: changes.remove, replacePrefixes: changes.replacePrefixes },
            maxDocuments: documentLimit,
          }
        : {
            ...(options.full === true ? { rerender: true } : {}),
            ...(inputs.damaged.size > 0 ? { suspect: inputs.damaged } : {}),
            maxDocuments: documentLimit,
          },
    );
    const publishMs = clock.now().getTime() - publishStarted;
    // After the swap: the record names what the published documents were computed from.
    await writeStateRecord(state, digests, published.root, inputs.checkedAt);
    await notes.clear();
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
    const flagged: FlaggedItem[] = [...siteIndex.flagged]
      .map(([source, flag]) => ({
        source,
        code: flag.code,
        message: flag.message,
        heldBack: flag.heldBack,
        ...(flag.title !== undefined ? { title: flag.title } : {}),
      }))
      .sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : 0));
    const warnings = siteIndex.warnings;
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
      itemCount,
      durationMs,
      errors: failed.map((f) => ({ source: f.sourceId, message: f.message })),
      warnings,
      report: summary,
      ...(flagged.length > 0 ? { flagged } : {}),
      runs: withRun(previousStatus, { startedAt, durationMs, ok: true, items: itemCount }),
      site: statusSite(options.site),
    };
    await writeBuildStatus(deps.published, status);
    logger.info('build published', {
      items: itemCount,
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
      itemCount,
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
    const lostCache = error instanceof MissingBodyError || error instanceof DamagedStateError;
    if (lostCache && options.full !== true && options.complete !== true) {
      // A lost cache, not a failure: rebuild it completely (the ledger keeps ids and dates).
      logger.warn('derived state is missing or damaged; rebuilding it', { error: (error as Error).message });
      return await regenerate(deps, { ...options, complete: true });
    }
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
      ...(previousStatus?.flagged ? { flagged: previousStatus.flagged } : {}),
      runs: withRun(previousStatus, {
        startedAt,
        durationMs,
        ok: false,
        items: previousStatus?.itemCount ?? 0,
      }),
      site: statusSite(options.site),
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
