/**
 * One regeneration: load → clean → normalise → render → publish, then the build status.
 * Orchestration only: it calls the steps in order, each a module of this folder (open-run: read
 * state and settings, gather; apply-items: normalise and assign identity; plan-run; commit-state;
 * publish-run; report-run), and every rule lives in the stage it belongs to.
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

import { DEFAULT_SYNDICATION } from '../plan/build-documents.ts';
import { readBuildStatus } from '../report/build-status.ts';
import { DamagedStateError } from '../state/damaged-state.ts';
import { MissingBodyError } from '../state/item-bodies.ts';
import { settingsDigests } from '../state/settings-digest.ts';
import { applyItems } from './apply-items.ts';
import { commitState } from './commit-state.ts';
import { adoptCompleteGather, gatherChanges, openRun } from './open-run.ts';
import { planRun } from './plan-run.ts';
import { afterSwap, publishPlan } from './publish-run.ts';
import { type RunClock, reportFailed, reportPublished } from './report-run.ts';
import type { BuildReport, RegenerateDeps, RegenerateOptions, RunProgress } from './run-types.ts';

export { PENDING_KEY } from '../state/pending-note.ts';
export type { BuildReport, DocumentsNotifier, RegenerateDeps, RegenerateOptions } from './run-types.ts';

/** One regeneration, step by step (see the header); every step is a module of this folder. */
export async function regenerate(deps: RegenerateDeps, options: RegenerateOptions): Promise<BuildReport> {
  const { clock, logger } = deps;
  const started = clock.now();
  const previousStatus = await readBuildStatus(deps.published).catch(() => null);
  const runClock: RunClock = { started, startedAt: started.toISOString(), previousStatus };
  const digests = await settingsDigests({
    site: options.site,
    feedSize: options.feedSize,
    syndication: { ...DEFAULT_SYNDICATION, ...options.syndication },
  });
  const progress: RunProgress = {
    added: [],
    updated: [],
    unchanged: 0,
    failed: [],
    skipped: [],
    gathered: undefined,
  };
  try {
    // 1. The state the run starts from, and how much it redoes.
    const run = await openRun(deps, options, digests);
    // 2. Gather: only the documents whose clean result may differ, cleaned one at a time.
    const gathered = await gatherChanges(deps, options, run);
    progress.gathered = gathered;
    progress.skipped = gathered.skipped;
    await adoptCompleteGather(run, gathered);
    // 3. Normalise and assign identity: catalog entries, ledger records and bodies (flushed).
    const applied = await applyItems(deps, options, run, progress, started);
    // A shard found damaged while loading lazily: its items are missing, so only a full run
    // can rebuild them (nothing is committed yet: the gather's indexes are written by commit()).
    if (applied.catalogDamaged) {
      logger.warn('item catalog damaged; rebuilding everything');
      return await regenerate(deps, { ...options, full: true });
    }
    // 4. Plan: the documents this run publishes (rendered by publish only when their inputs changed).
    const plan = await planRun(deps, options, run, applied.before, started);
    // 5. Commit state before documents: the ledger must never lag what readers see.
    await commitState(deps, options, { run, applied, plan, progress });
    if (options.signal?.aborted) throw new Error('regeneration abandoned: shutting down');
    // 6. Publish: documents, then the manifest swap; then what follows the swap.
    const publishStarted = clock.now().getTime();
    const published = await publishPlan(deps, options, run, plan);
    const publishMs = clock.now().getTime() - publishStarted;
    await afterSwap(deps, options, { run, applied, plan, digests }, published);
    // 7. Report: the build status for /healthz and /status, and the build report.
    return await reportPublished(
      deps,
      options,
      { clock: runClock, progress, gathered, plan, publishMs },
      published,
    );
  } catch (error) {
    const lostCache = error instanceof MissingBodyError || error instanceof DamagedStateError;
    if (lostCache && options.full !== true && options.complete !== true) {
      // A lost cache, not a failure: rebuild it completely (the ledger keeps ids and dates).
      logger.warn('derived state is missing or damaged; rebuilding it', { error: (error as Error).message });
      return await regenerate(deps, { ...options, complete: true });
    }
    return await reportFailed(deps, options, { clock: runClock, progress }, (error as Error).message);
  }
}
