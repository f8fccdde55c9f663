/**
 * The Hono app: HTTP requests → what was published (feeds, HTML pages) and /healthz.
 * Routes: `/feed.xml`, `/atom.xml`, `/feed.json`, `/`, `/articles/:slug` and any other path the
 * manifest lists are served by one generic handler (content types come from the manifest);
 * `/healthz` reports the last build.
 *
 * Must not: render, clean, hash or compress during a request (no Hono etag/compress middleware:
 * both work per request; our validators and variants are precomputed at publish time), or
 * look up bindings on globalThis (the reader is injected).
 * Tunables: `maxAgeSeconds` (Cache-Control max-age, default DEFAULT_MAX_AGE_SECONDS).
 */
import { Hono } from 'hono';
import type { Logger } from '../ports/logger.ts';
import { BASE_HEADERS } from './http/plain-response.ts';
import type { PublishedReader } from './published-reader.ts';
import { healthz } from './routes/healthz.ts';
import { servePublished } from './routes/serve-published.ts';

/** Five minutes: short enough that a regeneration shows up soon, long enough to absorb bursts. */
const DEFAULT_MAX_AGE_SECONDS = 300;

export interface AppDeps {
  readonly reader: PublishedReader;
  readonly logger?: Logger;
  readonly maxAgeSeconds?: number;
}

export function createApp(deps: AppDeps): Hono {
  const app = new Hono();
  const serve = servePublished({
    reader: deps.reader,
    maxAgeSeconds: deps.maxAgeSeconds ?? DEFAULT_MAX_AGE_SECONDS,
    logger: deps.logger,
  });
  app.all('/healthz', healthz(deps.reader, deps.logger));
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
