/**
 * The publish step of a regeneration: the planned documents go to publish/publish.ts (a patch of
 * the live manifest, or the whole publication), then what follows the swap: the state record
 * names what the published documents were computed from, the pending note goes, item bodies no
 * catalog entry names any more are deleted (a failure only leaves garbage), and the notifier is
 * told which feeds changed (WebSub; never fatal).
 *
 * Must not: commit the catalog or index (commit-state.ts, before this), or render outside publish.
 */

import { IO_CONCURRENCY, mapConcurrent } from '../concurrency/map-concurrent.ts';
import { type PublishResult, publishDocuments } from '../publish/publish.ts';
import { feedFormatOf } from '../render/feed-formats.ts';
import { writeStateRecord } from '../state/derived-inputs.ts';
import { bodyKey } from '../state/item-bodies.ts';
import type { SettingsDigests } from '../state/settings-digest.ts';
import type { AppliedItems } from './apply-items.ts';
import { documentLimitOf } from './commit-state.ts';
import type { RunPlan } from './plan-run.ts';
import type { RegenerateDeps, RegenerateOptions, RunStart } from './run-types.ts';

/** Writes the planned documents and swaps the manifest. */
export async function publishPlan(
  deps: RegenerateDeps,
  options: RegenerateOptions,
  run: RunStart,
  plan: RunPlan,
): Promise<PublishResult> {
  const { changes, documents } = plan;
  const maxDocuments = documentLimitOf(options);
  return await publishDocuments(
    documents,
    { ...deps, storage: deps.published },
    changes
      ? { patch: { remove: changes.remove, replacePrefixes: changes.replacePrefixes }, maxDocuments }
      : {
          ...(options.full === true ? { rerender: true } : {}),
          ...(run.inputs.damaged.size > 0 ? { suspect: run.inputs.damaged } : {}),
          maxDocuments,
        },
  );
}

/** Bodies no catalog entry names any more (a failure only leaves garbage). */
async function deleteStaleBodies(deps: RegenerateDeps, run: RunStart, applied: AppliedItems): Promise<void> {
  const { before, staleBodies } = applied;
  const live = new Set([...before.keys()].map((id) => `${id}\n${run.catalog.get(id)?.digest ?? ''}`));
  await mapConcurrent(
    staleBodies.filter((entry) => !live.has(`${entry.sourceId}\n${entry.digest}`)),
    IO_CONCURRENCY,
    async (entry) =>
      deps.state
        .delete(await bodyKey(entry.sourceId, entry.digest))
        .catch((error: unknown) =>
          deps.logger.warn('could not delete an old item body', { error: (error as Error).message }),
        ),
  );
}

/** Tells the notifier the absolute URLs of the feeds whose bytes changed; a failure is logged. */
async function notifyChangedFeeds(
  deps: RegenerateDeps,
  options: RegenerateOptions,
  plan: RunPlan,
  published: PublishResult,
): Promise<void> {
  if (!deps.notifier) return;
  const changed = new Set(published.changed);
  const base = options.site.baseUrl.replace(/\/+$/, '');
  const feedUrls = plan.documents
    .filter((d) => changed.has(d.path) && feedFormatOf(d.contentType) !== null)
    .map((d) => `${base}${d.path}`);
  if (feedUrls.length > 0) {
    await deps.notifier
      .documentsChanged(feedUrls)
      .catch((error: unknown) =>
        deps.logger.error('could not notify about changed feeds', { error: (error as Error).message }),
      );
  }
}

/** After the swap: state record, pending note cleared, stale bodies deleted, feeds notified. */
export async function afterSwap(
  deps: RegenerateDeps,
  options: RegenerateOptions,
  step: { run: RunStart; applied: AppliedItems; plan: RunPlan; digests: SettingsDigests },
  published: PublishResult,
): Promise<void> {
  const { run, applied, plan, digests } = step;
  // The record names what the published documents were computed from.
  await writeStateRecord(deps.state, digests, published.root, run.inputs.checkedAt, plan.emptiedAt);
  await applied.notes.clear();
  await deleteStaleBodies(deps, run, applied);
  await notifyChangedFeeds(deps, options, plan, published);
}
