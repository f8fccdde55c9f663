/**
 * One WebSub publish ping of one (hub, feed URL) through the Fetch port, with retries: a
 * form-encoded `hub.mode=publish` POST with a timeout; network errors, timeouts, 408, 429 and 5xx
 * are retried with exponential backoff, other answers are final. Gives up early when the run's
 * budget is spent or the hub's circuit opened meanwhile (hub-pinger.ts explains both).
 *
 * Must not: throw (every failure is a result), or wait past the budget.
 */
import type { HttpFetch } from '../../ports/fetch.ts';
import type { HubPingResult } from './websub-status.ts';

/** How pings are sent and retried; hub-pinger.ts fills it from its options and defaults. */
export interface PingSettings {
  readonly fetch: HttpFetch;
  readonly timeoutMs: number;
  /** Attempts in all, at least 1. */
  readonly attempts: number;
  /** First wait between attempts; doubled after each. */
  readonly backoffMs: number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly userAgent: string;
}

export function retryable(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** Resolves when the signal aborts (never rejects). */
export function whenAborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

async function pingOnce(
  settings: PingSettings,
  hub: string,
  topic: string,
  budget: AbortSignal,
): Promise<{ status: number | null; error?: string }> {
  try {
    const response = await settings.fetch(hub, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': settings.userAgent },
      body: new URLSearchParams({ 'hub.mode': 'publish', 'hub.url': topic }).toString(),
      signal: AbortSignal.any([AbortSignal.timeout(settings.timeoutMs), budget]),
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
export async function pingHub(
  settings: PingSettings,
  hub: string,
  topic: string,
  budget: AbortSignal,
  open: ReadonlySet<string>,
): Promise<HubPingResult> {
  let attempt = 0;
  for (;;) {
    attempt++;
    const { status, error } = await pingOnce(settings, hub, topic, budget);
    if (status !== null && status >= 200 && status < 300)
      return { hub, topic, ok: true, status, attempts: attempt };
    const again =
      attempt < settings.attempts &&
      (status === null || retryable(status)) &&
      !budget.aborted &&
      !open.has(hub);
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
    await Promise.race([settings.sleep(settings.backoffMs * 2 ** (attempt - 1)), whenAborted(budget)]);
  }
}
