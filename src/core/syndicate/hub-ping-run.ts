/**
 * The pings of one run: every (hub, feed URL) pair, at most CONCURRENCY in flight, under one time
 * budget. Feed-major order interleaves the hubs; a hub whose ping fails for a reason of its own
 * opens its circuit and is not tried again this run; when the budget is spent, pings in flight are
 * aborted and recorded so, the rest are recorded as not tried, and the run returns at once even if
 * a fetch ignores its abort signal.
 *
 * Must not: log or keep state across runs (hub-pinger.ts does both).
 * Tunables: CONCURRENCY.
 */
import { type PingSettings, pingHub, retryable, whenAborted } from './hub-ping.ts';
import type { HubPingResult } from './websub-status.ts';

/** Pings in flight at once: a build changing many tag feeds must not flood a hub. */
const CONCURRENCY = 4;

export interface PingRun {
  /** Pings sent (ok or failed, aborted ones included). */
  readonly results: readonly HubPingResult[];
  /** Pings never sent: their hub's circuit was open, or the budget was spent first. */
  readonly notTried: readonly HubPingResult[];
  /** Hubs whose circuit opened during the run. */
  readonly hubsDown: ReadonlySet<string>;
  /** Whether the budget ran out before every ping was done. */
  readonly budgetSpent: boolean;
}

/** A failure that says the hub itself is unwell (not a refusal of one topic): opens its circuit. */
function hubDown(result: HubPingResult): boolean {
  return !result.ok && (result.status === null || retryable(result.status));
}

export async function runPings(
  settings: PingSettings,
  hubs: readonly string[],
  urls: readonly string[],
  budgetMs: number,
): Promise<PingRun> {
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
      const result = await pingHub(settings, job.hub, job.topic, budget.signal, open);
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
  const budgetSpent = budget.signal.aborted;
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
  return { results, notTried, hubsDown: open, budgetSpent };
}
