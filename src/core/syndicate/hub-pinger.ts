/**
 * WebSub publisher pings through the Fetch port: changed feed URLs → one `hub.mode=publish` POST per
 * (hub, feed URL), form-encoded (`hub.mode=publish&hub.url=<feed>`), as the W3C WebSub
 * recommendation leaves publishing to hub convention and every public hub accepts this form.
 * https://www.w3.org/TR/websub/#publishing, https://pubsubhubbub.appspot.com/
 *
 * Each ping has a timeout; network errors, timeouts, 429 and 5xx are retried with exponential
 * backoff; other 4xx are not (the hub refuses this topic; retrying will not help). The pings of one
 * run share a total time budget (DEFAULT_BUDGET_MS): when it is spent, pings in flight are aborted,
 * the rest are not sent, and `documentsChanged` resolves at once, so a dead hub never holds a build.
 * A hub that fails a ping for a reason of its own (no answer, timeout, 408/429/5xx after the retries)
 * is not tried again for the remaining feeds of the run (circuit breaking per hub, per run). Results
 * are logged and kept for /healthz (`status()`). A ping never throws into the build.
 *
 * Runtime-agnostic: the Node entry passes undici's fetch (src/drivers/websub/undici-hub-pinger.ts),
 * the Worker the platform's global fetch.
 * Must not: be called per HTTP request; ping URLs outside the feeds the build changed.
 * Tunables: DEFAULT_TIMEOUT_MS, DEFAULT_ATTEMPTS, DEFAULT_BACKOFF_MS, DEFAULT_BUDGET_MS, MAX_RESULTS;
 * CONCURRENCY in hub-ping-run.ts. One ping is hub-ping.ts, one run's pool hub-ping-run.ts.
 */
import type { Clock } from '../../ports/clock.ts';
import type { HttpFetch } from '../../ports/fetch.ts';
import type { Logger } from '../../ports/logger.ts';
import type { PingSettings } from './hub-ping.ts';
import { type PingRun, runPings } from './hub-ping-run.ts';
import type { WebSubStatus } from './websub-status.ts';

/** A hub answers a publish ping at once (it fetches the feed later): 5 s is generous. */
export const DEFAULT_TIMEOUT_MS = 5_000;
export const DEFAULT_ATTEMPTS = 3;
/** Waits 0.5 s, then 1 s between attempts. */
export const DEFAULT_BACKOFF_MS = 500;
/**
 * Total time for all the pings of one run (every hub, every feed). Publishing is done when pings
 * start; they only tell hubs early. 75 feeds against a dead hub took 30 s before this bound.
 */
export const DEFAULT_BUDGET_MS = 5_000;
/** Results kept for /healthz. */
const MAX_RESULTS = 50;

export interface HubPingerOptions {
  readonly hubs: readonly string[];
  /** How the POSTs are sent: undici's fetch on Node, the global fetch on the edge. */
  readonly fetch: HttpFetch;
  readonly logger: Logger;
  readonly clock?: Clock;
  readonly timeoutMs?: number;
  readonly attempts?: number;
  readonly backoffMs?: number;
  /** Total time all the pings of one `documentsChanged` call may take (DEFAULT_BUDGET_MS). */
  readonly budgetMs?: number;
  /** Injected in tests to skip real waiting. */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly userAgent?: string;
}

/**
 * The pipeline's documents notifier (regenerate.ts's DocumentsNotifier, declared here by shape so
 * that this stage imports nothing from the pipeline above it), plus what /healthz shows.
 */
export interface HubPinger {
  documentsChanged(urls: readonly string[]): Promise<void>;
  status(): WebSubStatus;
}

const wait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function createHubPinger(options: HubPingerOptions): HubPinger {
  const { hubs, logger } = options;
  // The clock only stamps lastPingAt for /healthz; callers in the pipeline pass theirs.
  const clock = options.clock ?? { now: () => new Date() };
  const budgetMs = options.budgetMs ?? DEFAULT_BUDGET_MS;
  const settings: PingSettings = {
    fetch: options.fetch,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    attempts: Math.max(1, options.attempts ?? DEFAULT_ATTEMPTS),
    backoffMs: options.backoffMs ?? DEFAULT_BACKOFF_MS,
    sleep: options.sleep ?? wait,
    userAgent: options.userAgent ?? 'kiosque (WebSub publisher)',
  };
  let state: WebSubStatus = { hubs, lastPingAt: null, sent: 0, failed: 0, lastResults: [] };

  async function documentsChanged(urls: readonly string[]): Promise<void> {
    if (hubs.length === 0 || urls.length === 0) return;
    const run = await runPings(settings, hubs, urls, budgetMs);
    const failed = [...run.results.filter((r) => !r.ok), ...run.notTried];
    logRun(logger, run, hubs.length, urls.length, failed.length, budgetMs);
    state = {
      hubs,
      lastPingAt: clock.now().toISOString(),
      sent: state.sent + run.results.filter((r) => r.ok).length,
      failed: state.failed + failed.length,
      lastResults: [...failed, ...run.results.filter((r) => r.ok)].slice(0, MAX_RESULTS),
    };
  }

  return { documentsChanged, status: () => state };
}

/** One warning per failed ping, one for the pings not sent, then the run's summary. */
function logRun(
  logger: Logger,
  run: PingRun,
  hubCount: number,
  feedCount: number,
  failedCount: number,
  budgetMs: number,
): void {
  for (const r of run.results.filter((r) => !r.ok)) {
    logger.warn('WebSub publish ping failed', {
      hub: r.hub,
      topic: r.topic,
      status: r.status,
      attempts: r.attempts,
      error: r.error,
    });
  }
  if (run.notTried.length > 0) {
    logger.warn('WebSub publish pings not sent', {
      pings: run.notTried.length,
      hubsDown: [...run.hubsDown].join(' '),
      budgetSpent: run.budgetSpent,
      budgetMs,
    });
  }
  logger.info('WebSub publish pings sent', {
    hubs: hubCount,
    feeds: feedCount,
    failed: failedCount,
  });
}
