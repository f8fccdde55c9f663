/**
 * The Worker's build side, loaded lazily: one scheduled run's inputs (R2 stores, clock, logger,
 * options already derived from the vars) → regenerate over the bundled content/ (or the store it
 * is given) → the BuildReport.
 *
 * Why a module of its own: the pipeline (cleaner, parsers, renderers, language data, feedsmith)
 * is ~90 % of the Worker's code, and only the cron needs it. scripts/build-worker-pipeline.mjs
 * bundles this file into src/entry/generated/worker-pipeline.mjs, which wrangler uploads as a
 * second ES module (wrangler.toml `find_additional_modules`, `[[rules]]`); worker.ts reaches it
 * with `await import()` in `scheduled` only, so a request never parses or evaluates it.
 *
 * Must not: be imported statically by worker.ts or anything the fetch path loads (that would
 * bundle the pipeline into the startup module again), parse config (worker.ts owns the vars), or
 * keep state between runs (the ledger lives in the state store).
 */
import type { BuildReport, RegenerateOptions } from '../core/orchestrate/regenerate.ts';
import { regenerate } from '../core/orchestrate/regenerate.ts';
import { type LockOptions, PublishLockBusyError, withPublishLock } from '../core/publish/publish-lock.ts';
import { createHubPinger } from '../core/syndicate/hub-pinger.ts';
import { createSystemSleep } from '../drivers/clock/system-clock.ts';
import { createWebStreamsCompressor } from '../drivers/compressor/web-streams.ts';
import { createBundledStorage } from '../drivers/storage/bundled.ts';
import type { Clock, Sleep } from '../ports/clock.ts';
import type { HttpFetch } from '../ports/fetch.ts';
import type { Logger } from '../ports/logger.ts';
import type { Storage } from '../ports/storage.ts';
import { CONTENT_BUNDLE } from './generated/content-bundle.ts';
import { notStartedReport } from './not-started-report.ts';

export interface EdgeBuildInput {
  /** Published documents, manifest and build status (the FEEDS bucket). */
  readonly published: Storage;
  /** The ledger (the STATE bucket). */
  readonly state: Storage;
  /** Source articles; default: content/ as compiled in by scripts/bundle-content.ts. */
  readonly content?: Storage;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Site, feed size, sources, syndication: mapped from the vars by worker.ts. */
  readonly options: RegenerateOptions;
  /** Publish-lock timings (LOCK_TIMINGS by default) and the wait; for tests. */
  readonly lock?: Omit<LockOptions, 'owner'>;
  readonly sleep?: Sleep;
}

/**
 * Remote sources go through the platform's global fetch (no private networks to guard against on
 * the edge), called unbound as Workers require, with a User-Agent that names the site.
 */
function createEdgeFetch(siteUrl: string): HttpFetch {
  const userAgent = `kiosque (+${siteUrl})`;
  return (url, init = {}) => {
    const headers = new Headers(init.headers);
    if (!headers.has('User-Agent')) headers.set('User-Agent', userAgent);
    return fetch(url, { ...init, headers });
  };
}

/**
 * One regeneration with the edge's drivers: web-streams gzip (no brotli on the edge), global
 * fetch for remote sources and for WebSub publish pings to the configured hubs.
 */
export async function runEdgeBuild(input: EdgeBuildInput): Promise<BuildReport> {
  const { clock, logger, state } = input;
  // One build at a time per STATE bucket (two cron invocations, a deploy's overlap): the R2 lease.
  const lockDeps = { state, clock, logger, sleep: input.sleep ?? createSystemSleep() };
  try {
    return await withPublishLock(
      lockDeps,
      { owner: `worker:${crypto.randomUUID()}`, ...input.lock },
      (lost) => regenerateOnEdge(input, lost),
    );
  } catch (error) {
    if (!(error instanceof PublishLockBusyError)) throw error;
    logger.warn('scheduled run skipped: another build is publishing', { error: error.message });
    return { ...notStartedReport(error.message, clock.now().toISOString()), busy: true };
  }
}

function regenerateOnEdge(input: EdgeBuildInput, lost: AbortSignal): Promise<BuildReport> {
  const options: RegenerateOptions = {
    ...input.options,
    signal: input.options.signal ? AbortSignal.any([input.options.signal, lost]) : lost,
  };
  const hubs = options.syndication?.hubs ?? [];
  const fetchFromEdge = createEdgeFetch(options.site.baseUrl);
  return regenerate(
    {
      ...((options.sources?.length ?? 0) > 0 ? { fetch: fetchFromEdge } : {}),
      ...(hubs.length > 0
        ? {
            notifier: createHubPinger({
              hubs,
              fetch: fetchFromEdge,
              logger: input.logger,
              clock: input.clock,
            }),
          }
        : {}),
      content: input.content ?? createBundledStorage(CONTENT_BUNDLE),
      published: input.published,
      state: input.state,
      clock: input.clock,
      logger: input.logger,
      compressor: createWebStreamsCompressor(),
    },
    options,
  );
}
