/**
 * WebSub publisher pings through the Fetch port: changed feed URLs → one `hub.mode=publish` POST per
 * (hub, feed URL), form-encoded (`hub.mode=publish&hub.url=<feed>`), as the W3C WebSub
 * recommendation leaves publishing to hub convention and every public hub accepts this form.
 * https://www.w3.org/TR/websub/#publishing, https://pubsubhubbub.appspot.com/
 *
 * Each ping has a timeout; network errors, timeouts, 429 and 5xx are retried with exponential
 * backoff; other 4xx are not (the hub refuses this topic; retrying will not help). Results are
 * logged and kept for /healthz (`status()`). A ping never throws into the build.
 *
 * Runtime-agnostic: the Node entry passes undici's fetch (src/drivers/websub/undici-hub-pinger.ts),
 * the Worker the platform's global fetch.
 * Must not: be called per HTTP request; ping URLs outside the feeds the build changed.
 * Tunables: DEFAULT_TIMEOUT_MS, DEFAULT_ATTEMPTS, DEFAULT_BACKOFF_MS, CONCURRENCY, MAX_RESULTS.
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

export function createHubPinger(options: HubPingerOptions): HubPinger {
  const { hubs, logger } = options;
  // The clock only stamps lastPingAt for /healthz; callers in the pipeline pass theirs.
  const clock = options.clock ?? { now: () => new Date() };
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const attempts = Math.max(1, options.attempts ?? DEFAULT_ATTEMPTS);
  const backoffMs = options.backoffMs ?? DEFAULT_BACKOFF_MS;
  const sleep = options.sleep ?? wait;
  const userAgent = options.userAgent ?? 'kiosque (WebSub publisher)';
  let state: WebSubStatus = { hubs, lastPingAt: null, sent: 0, failed: 0, lastResults: [] };

  async function pingOnce(hub: string, topic: string): Promise<{ status: number | null; error?: string }> {
    try {
      const response = await options.fetch(hub, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': userAgent },
        body: new URLSearchParams({ 'hub.mode': 'publish', 'hub.url': topic }).toString(),
        signal: AbortSignal.timeout(timeoutMs),
      });
      // Read the (short) body so the connection can be reused.
      await response.arrayBuffer();
      return { status: response.status };
    } catch (error) {
      return { status: null, error: (error as Error).message || (error as Error).name };
    }
  }

  async function ping(hub: string, topic: string): Promise<HubPingResult> {
    let attempt = 0;
    for (;;) {
      attempt++;
      const { status, error } = await pingOnce(hub, topic);
      if (status !== null && status >= 200 && status < 300)
        return { hub, topic, ok: true, status, attempts: attempt };
      const again = attempt < attempts && (status === null || retryable(status));
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
      await sleep(backoffMs * 2 ** (attempt - 1));
    }
  }

  async function documentsChanged(urls: readonly string[]): Promise<void> {
    if (hubs.length === 0 || urls.length === 0) return;
    const jobs = hubs.flatMap((hub) => urls.map((topic) => ({ hub, topic })));
    const results: HubPingResult[] = [];
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < jobs.length) {
        const job = jobs[next++];
        if (job) results.push(await ping(job.hub, job.topic));
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, jobs.length) }, worker));
    const failed = results.filter((r) => !r.ok);
    for (const r of failed) {
      logger.warn('WebSub publish ping failed', {
        hub: r.hub,
        topic: r.topic,
        status: r.status,
        attempts: r.attempts,
        error: r.error,
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
      sent: state.sent + results.length - failed.length,
      failed: state.failed + failed.length,
      lastResults: [...failed, ...results.filter((r) => r.ok)].slice(0, MAX_RESULTS),
    };
  }

  return { documentsChanged, status: () => state };
}
