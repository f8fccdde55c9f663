/**
 * The report step of a regeneration: the build status stored for /healthz and /status
 * (report/build-status.ts), the closing log line, and the BuildReport `regenerate` returns, for
 * a published run and for a failed one (which keeps the last good run's counts on /status).
 *
 * Must not: change state or the publication (a failure to record a failed build is only logged).
 */

import type { SiteInfo } from '../model.ts';
import type { PublishResult } from '../publish/publish.ts';
import { createFeedLinks } from '../render/feed-links.ts';
import {
  type BuildStatus,
  type FlaggedItem,
  type StatusSite,
  withRun,
  writeBuildStatus,
} from '../report/build-status.ts';
import { type RunSummary, summariseRemote } from '../report/run-summary.ts';
import type { Gathered } from '../sources/gather-documents.ts';
import type { RunPlan } from './plan-run.ts';
import type { BuildReport, RegenerateDeps, RegenerateOptions, RunProgress } from './run-types.ts';

/** When the run started and what /status showed before it. */
export interface RunClock {
  readonly started: Date;
  readonly startedAt: string;
  readonly previousStatus: BuildStatus | null;
}

/** What /status shows of the site: its title, language (the page's wording) and home. */
function statusSite(site: SiteInfo): StatusSite {
  return { title: site.title, language: site.language, home: createFeedLinks(site).home };
}

function flaggedItems(plan: RunPlan): FlaggedItem[] {
  return [...plan.siteIndex.flagged]
    .map(([source, flag]) => ({
      source,
      code: flag.code,
      message: flag.message,
      heldBack: flag.heldBack,
      ...(flag.title !== undefined ? { title: flag.title } : {}),
    }))
    .sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : 0));
}

/** Stores the status of a published run, logs it and returns its report. */
export async function reportPublished(
  deps: RegenerateDeps,
  options: RegenerateOptions,
  step: { clock: RunClock; progress: RunProgress; gathered: Gathered; plan: RunPlan; publishMs: number },
  published: PublishResult,
): Promise<BuildReport> {
  const { clock, progress, gathered, plan, publishMs } = step;
  const { added, updated, unchanged, failed, skipped } = progress;
  const { startedAt } = clock;
  const { itemCount } = plan;
  const flagged = flaggedItems(plan);
  const warnings = plan.siteIndex.warnings;
  const durationMs = deps.clock.now().getTime() - clock.started.getTime();
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
    runs: withRun(clock.previousStatus, { startedAt, durationMs, ok: true, items: itemCount }),
    site: statusSite(options.site),
  };
  await writeBuildStatus(deps.published, status);
  deps.logger.info('build published', {
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
    ...(gathered.folded.length > 0 ? { folded: gathered.folded } : {}),
    summary,
  };
}

/** Logs a failed run, records it on /status (the last good run's counts stay) and returns its report. */
export async function reportFailed(
  deps: RegenerateDeps,
  options: RegenerateOptions,
  step: { clock: RunClock; progress: RunProgress },
  message: string,
): Promise<BuildReport> {
  const { clock, progress } = step;
  const { startedAt, previousStatus } = clock;
  const { added, updated, unchanged, failed, skipped, gathered } = progress;
  const durationMs = deps.clock.now().getTime() - clock.started.getTime();
  deps.logger.error('build failed; the last good feeds stay published', { error: message });
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
    deps.logger.error('could not record the failed build', { error: (statusError as Error).message }),
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
