/**
 * The commit step of a regeneration: state before documents, so the ledger never lags what
 * readers see. A complete plan is refused first when it holds more documents than the
 * publication may (a patch is counted by publish against the live manifest, before anything is
 * written); then the full pending note, and the catalog, site index, gather indexes and held
 * duplicates are saved. The pending note makes a run that dies between this commit and the swap
 * replay its changes.
 *
 * Must not: write a published document or the manifest (publish-run.ts).
 */

import { saveHeldDuplicates } from '../normalise/id-claims.ts';
import { DEFAULT_DOCUMENTS_PER_BUILD, guardDocumentCount } from '../publish/document-limit.ts';
import { foldUnseen } from '../state/pending-note.ts';
import type { AppliedItems } from './apply-items.ts';
import type { RunPlan } from './plan-run.ts';
import type { RegenerateDeps, RegenerateOptions, RunProgress, RunStart } from './run-types.ts';

/** The most documents the publication may hold (config `limits.documentsPerBuild`). */
export function documentLimitOf(options: RegenerateOptions): number {
  return options.documentsPerBuild ?? DEFAULT_DOCUMENTS_PER_BUILD;
}

/** Commits the run's state; sets `progress.unchanged` (dead runs' unseen items folded in first). */
export async function commitState(
  deps: RegenerateDeps,
  options: RegenerateOptions,
  step: { run: RunStart; applied: AppliedItems; plan: RunPlan; progress: RunProgress },
): Promise<void> {
  const { run, applied, plan, progress } = step;
  const { added, updated } = progress;
  if (plan.changes === null)
    guardDocumentCount(new Set(plan.documents.map((d) => d.path)).size, documentLimitOf(options));
  await applied.notes.beforeCommit(added, updated);
  const carried = run.pending !== null && run.pending !== 'unreadable' ? run.pending : null;
  if (carried) foldUnseen(carried, added, updated, (id) => Boolean(run.catalog.get(id)?.digest));
  progress.unchanged = Math.max(0, plan.itemCount - added.length - updated.length);
  await run.catalog.save(deps.state);
  await plan.siteIndex.save();
  await progress.gathered?.commit();
  await saveHeldDuplicates(deps.state, applied.duplicates);
}
