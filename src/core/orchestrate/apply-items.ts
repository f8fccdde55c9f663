/**
 * Applies what the gather yielded to the item catalog and the ledger: gone sources leave the
 * catalog, each changed document is normalised (identity: normalise/assign-identity.ts; content:
 * normalise/to-feed-item.ts), its record and body queued for the state store, its catalog entry
 * set. A complete gather also removes the entries it did not yield. Then the removal guard, and the
 * queued writes are flushed (the pending note before each batch).
 *
 * Work is proportional to what changed: only the catalog shards of touched sources are loaded.
 * Must not: plan or publish documents, or commit the catalog, index or gather state (commit-state.ts).
 */

import { shortDigest } from '../digest/hash.ts';
import type { CleanDocument } from '../model.ts';
import type { IdentityLedger } from '../normalise/assign-identity.ts';
import { assignIdentity, identityOf, qualityFlag } from '../normalise/assign-identity.ts';
import { FIELD_WARNINGS } from '../normalise/check-fields.ts';
import { createIdClaims, duplicateIdMessage, type IdClaims } from '../normalise/id-claims.ts';
import { composeItemContent, hashItemContent, toFeedItem } from '../normalise/to-feed-item.ts';
import { guardRemovals } from '../publish/removal-guard.ts';
import { itemInputs } from '../render/planned-document.ts';
import type { Gathered } from '../sources/gather-documents.ts';
import { DamagedStateError } from '../state/damaged-state.ts';
import { bodyBytes, bodyKey } from '../state/item-bodies.ts';
import { type CatalogEntry, type CatalogFlag, catalogEntryOf } from '../state/item-catalog.ts';
import { createPendingNotes, type PendingNotes } from '../state/pending-note.ts';
import {
  previousRecord,
  readRecord,
  recordBytes,
  recordKey,
  type WriteQueue,
  writeQueue,
} from './item-ledger.ts';
import type { RegenerateDeps, RegenerateOptions, RunProgress, RunStart } from './run-types.ts';

/** What the later steps need of the applied changes. */
export interface AppliedItems {
  /** Every source id this run touched → its catalog entry before the run (null: new). */
  readonly before: Map<string, CatalogEntry | null>;
  /** Catalog entries whose bodies may be unreferenced after the commit. */
  readonly staleBodies: CatalogEntry[];
  /** Sources held back this run for a duplicate id (reported once). */
  readonly duplicates: Set<string>;
  readonly notes: PendingNotes;
  /** A catalog shard found damaged while loading lazily: only a full run can rebuild its items. */
  readonly catalogDamaged: boolean;
}

interface ApplyContext extends AppliedItems {
  readonly deps: RegenerateDeps;
  readonly options: RegenerateOptions;
  readonly run: RunStart;
  readonly gathered: Gathered;
  readonly progress: RunProgress;
  readonly writes: WriteQueue;
  readonly slugsTaken: Set<string>;
  readonly firstSeen: { readonly started: Date; newInThisRun: number };
}

/** Records a source's catalog entry before the run (loading its shard) the first time it is touched. */
async function touch(ctx: ApplyContext, sourceId: string): Promise<void> {
  if (ctx.before.has(sourceId)) return;
  const { catalog } = ctx.run;
  await catalog.ensure([sourceId]);
  // A shard lost or not matching its census: its entries cannot be trusted (a complete run).
  if (!ctx.run.planAll && catalog.damaged > 0)
    throw new DamagedStateError('the item catalog has a damaged shard');
  ctx.before.set(sourceId, catalog.get(sourceId) ?? null);
}

/** An item the catalog does not know while the site index holds its slug: a lost catalog shard. */
async function assertCataloged(ctx: ApplyContext, sourceId: string): Promise<void> {
  const { index, planAll, catalog } = ctx.run;
  if (planAll || index === null || catalog.get(sourceId) !== undefined) return;
  const record = await readRecord(ctx.deps.state, await recordKey(sourceId), ctx.deps.logger);
  if (record === null || record === 'corrupt') return;
  await index.slugs.ensure([record.slug]);
  if (index.slugs.get(record.slug) === sourceId)
    throw new DamagedStateError(`the item catalog lost the entry of ${sourceId}`);
}

/** Takes a source out of the catalog; its body is stale. */
async function dropEntry(ctx: ApplyContext, sourceId: string): Promise<void> {
  const old = ctx.run.catalog.get(sourceId);
  if (old?.digest) ctx.staleBodies.push(old);
  ctx.run.catalog.delete(sourceId);
}

/** Identity assignment's ledger, plus `claim`: records that a source is now published under an id. */
type RunLedger = IdentityLedger & Pick<IdClaims, 'claim'>;

/**
 * The ledger identity assignment reads through: records, id claims (created after the gone
 * sources left the catalog), slugs, holding back.
 */
function identityLedger(ctx: ApplyContext): RunLedger {
  const { state, logger } = ctx.deps;
  const { index } = ctx.run;
  const claims = createIdClaims(ctx.run.catalog, index, ctx.run.planAll);
  return {
    holders: (id, sourceId) => claims.holders(id, sourceId),
    claim: (id, sourceId) => claims.claim(id, sourceId),
    recordOf: async (sourceId) => {
      const stored = await readRecord(state, await recordKey(sourceId), logger);
      return stored === 'corrupt' ? null : stored;
    },
    // Takes a source out of the published items: it failed with a duplicate id.
    holdBack: async (loser, holder, field, value) => {
      ctx.duplicates.add(loser);
      await touch(ctx, loser);
      await dropEntry(ctx, loser);
      const message = duplicateIdMessage(loser, holder, field, value);
      logger.warn(message, { source: loser });
      await ctx.gathered.holdBack({ sourceId: loser, message });
    },
    // Slugs already held: the whole catalog's when it is loaded, else the index's slug shards.
    slugTaken: async (slug) => {
      if (ctx.slugsTaken.has(slug)) return true;
      if (ctx.run.recovery !== null && (await ctx.run.recovery.holdsSlug(slug))) return true;
      if (ctx.run.planAll || index === null) return false; // slugsTaken holds every slug already
      await index.slugs.ensure([slug]);
      return index.slugs.get(slug) !== undefined;
    },
  };
}

/** Cleaning kept nothing: the item is held back (no body, no date), listed with its flag. */
function holdBackEmpty(
  ctx: ApplyContext,
  clean: CleanDocument,
  old: CatalogEntry | undefined,
  flag: CatalogFlag,
) {
  const sourceId = clean.raw.sourceId;
  ctx.deps.logger.warn('item held back: cleaning kept nothing', { source: sourceId });
  if (old?.digest) ctx.staleBodies.push(old);
  ctx.run.catalog.set({
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
}

/** One changed document → its record, body and catalog entry (or held back). */
async function applyItem(ctx: ApplyContext, clean: CleanDocument, ledger: RunLedger): Promise<void> {
  const { logger } = ctx.deps;
  const { catalog } = ctx.run;
  const sourceId = clean.raw.sourceId;
  if (ctx.duplicates.has(sourceId)) return;
  await touch(ctx, sourceId);
  await assertCataloged(ctx, sourceId);
  const old = catalog.get(sourceId);
  const flag = qualityFlag(clean);
  if (flag?.heldBack) return holdBackEmpty(ctx, clean, old, flag);
  const content = composeItemContent(clean, ctx.options.site);
  // Values normalise cut or refused (limits, dates, languages: check-fields.ts) name their file.
  for (const w of content.warnings) if (FIELD_WARNINGS.has(w.code)) logger.warn(w.message, { code: w.code });
  const { key: identityKey, field } = identityOf(clean);
  const contentHash = await hashItemContent(content);
  const previous = await previousRecord(ctx.deps, ctx.run, ctx.writes, {
    sourceId,
    identityKey,
    contentHash,
    old,
  });
  const record = await assignIdentity(
    { sourceId, identityKey, field, contentHash, previous },
    ledger,
    ctx.firstSeen,
  );
  if (record === null) return;
  ctx.slugsTaken.add(record.slug);
  if (record !== previous) {
    // Listed before the write is queued: the pending note written before a flush names it.
    (previous ? ctx.progress.updated : ctx.progress.added).push(sourceId);
    await ctx.writes.put(await recordKey(sourceId), recordBytes(record));
  }
  const item = toFeedItem(content, record, ctx.options.site);
  const digest = await shortDigest(itemInputs(item));
  // A complete run rewrites every body: one may be lost while the catalog still names it.
  if (old?.digest !== digest || ctx.run.complete || ctx.gathered.complete) {
    await ctx.writes.put(await bodyKey(sourceId, digest), bodyBytes(item));
    if (old?.digest) ctx.staleBodies.push(old);
  }
  catalog.set(catalogEntryOf(item, digest, flag));
  ledger.claim(item.id, sourceId);
}

/** A complete gather yielded every document that still exists: the entries it did not are gone. */
async function dropUnyielded(ctx: ApplyContext): Promise<void> {
  // Catalog entries it did not yield, and that did not fail (a failure keeps the last good item).
  const failedIds = new Set(ctx.progress.failed.map((f) => f.sourceId));
  const gone = [...ctx.run.catalog.entries()]
    .map((entry) => entry.sourceId)
    .filter((sourceId) => !ctx.before.has(sourceId) && !failedIds.has(sourceId));
  for (const sourceId of gone) {
    await touch(ctx, sourceId);
    await dropEntry(ctx, sourceId);
  }
}

function createContext(
  deps: RegenerateDeps,
  options: RegenerateOptions,
  run: RunStart,
  gathered: Gathered,
  progress: RunProgress,
  started: Date,
): ApplyContext {
  const { state } = deps;
  const slugsTaken = new Set<string>();
  if (run.planAll) for (const entry of run.catalog.entries()) if (entry.slug) slugsTaken.add(entry.slug);
  // A dead run's unseen items stay unseen until a build publishes: carried in the pending notes.
  const carried = run.pending !== null && run.pending !== 'unreadable' ? run.pending : null;
  const notes = createPendingNotes(state, started.getTime(), run.complete || gathered.complete, carried);
  return {
    deps,
    options,
    run,
    gathered,
    progress,
    before: new Map(),
    staleBodies: [],
    duplicates: new Set(),
    notes,
    catalogDamaged: false,
    writes: writeQueue(state, () => notes.beforeBatch(progress.added, progress.updated)),
    slugsTaken,
    firstSeen: { started, newInThisRun: 0 },
  };
}

/** Applies the gathered changes to the catalog and the ledger (see the header). */
export async function applyItems(
  deps: RegenerateDeps,
  options: RegenerateOptions,
  run: RunStart,
  progress: RunProgress,
  started: Date,
): Promise<AppliedItems> {
  const gathered = progress.gathered;
  if (gathered === undefined) throw new Error('applyItems: nothing was gathered');
  const ctx = createContext(deps, options, run, gathered, progress, started);
  // Gone sources first: an id a deleted file held is free for the files yielded below.
  for (const sourceId of gathered.removed) {
    await touch(ctx, sourceId);
    await assertCataloged(ctx, sourceId);
    await dropEntry(ctx, sourceId);
  }
  const ledger = identityLedger(ctx);
  for await (const clean of gathered.changed()) await applyItem(ctx, clean, ledger);
  if (run.recovery !== null) {
    const { recovered, fresh } = run.recovery.counts();
    if (recovered + fresh > 0)
      deps.logger.info(
        `recovered ${recovered} item records from the published feeds; ${fresh} files have no published item and start fresh`,
      );
  }
  // Failures found while cleaning are added as the iteration runs: read them after it.
  progress.failed = [...gathered.failures];
  if (gathered.complete) await dropUnyielded(ctx);
  // Before anything is committed: a run that would empty the site is refused (nothing changes).
  // A file folded into another copy of its story is no removal: the story stays published.
  const folded = new Set(gathered.folded.map((copy) => copy.file));
  let removedCount = 0;
  for (const [sourceId, old] of ctx.before)
    if (old?.digest && !run.catalog.get(sourceId)?.digest && !folded.has(sourceId)) removedCount++;
  guardRemovals(removedCount, run.publishedBefore, options.allowRemovals === true);
  await ctx.writes.flush();
  const { before, staleBodies, duplicates, notes } = ctx;
  return { before, staleBodies, duplicates, notes, catalogDamaged: !run.planAll && run.catalog.damaged > 0 };
}
