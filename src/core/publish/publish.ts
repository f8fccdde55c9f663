/**
 * Publishing: rendered or planned documents → bytes, precompressed variants and a new sharded
 * manifest (manifest.ts) in Storage, with work proportional to what changed. This module runs
 * the steps below in order and owns the commit point; each step lives in its own module.
 *
 * Two modes. Without `options.patch`, `documents` is the complete set of served routes (routes
 * published before and absent now are unpublished). With `patch`, `documents` are upserts,
 * `patch.remove` routes are unpublished, and for each `patch.replacePrefixes` entry P every
 * published route under P (segment-wise: `/tags/a` covers `/tags/a/…`, never `/tags/ab`) that
 * is not in `documents` is unpublished. Other routes carry over untouched: their shards are not
 * read, their bytes not read, hashed or rewritten.
 *
 * Order (STYLE rule 4, "documents first, then the manifest that points at them"):
 *   0. the routes and their storage keys are validated before anything is read (claim-routes.ts);
 *   1. read the root and the shards this run touches (the shards of the documents, removals and
 *      prefixes; every shard in full mode, after a dead run, or to upgrade a version 1 manifest)
 *      (read-previous.ts), and plan the touched shards and removed routes (publish-plan.ts);
 *   2. each document, PIPELINE_CONCURRENCY at a time (write-document.ts): a planned document
 *      whose input digest equals its live entry's `inputs` keeps its entry unrendered; else
 *      render → hash → if the ETag is unchanged keep the entry, else compress → write identity,
 *      `.gz`, `.br` (not for an immutable document: gzip only) under content-addressed keys
 *      (`_v/<hex16>/<route key>`) no live manifest names → drop the bytes.
 *      At most PIPELINE_CONCURRENCY documents' bytes are alive at once, whatever the total;
 *      before the first such write the journal (publish-journal.ts) marks the run as started
 *      (write-ledger.ts keeps the journal and what the run wrote);
 *   3. the journal is rewritten to name the routes whose route-named copies will be refreshed;
 *      the touched shards whose entries changed are written (content-addressed as well;
 *      next-manifest.ts computes them);
 *   4. the root is written under MANIFEST_KEY: the atomic swap (commit point);
 *   5. after the swap, the route-named copies (`feed.xml`, `articles/x.html`, … for people and
 *      static hosts, never read by the app) are copied from the new version keys, variants
 *      before identity (route-copies.ts); then whatever the new manifest no longer references
 *      is deleted (old versions and shards of the touched routes; everything unreferenced under
 *      `_v/` after a dead run: sweep-orphans.ts); then the journal goes.
 * A version or shard key is never rewritten with other bytes, so a process killed at any point
 * (SIGKILL: no rollback runs) leaves a root whose every shard and entry names complete, matching
 * bytes; its journal makes the next run refresh the copies and sweep the orphans. If anything
 * throws before step 4 completes, the keys this run wrote are deleted again (none was live) and
 * the error propagates. Route copies are written after the swap (not before, as until version 1)
 * so that neither a rollback snapshot nor a copy holds bytes: publish memory stays bounded.
 *
 * Must not: read the clock except through Clock, import node:*, or publish two documents under
 * one key. Tunables: the concurrency limits (publish-pool.ts), MIN_COMPRESS_BYTES
 * (write-document.ts), RESERVED_KEYS (reserved-keys.ts).
 * Not safe against two publishers running at once on one storage: the entries serialise runs with
 * the publish lock (publish-lock.ts), taken before a run reads its state.
 */

import type { Clock } from '../../ports/clock.ts';
import type { Compressor } from '../../ports/compressor.ts';
import type { Logger } from '../../ports/logger.ts';
import type { Storage } from '../../ports/storage.ts';
import { claimRoutes, validatePatch } from './claim-routes.ts';
import { guardDocumentCount } from './document-limit.ts';
import {
  MANIFEST_KEY,
  type Manifest,
  type ManifestEntry,
  type ManifestRoot,
  routeToKey,
  type ShardRef,
  serializeManifestRoot,
} from './manifest.ts';
import { shardOf } from './manifest-shard.ts';
import { collectShards, nextRoot, serializeShards } from './next-manifest.ts';
import type { Publishable, PublishPatch } from './publish-input.ts';
import { type PublishPlan, planPublish } from './publish-plan.ts';
import {
  COMPRESS_CONCURRENCY,
  createLimiter,
  type Limiter,
  PIPELINE_CONCURRENCY,
  runPool,
  WRITE_CONCURRENCY,
} from './publish-pool.ts';
import { type PreviousState, readPrevious, type ShardContents } from './read-previous.ts';
import { addDeadRunCopies, refreshRouteCopies } from './route-copies.ts';
import { sweepOrphans } from './sweep-orphans.ts';
import { type DocumentRun, type Outcome, writeDocument } from './write-document.ts';
import { createWriteLedger, type WriteLedger } from './write-ledger.ts';

export { PublishInputError, type PublishPatch } from './publish-input.ts';
export { PUBLISH_JOURNAL_KEY } from './publish-journal.ts';
export { PIPELINE_CONCURRENCY } from './publish-pool.ts';

export interface PublishDeps {
  readonly storage: Storage;
  readonly compressor: Compressor;
  readonly clock: Clock;
  readonly logger: Logger;
}

export interface PublishOptions {
  readonly patch?: PublishPatch;
  /**
   * Render every planned document even when its input digest equals the live entry's (an
   * operator's `kiosque build --full`): frozen archive pages, whose inputs name their items by
   * place only, then take their articles as they are now. Equal bytes still keep their entry.
   */
  readonly rerender?: boolean;
  /**
   * Storage keys found missing or damaged in the live publication (verify-published.ts):
   * treated like a dead run's journal names them, so a planned document whose version or route
   * copy is among them is written again even when its inputs are unchanged.
   */
  readonly suspect?: ReadonlySet<string>;
  /**
   * Most routes the new publication may hold (document-limit.ts): over it, the run is refused
   * before anything is rendered or written. Absent: no cap.
   */
  readonly maxDocuments?: number;
}

export interface PublishResult {
  /**
   * Generation, publishedAt and the entries of the routes given in `documents` (in full mode:
   * every published route; in a patch: the upserted ones). `manifest-store.ts` loadManifest
   * reads the complete view back.
   */
  readonly manifest: Manifest;
  /** The root written under MANIFEST_KEY. */
  readonly root: ManifestRoot;
  /** Route paths whose bytes were (re)written, in input order. */
  readonly changed: string[];
  readonly unchanged: number;
  /** Route paths published before and not any more, sorted. */
  readonly removed: string[];
  /** Shard objects read (previous state) and written by this run; total in the new root. */
  readonly shards: { readonly read: number; readonly written: number; readonly total: number };
}

/** A run past its plan: what steps 2 to 5 share. */
interface PublishRun {
  readonly documents: readonly Publishable[];
  readonly routeKeys: readonly string[];
  readonly previous: PreviousState;
  readonly plan: PublishPlan;
  readonly patch: PublishPatch | undefined;
  readonly ledger: WriteLedger;
  readonly write: Limiter;
  readonly isSuspect: (key: string) => boolean;
}

/**
 * Publishes `documents` (the complete route set, or with `options.patch` upserts + removals).
 * See the header for the order and the guarantees.
 */
export async function publishDocuments(
  documents: readonly Publishable[],
  deps: PublishDeps,
  options: PublishOptions = {},
): Promise<PublishResult> {
  const { storage, compressor, clock, logger } = deps;
  const { patch, rerender = false, suspect, maxDocuments } = options;
  const routeKeys = claimRoutes(documents);
  const documentPaths = new Set(documents.map((document) => document.path));
  if (patch) validatePatch(patch, documentPaths);

  // 1. Previous state: the root, then the shards this run needs; what the run touches and removes.
  const previous = await readPrevious(storage, logger, documentPaths, patch);
  const plan = planPublish(documents, routeKeys, documentPaths, previous, patch);
  if (maxDocuments !== undefined)
    guardDocumentCount(
      publishedCount(previous, documentPaths, plan.removed, patch !== undefined),
      maxDocuments,
    );
  const { journal } = previous;
  const isSuspect = (key: string): boolean =>
    (journal !== null && (journal.all || journal.keys.has(key))) || suspect?.has(key) === true;
  const now = clock.now();
  const write = createLimiter(WRITE_CONCURRENCY);
  const ledger = createWriteLedger(storage, write, journal);
  const run: PublishRun = { documents, routeKeys, previous, plan, patch, ledger, write, isSuspect };
  const documentRun: DocumentRun = {
    storage,
    compressor,
    compress: createLimiter(COMPRESS_CONCURRENCY),
    ledger,
    entryOf: previous.entryOf,
    isSuspect,
    rerender,
    lastModified: toHttpPrecision(now),
  };
  let swapped = false;
  try {
    // 2. Every document, PIPELINE_CONCURRENCY at a time.
    const outcomes = new Array<Outcome>(documents.length);
    await runPool(documents, PIPELINE_CONCURRENCY, async (document, index) => {
      outcomes[index] = await writeDocument(
        document,
        routeKeys[index] ?? routeToKey(document.path),
        documentRun,
      );
    });
    // 3. The journal names the copies to refresh after the swap; then the changed shards.
    const { next, refs } = await writeShards(run, outcomes);
    // 4. The swap.
    const root = nextRoot(refs, previous.stored, now);
    await storage.put(MANIFEST_KEY, serializeManifestRoot(root));
    swapped = true;
    return await finish(run, deps, { outcomes, next, refs, root });
  } catch (error) {
    if (swapped) throw error; // after the swap: nothing to roll back (finish logs its own failures)
    await ledger.rollback(error, logger);
    throw error;
  }
}

/** Routes the publication holds after this run: the new set, or the old one patched. */
function publishedCount(
  previous: PreviousState,
  documentPaths: ReadonlySet<string>,
  removed: ReadonlySet<string>,
  patched: boolean,
): number {
  const { stored } = previous;
  if (stored === null || !patched) return documentPaths.size;
  let before = 0;
  if (stored.version === 2) for (const ref of Object.values(stored.shards)) before += ref.count;
  else for (const shard of previous.shards.values()) before += shard.size;
  let added = 0;
  for (const path of documentPaths) if (previous.entryOf(path) === undefined) added++;
  return before + added - removed.size;
}

/** Step 3: the touched shards' new entries; the journal, then the shards whose key changed. */
async function writeShards(
  run: PublishRun,
  outcomes: readonly Outcome[],
): Promise<{ next: ShardContents; refs: Map<string, ShardRef> }> {
  const { previous, plan, ledger } = run;
  const shards = collectShards(run.documents, outcomes, plan, previous, run.patch);
  const { next } = shards;
  // After a dead run: refresh the route copies it may have left stale. Every shard was read.
  if (previous.journal !== null) {
    const live = (path: string): ManifestEntry | undefined =>
      next.get(shardOf(path))?.get(path) ?? previous.entryOf(path);
    addDeadRunCopies(previous.journal, previous.shards, plan.removed, ledger.copies, run.isSuspect, live);
  }
  const { refs, writes } = await serializeShards(shards, previous.refs);
  await ledger.announceCopies(writes.length);
  await runPool(writes, WRITE_CONCURRENCY, ({ key, body }) => ledger.putShard(key, body));
  return { next, refs };
}

/** What the swap produced, for step 5 and the result. */
interface Swapped {
  readonly outcomes: readonly Outcome[];
  readonly next: ShardContents;
  readonly refs: ReadonlyMap<string, ShardRef>;
  readonly root: ManifestRoot;
}

/** 5. After the swap nothing can un-publish: failures are logged and only leave garbage. */
async function finish(run: PublishRun, deps: PublishDeps, swapped: Swapped): Promise<PublishResult> {
  const { storage, logger } = deps;
  const { previous, ledger } = run;
  const { next } = swapped;
  const liveEntry = (path: string): ManifestEntry | undefined => {
    const id = shardOf(path);
    return next.has(id) ? next.get(id)?.get(path) : previous.entryOf(path);
  };
  const copiesComplete = await refreshRouteCopies(storage, ledger.copies, liveEntry, run.write, logger);
  await sweepOrphans(storage, logger, { ...run, ...swapped, removed: run.plan.removed });
  await ledger.clearJournal(copiesComplete, logger);
  return summarise(run, swapped, logger);
}

/** The result of a published run, logged once. */
function summarise(run: PublishRun, { outcomes, refs, root }: Swapped, logger: Logger): PublishResult {
  const changed: string[] = [];
  const entries: Record<string, ManifestEntry> = {};
  let unchanged = 0;
  for (const [index, document] of run.documents.entries()) {
    const outcome = outcomes[index] as Outcome;
    entries[document.path] = outcome.entry;
    if (outcome.changed) changed.push(document.path);
    else unchanged++;
  }
  const removed = [...run.plan.removed].sort();
  const written = run.ledger.shardsWritten;
  logger.info('published', {
    generation: root.generation,
    changed: changed.length,
    unchanged,
    removed: removed.length,
    shardsRead: run.previous.shardsRead,
    shardsWritten: written,
  });
  return {
    manifest: { version: 2, generation: root.generation, publishedAt: root.publishedAt, documents: entries },
    root,
    changed,
    unchanged,
    removed,
    shards: { read: run.previous.shardsRead, written, total: refs.size },
  };
}

/** HTTP dates carry whole seconds; a finer Last-Modified could never match If-Modified-Since. */
function toHttpPrecision(date: Date): string {
  return new Date(Math.floor(date.getTime() / 1000) * 1000).toISOString();
}
