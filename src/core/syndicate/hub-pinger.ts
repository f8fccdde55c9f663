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
 * Tunables: DEFAULT_TIMEOUT_MS, DEFAULT_ATTEMPTS, DEFAULT_BACKOFF_MS, DEFAULT_BUDGET_MS, CONCURRENCY,
 * MAX_RESULTS.
 */
import type { Clock } from '../../ports/clock.ts';
import type { HttpFetch } from '../../ports/fetch.ts';
import type { Logger } from '../../ports/logger.ts';
import type { DocumentsNotifier } from '../pipeline/regenerate.ts';
import type { HubPingResult, WebSubStatus } from './websub-status.ts';

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
/** Pings in flight at once: a build changing many tag feeds must not flood a hub. */
const CONCURRENCY = 4;
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

export interface HubPinger extends DocumentsNotifier {
  status(): WebSubStatus;
}

const wait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function retryable(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** A failure that says the hub itself is unwell (not a refusal of one topic): opens its circuit. */
function hubDown(result: HubPingResult): boolean {
  return !result.ok && (result.status === null || retryable(result.status));
}

/** Resolves when the signal aborts (never rejects). */
function whenAborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

export function createHubPinger(options: HubPingerOptions): HubPinger {
  const { hubs, logger } = options;
  // The clock only stamps lastPingAt for /healthz; callers in the pipeline pass theirs.
  const clock = options.clock ?? { now: () => new Date() };
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const attempts = Math.max(1, options.attempts ?? DEFAULT_ATTEMPTS);
  const backoffMs = options.backoffMs ?? DEFAULT_BACKOFF_MS;
  const budgetMs = options.budgetMs ?? DEFAULT_BUDGET_MS;
  const sleep = options.sleep ?? wait;
  const userAgent = options.userAgent ?? 'kiosque (WebSub publisher)';
  let state: WebSubStatus = { hubs, lastPingAt: null, sent: 0, failed: 0, lastResults: [] };

  async function pingOnce(
    hub: string,
    topic: string,
    budget: AbortSignal,
  ): Promise<{ status: number | null; error?: string }> {
    try {
      const response = await options.fetch(hub, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': userAgent },
        body: new URLSearchParams({ 'hub.mode': 'publish', 'hub.url': topic }).toString(),
        signal: AbortSignal.any([AbortSignal.timeout(timeoutMs), budget]),
      });
      // Read the (short) body so the connection can be reused.
      await response.arrayBuffer();
      return { status: response.status };
    } catch (error) {
      if (budget.aborted) return { status: null, error: "aborted: the run's ping budget was spent" };
      return { status: null, error: (error as Error).message || (error as Error).name };
    }
  }

  /** One (hub, topic) ping with retries; gives up early when the hub's circuit opens or the budget ends. */
  async function ping(
    hub: string,
    topic: string,
    budget: AbortSignal,
    open: Set<string>,
  ): Promise<HubPingResult> {
    let attempt = 0;
    for (;;) {
      attempt++;
      const { status, error } = await pingOnce(hub, topic, budget);
      if (status !== null && status >= 200 && status < 300)
        return { hub, topic, ok: true, status, attempts: attempt };
      const again =
        attempt < attempts && (status === null || retryable(status)) && !budget.aborted && !open.has(hub);
      if (!again) {
        return {
          hub,
          topic,
          ok: false,
          status,
          attempts: attempt,
          error: error ?? `hub answered HTTP ${status}`,
        };
      }
      await Promise.race([sleep(backoffMs * 2 ** (attempt - 1)), whenAborted(budget)]);
    }
  }

  async function documentsChanged(urls: readonly string[]): Promise<void> {
    if (hubs.length === 0 || urls.length === 0) return;
    // Feed-major order interleaves the hubs, so one dead hub cannot take every worker before the
    // others are tried.
    const jobs = urls.flatMap((topic) => hubs.map((hub) => ({ hub, topic })));
    const results: HubPingResult[] = [];
    const notTried: HubPingResult[] = [];
    const open = new Set<string>();
    // Set once the results are taken: a ping settling after that was recorded as aborted.
    let closed = false;
    const budget = new AbortController();
    const timer = setTimeout(() => budget.abort(), budgetMs);
    let next = 0;
    const inFlight = new Set<{ hub: string; topic: string }>();
    const worker = async (): Promise<void> => {
      while (next < jobs.length && !budget.signal.aborted) {
        const job = jobs[next++];
        if (!job) continue;
        if (open.has(job.hub)) {
          notTried.push({
            ...job,
            ok: false,
            status: null,
            attempts: 0,
            error: 'not tried: hub failed earlier in this run',
          });
          continue;
        }
        inFlight.add(job);
        const result = await ping(job.hub, job.topic, budget.signal, open);
        inFlight.delete(job);
        if (closed) return; // recorded as aborted when the budget ran out
        if (hubDown(result)) open.add(job.hub);
        results.push(result);
      }
    };
    const workers = Promise.all(Array.from({ length: Math.min(CONCURRENCY, jobs.length) }, worker));
    // The build never waits past the budget, even for a fetch that ignores its abort signal.
    await Promise.race([workers, whenAborted(budget.signal)]);
    clearTimeout(timer);
    const spent = budget.signal.aborted;
    closed = true;
    budget.abort();
    for (const job of inFlight)
      results.push({
        ...job,
        ok: false,
        status: null,
        attempts: 1,
        error: "aborted: the run's ping budget was spent",
      });
    for (const job of jobs.slice(next))
      notTried.push({
        ...job,
        ok: false,
        status: null,
        attempts: 0,
        error: "not tried: the run's ping budget was spent",
      });
    const failed = [...results.filter((r) => !r.ok), ...notTried];
    for (const r of results.filter((r) => !r.ok)) {
      logger.warn('WebSub publish ping failed', {
        hub: r.hub,
        topic: r.topic,
        status: r.status,
        attempts: r.attempts,
        error: r.error,
      });
    }
    if (notTried.length > 0) {
      logger.warn('WebSub publish pings not sent', {
        pings: notTried.length,
        hubsDown: [...open].join(' '),
        budgetSpent: spent,
        budgetMs,
      });
    }
    logger.info('WebSub publish pings sent', {
      hubs: hubs.length,
      feeds: urls.length,
      failed: failed.length,
    });
    state = {
      hubs,
      lastPingAt: clock.now().toISOString(),
      sent: state.sent + results.filter((r) => r.ok).length,
      failed: state.failed + failed.length,
      lastResults: [...failed, ...results.filter((r) => r.ok)].slice(0, MAX_RESULTS),
    };
  }

  return { documentsChanged, status: () => state };
}
