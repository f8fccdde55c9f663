/**
 * The Hono app: HTTP requests → what was published (feeds, HTML pages, XSL, OPML, robots.txt)
 * and /healthz. Every published path (`/feed.xml`, `/tags/<slug>/atom.xml`,
 * `/archive/<n>/feed.json`, `/`, `/articles/:slug`, …) is served by one generic handler that
 * looks the path (and `?limit`) up in the manifest; content types come from the manifest.
 * `/healthz` reports the last build and WebSub pings. A per-client rate limit (429) guards
 * everything but /healthz.
 *
 * Must not: render, clean, hash or compress during a request (no Hono etag/compress middleware:
 * both work per request; our validators and variants are precomputed at publish time), or
 * look up bindings on globalThis (the reader, the clock and the client key are injected).
 * Tunables: `maxAgeSeconds` (Cache-Control max-age, default DEFAULT_MAX_AGE_SECONDS),
 * `feedLimits`, `rateLimit`.
 */
import { type Context, Hono } from 'hono';
import { DEFAULT_SYNDICATION } from '../core/pipeline/build-documents.ts';
import type { WebSubStatus } from '../core/syndicate/websub-status.ts';
import type { Clock } from '../ports/clock.ts';
import type { Logger } from '../ports/logger.ts';
import { BASE_HEADERS } from './http/plain-response.ts';
import { createRateLimit } from './middleware/rate-limit.ts';
import type { PublishedReader } from './published-reader.ts';
import { healthz } from './routes/healthz.ts';
import { servePublished } from './routes/serve-published.ts';
import { statusPage } from './routes/status-page.ts';

/** Five minutes: short enough that a regeneration shows up soon, long enough to absorb bursts. */
const DEFAULT_MAX_AGE_SECONDS = 300;

export interface AppRateLimit {
  readonly requests: number;
  readonly windowSeconds: number;
  /** The client's key, normally its connecting address; undefined = not limited. */
  readonly keyOf: (c: Context) => string | undefined;
}

export interface AppDeps {
  readonly reader: PublishedReader;
  readonly logger?: Logger;
  readonly maxAgeSeconds?: number;
  /** The `?limit` values the build publishes (config `feedLimits`). */
  readonly feedLimits?: readonly number[];
  readonly rateLimit?: AppRateLimit;
  /** Clock of the rate limiter (tests pin it). */
  readonly clock?: Clock;
  /** Last WebSub ping results, shown on /healthz. */
  readonly websub?: () => WebSubStatus;
}

export function createApp(deps: AppDeps): Hono {
  const app = new Hono();
  const serve = servePublished({
    reader: deps.reader,
    maxAgeSeconds: deps.maxAgeSeconds ?? DEFAULT_MAX_AGE_SECONDS,
    feedLimits: deps.feedLimits ?? DEFAULT_SYNDICATION.feedLimits,
    logger: deps.logger,
  });
  app.all('/healthz', healthz(deps.reader, deps.logger, deps.websub));
  app.all('/status', statusPage(deps.reader, deps.logger));
  if (deps.rateLimit) {
    app.use('*', createRateLimit({ ...deps.rateLimit, ...(deps.clock ? { clock: deps.clock } : {}) }));
  }
  app.all('*', serve);
  app.onError((error, c) => {
    deps.logger?.error('unhandled error while serving', { path: c.req.path, error: error.message });
    return new Response('Internal Server Error\n', {
      status: 500,
      headers: { ...BASE_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' },
    });
  });
  return app;
}
