/**
 * Per-client rate limit: a token bucket per client key (the connecting address) in memory.
 * Each client may burst `requests` and then gets `requests / windowSeconds` per second back;
 * a request finding its bucket empty gets 429 with Retry-After (seconds until one token).
 * A client whose key cannot be determined is not limited (better than one shared bucket).
 *
 * Memory is bounded: past MAX_CLIENTS buckets, refilled (idle) buckets are dropped first,
 * then the oldest. Per process: several instances each allow the full rate.
 *
 * Must not: read the clock except through the injected Clock, or look up addresses itself
 * (the entry supplies `keyOf`: on Node the socket address, or behind a proxy listed in config
 * `trustProxy` the client its X-Forwarded-For / Forwarded names (app/http/client-address.ts);
 * on Workers `CF-Connecting-IP` — never a header a client could set unchecked).
 * Tunables: config `rateLimit` (requests, windowSeconds); MAX_CLIENTS.
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { Clock } from '../../ports/clock.ts';
import { tooManyRequests } from '../http/plain-response.ts';

export const MAX_CLIENTS = 10_000;

export interface RateLimiterOptions {
  /** Bucket size; 0 disables the limit. */
  readonly requests: number;
  readonly windowSeconds: number;
  readonly clock?: Clock;
  readonly maxClients?: number;
}

export interface RateLimitOptions extends RateLimiterOptions {
  readonly keyOf: (c: Context) => string | undefined;
}

/**
 * One limiter per app, shared by the router's middleware and the request fast path (so a client
 * has one bucket whichever path answers it).
 */
export interface RateLimiter {
  /** Takes one token from the client's bucket: 0 when allowed, else seconds until one is back. */
  take(key: string | undefined): number;
}

interface Bucket {
  tokens: number;
  at: number;
}

const systemClock: Clock = { now: () => new Date() };

export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const { requests, windowSeconds } = options;
  const clock = options.clock ?? systemClock;
  const maxClients = options.maxClients ?? MAX_CLIENTS;
  const perMs = requests / (windowSeconds * 1000);
  const buckets = new Map<string, Bucket>();

  const refill = (bucket: Bucket, now: number): void => {
    bucket.tokens = Math.min(requests, bucket.tokens + (now - bucket.at) * perMs);
    bucket.at = now;
  };

  function evict(now: number): void {
    for (const [key, bucket] of buckets) {
      refill(bucket, now);
      if (bucket.tokens >= requests) buckets.delete(key);
    }
    for (const key of buckets.keys()) {
      if (buckets.size < maxClients) break;
      buckets.delete(key);
    }
  }

  return {
    // The hot path: one Map hit and a little arithmetic; a bucket is allocated once per client.
    take(key) {
      if (requests <= 0 || key === undefined || key === '') return 0;
      const now = clock.now().getTime();
      let bucket = buckets.get(key);
      if (bucket === undefined) {
        if (buckets.size >= maxClients) evict(now);
        bucket = { tokens: requests, at: now };
        buckets.set(key, bucket);
      } else {
        refill(bucket, now);
      }
      if (bucket.tokens < 1) return Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000));
      bucket.tokens -= 1;
      return 0;
    },
  };
}

/** The limiter as Hono middleware (429 with Retry-After); pass `limiter` to share one. */
export function createRateLimit(
  options: RateLimitOptions,
  limiter = createRateLimiter(options),
): MiddlewareHandler {
  const { keyOf } = options;
  return async (c, next) => {
    const retryAfter = limiter.take(keyOf(c));
    if (retryAfter > 0) return tooManyRequests(c.req.path, retryAfter);
    return next();
  };
}
