/**
 * The Hono app: HTTP requests → what was published (feeds, HTML pages, XSL, OPML, robots.txt)
 * and /healthz. Every published path (`/feed.xml`, `/tags/<slug>/atom.xml`,
 * `/archive/<n>/feed.json`, `/`, `/articles/:slug`, …) is served by one generic handler that
 * looks the path (and `?limit`) up in the manifest; content types come from the manifest.
 * `/healthz` reports the last build and WebSub pings. A per-client rate limit (429) guards
 * everything but /healthz.
 *
 * `app.fetch` first tries the request fast path (fast-path.ts: a published document already
 * verified and planned is answered synchronously, without the router, the middleware chain or
 * a promise); anything else goes to the Hono router. The Node entry calls the fast path on the
 * raw IncomingMessage itself (createServing's `fastPath`) and the router (`route`) otherwise.
 *
 * Must not: render, clean, hash or compress during a request (no Hono etag/compress middleware:
 * both work per request; our validators and variants are precomputed at publish time), or
 * look up bindings on globalThis (the reader, the clock and the client key are injected).
 * Tunables: `maxAgeSeconds` (Cache-Control max-age, default DEFAULT_MAX_AGE_SECONDS),
 * `feedLimits`, `rateLimit`.
 */
import { type Context, Hono } from 'hono';
import { DEFAULT_SYNDICATION } from '../core/plan/build-documents.ts';
import type { WebSubStatus } from '../core/syndicate/websub-status.ts';
import type { Clock } from '../ports/clock.ts';
import type { Logger } from '../ports/logger.ts';
import { createFastPath, type FastPath } from './fast-path.ts';
import { createBrowserNavigationCache } from './http/browser-view.ts';
import { createAcceptedCodingsCache } from './http/negotiate-encoding.ts';
import { BASE_HEADERS } from './http/plain-response.ts';
import { createResponsePlanner, type HeaderDecisions, toResponse } from './http/response-plan.ts';
import { htmlContentSecurityPolicy } from './http/response-policy.ts';
import { createRateLimit, createRateLimiter } from './middleware/rate-limit.ts';
import type { PublishedReader } from './published-reader.ts';
import { healthz } from './routes/healthz.ts';
import { servePublished } from './routes/serve-published.ts';
import { statusPage } from './routes/status-page.ts';

/** Five minutes: short enough that a regeneration shows up soon, long enough to absorb bursts. */
const DEFAULT_MAX_AGE_SECONDS = 300;

export interface AppRateLimit {
  readonly requests: number;
  readonly windowSeconds: number;
  /**
   * The client's key, normally its connecting address; undefined = not limited. Given the Web
   * Request and the runtime's env (Node: `{ incoming, outgoing }`; Workers: the bindings).
   */
  readonly keyOf: (request: Request, env: unknown) => string | undefined;
}

export interface AppDeps {
  readonly reader: PublishedReader;
  /** The site's base URL: an http site's pages may show http images (CSP img-src/media-src). */
  readonly siteUrl?: string;
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

export interface KiosqueServing {
  /** The Hono app; its `fetch` tries the fast path, then the router. */
  readonly app: Hono;
  /** The router alone: what `app.fetch` falls back to. */
  readonly route: Hono['fetch'];
  /** Synchronous answers for cached published documents (null: ask `route`). */
  readonly fastPath: FastPath;
}

export function createServing(deps: AppDeps): KiosqueServing {
  const app = new Hono();
  const maxAgeSeconds = deps.maxAgeSeconds ?? DEFAULT_MAX_AGE_SECONDS;
  const planner = createResponsePlanner({
    maxAgeSeconds,
    contentSecurityPolicy: htmlContentSecurityPolicy(deps.siteUrl),
  });
  const decisions: HeaderDecisions = {
    accepted: createAcceptedCodingsCache(),
    isBrowser: createBrowserNavigationCache(),
  };
  const rateLimit = deps.rateLimit;
  const limiter = rateLimit
    ? createRateLimiter({ ...rateLimit, ...(deps.clock ? { clock: deps.clock } : {}) })
    : null;
  const serve = servePublished({
    reader: deps.reader,
    planner,
    decisions,
    maxAgeSeconds,
    feedLimits: deps.feedLimits ?? DEFAULT_SYNDICATION.feedLimits,
    logger: deps.logger,
  });
  app.all('/healthz', healthz(deps.reader, deps.logger, deps.websub));
  const clientOf = rateLimit ? (c: Context) => rateLimit.keyOf(c.req.raw, c.env) : undefined;
  app.all('/status', statusPage(deps.reader, deps.logger, clientOf));
  if (rateLimit && limiter) {
    const keyOf = rateLimit.keyOf;
    app.use('*', createRateLimit({ ...rateLimit, keyOf: (c) => keyOf(c.req.raw, c.env) }, limiter));
  }
  app.all('*', serve);
  app.onError((error, c) => {
    deps.logger?.error('unhandled error while serving', {
      path: c.req.path,
      client: clientOf?.(c),
      error: error.message,
    });
    return new Response('Internal Server Error\n', {
      status: 500,
      headers: { ...BASE_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' },
    });
  });

  const fastPath = createFastPath({ reader: deps.reader, planner, decisions, limiter });
  const route = app.fetch;
  app.fetch = (request, env, executionCtx) => {
    const url = request.url;
    const target = url.slice(url.indexOf('/', url.indexOf('//') + 2));
    const head = request.method === 'HEAD';
    const planned = fastPath(
      request.method,
      target,
      (name) => request.headers.get(name) ?? undefined,
      rateLimit?.keyOf(request, env),
    );
    return planned === null ? route(request, env, executionCtx) : toResponse(planned, head);
  };
  return { app, route, fastPath };
}

export function createApp(deps: AppDeps): Hono {
  return createServing(deps).app;
}
