/**
 * Per-host politeness: at most `concurrency` requests in flight to one host, and request starts
 * to one host at least `spacingMs` apart. Hosts are independent, so a slow site never delays
 * another. Waiters are served first come, first served.
 *
 * Must not: know about HTTP. Tunables: passed in (config `fetch.perHostConcurrency`,
 * `fetch.perHostDelayMs`).
 */

export interface HostLimiter {
  /** Runs `task` when the host has a free slot and its spacing has elapsed. */
  run<T>(host: string, task: () => Promise<T>): Promise<T>;
}

export interface HostLimiterOptions {
  readonly concurrency: number;
  readonly spacingMs: number;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

interface HostState {
  active: number;
  nextStart: number;
  readonly waiters: (() => void)[];
}

export function createHostLimiter(options: HostLimiterOptions): HostLimiter {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const hosts = new Map<string, HostState>();

  const stateOf = (host: string): HostState => {
    let state = hosts.get(host);
    if (!state) {
      state = { active: 0, nextStart: 0, waiters: [] };
      hosts.set(host, state);
    }
    return state;
  };

  const acquire = async (state: HostState): Promise<void> => {
    if (state.active >= options.concurrency) {
      await new Promise<void>((resolve) => state.waiters.push(resolve));
    } else {
      state.active++;
    }
    // Reserve a start time now so concurrent acquirers space out instead of all sleeping to the same instant.
    const start = Math.max(now(), state.nextStart);
    state.nextStart = start + options.spacingMs;
    const wait = start - now();
    if (wait > 0) await sleep(wait);
  };

  const release = (host: string, state: HostState): void => {
    const next = state.waiters.shift();
    if (next) {
      next(); // the slot passes straight to the next waiter
    } else {
      state.active--;
      if (state.active === 0 && state.nextStart <= now()) hosts.delete(host);
    }
  };

  return {
    async run(host, task) {
      const state = stateOf(host);
      await acquire(state);
      try {
        return await task();
      } finally {
        release(host, state);
      }
    },
  };
}
