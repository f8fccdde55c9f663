/**
 * `kiosque serve`: builds once at start, regenerates on the schedule (never two runs at
 * once, each after an optional random jitter) and serves what was published with the Hono app
 * on Node. A content watcher tells each run which files changed (drivers/watch/content-watcher.ts);
 * when it cannot vouch for its list, and at least hourly, the run compares every file instead.
 * Publish on change: the same watcher's events ask for a debounced run (one run a second or so
 * after the last write, batching bursts; drivers/watch/publish-on-change.ts), without jitter; a
 * change during a run gets one more run after it. SIGTERM/SIGINT stop the schedule, let a run in progress finish within
 * `shutdownGraceSeconds` (else abandon it before publishing), then close the server.
 *
 * Requests: a published document the reader already holds is answered by the app's fast path
 * straight from the IncomingMessage (writeHead + end with precomputed headers and bytes: no
 * Request/Response objects, no promise); everything else goes through @hono/node-server to
 * the Hono router.
 *
 * Addresses: the server listens first, so the base URL can follow the real port when neither
 * SITE_URL nor site.baseUrl is given (port 0 included); a base URL that was given and cannot reach
 * the listen address directly is reported once, as a warning (src/listen-url.ts). The client of a
 * request is the socket's address, or behind a `trustProxy` proxy the client its forwarding
 * headers name (app/http/client-address.ts); rate limits and logs use it.
 *
 * Must not: render or clean during a request (the app only reads what was published).
 */
import {
  createServer,
  type IncomingMessage,
  type RequestListener,
  type Server,
  type ServerResponse,
} from 'node:http';
import { getRequestListener, type HttpBindings } from '@hono/node-server';
import { createServing } from '../app/create-app.ts';
import type { FastPath } from '../app/fast-path.ts';
import {
  compileTrustedProxies,
  resolveClientAddress,
  type TrustedProxies,
} from '../app/http/client-address.ts';
import { createStorageReader } from '../app/published-reader.ts';
import type { KiosqueConfig } from '../config.ts';
import { createScheduler } from '../drivers/schedule/node-cron-scheduler.ts';
import { createContentWatcher } from '../drivers/watch/content-watcher.ts';
import { createChangeTrigger } from '../drivers/watch/publish-on-change.ts';
import { listenUrl, settleBaseUrl } from '../listen-url.ts';
import type { Logger } from '../ports/logger.ts';
import { createNodeDeps, createNodeFetch, createNodeNotifier, runBuild } from './node-runtime.ts';

export interface RunningServer {
  /** Base URL the server listens on. */
  readonly url: string;
  /** The config it serves with: `site.baseUrl` follows the real port unless it was given. */
  readonly config: KiosqueConfig;
  /** Stops the schedule, waits for a run in progress, closes the server. */
  close(): Promise<void>;
}

/** Listens on config.host:port; resolves to the server and the port it got (port 0: any free one). */
async function listen(
  config: KiosqueConfig,
  handle: RequestListener,
): Promise<{ server: Server; port: number }> {
  const server = createServer(handle);
  await new Promise<void>((listening, failed) => {
    server.once('error', failed);
    server.listen(config.port, config.host, () => {
      server.off('error', failed);
      listening();
    });
  });
  const address = server.address();
  return { server, port: typeof address === 'object' && address ? address.port : config.port };
}

/** The config with the base URL settled for the real port; warns once when links will not work. */
function withSettledBaseUrl(config: KiosqueConfig, port: number, logger: Logger): KiosqueConfig {
  const { baseUrl, warning } = settleBaseUrl(config.site.baseUrl, config.baseUrlSource, config.host, port);
  if (warning !== null) logger.warn(warning);
  return baseUrl === config.site.baseUrl ? config : { ...config, site: { ...config.site, baseUrl } };
}

export async function startNodeServer(given: KiosqueConfig, logger: Logger): Promise<RunningServer> {
  // Listen first: the base URL may depend on the port. `handle` is set synchronously once
  // listening, before a connection can be served; the 503 is only a guard.
  let handle: RequestListener | null = null;
  const { server, port } = await listen(given, (incoming, outgoing) => {
    if (handle) handle(incoming, outgoing);
    else outgoing.writeHead(503, { 'Retry-After': '1' }).end();
  });
  try {
    const config = withSettledBaseUrl(given, port, logger);
    const url = listenUrl(config.host, port);
    const running = startServing(config, logger, url);
    handle = running.handle;
    return {
      url,
      config,
      async close() {
        await running.stop();
        await new Promise<void>((done) => server.close(() => done()));
      },
    };
  } catch (error) {
    server.close();
    throw error;
  }
}

/** Everything but the socket: schedule, watcher, app; `handle` answers requests. */
function startServing(
  config: KiosqueConfig,
  logger: Logger,
  url: string,
): { handle: RequestListener; stop: () => Promise<void> } {
  const trusted = compileTrustedProxies(config.trustProxy);
  const notifier = createNodeNotifier(config, logger);
  const fetchDriver = createNodeFetch(config, logger);
  const deps = createNodeDeps(config, logger, notifier, fetchDriver);
  // Shutdown: `waiting` cancels a jitter delay at once; `running` abandons a run after the grace period.
  const waiting = new AbortController();
  const running = new AbortController();
  let firstRun = true;
  const reader = createStorageReader(deps.published);
  // Publish on change: every event under content/ asks for one debounced run (runSoon: after the
  // run in progress, if any). Assigned once the scheduler exists; events before it are covered by
  // the first run.
  let onChange: () => void = () => {};
  // Started before the first run, so nothing written after that run's comparison is missed.
  const watcher = createContentWatcher(config.contentDir, logger, { onChange: () => onChange() });
  const serving = createServing({
    reader,
    logger,
    siteUrl: config.site.baseUrl,
    maxAgeSeconds: config.ttlMinutes * 60,
    feedLimits: config.feedLimits,
    // Keyed by the client address: the socket's, or the one a trusted proxy names (never a
    // header from anyone else: X-Forwarded-For is client-controlled).
    rateLimit: {
      ...config.rateLimit,
      keyOf: (_request, env) => clientAddress((env as HttpBindings).incoming, trusted),
    },
    ...(notifier ? { websub: () => notifier.status() } : {}),
  });
  let lastFailed = false;
  // A run asked for by a content change starts at once: jitter spreads upstream requests of
  // scheduled runs only.
  let changeRequested = false;
  const build = async (): Promise<void> => {
    const immediate = firstRun || changeRequested;
    changeRequested = false;
    const jitterMs = immediate ? 0 : Math.floor(Math.random() * config.remote.scheduleJitterSeconds * 1000);
    firstRun = false;
    if (jitterMs > 0) {
      // Spread many instances' upstream requests; a shutdown during the wait skips the run.
      const skipped = await new Promise<boolean>((done) => {
        const timer = setTimeout(() => done(false), jitterMs);
        const cancel = () => {
          clearTimeout(timer);
          done(true);
        };
        waiting.signal.addEventListener('abort', cancel, { once: true });
      });
      if (skipped) return;
    }
    if (running.signal.aborted) return;
    // After a failed or refused run the watcher's keys were spent without effect: compare everything.
    const taken = watcher.take();
    const changedKeys = lastFailed ? null : taken;
    const report = await runBuild(config, deps, {
      signal: running.signal,
      ...(changedKeys ? { changedKeys } : {}),
    });
    lastFailed = !report.ok;
    await reader.reload();
    // Busy: another process (a manual `kiosque build`, a replica) holds the publish lock and publishes.
    if (report.busy) logger.warn('regeneration skipped: another build holds the publish lock');
    else if (!report.ok) logger.error('regeneration failed', { error: report.error });
  };
  const scheduler = createScheduler({ schedule: config.schedule, job: build, logger });
  const trigger = createChangeTrigger({
    request: () => {
      changeRequested = true;
      return scheduler.runSoon();
    },
    logger,
  });
  onChange = () => trigger.notify();
  const routed = getRequestListener(serving.route);
  const handle: RequestListener = (incoming, outgoing) => {
    let answered = false;
    try {
      answered = answerFast(serving.fastPath, incoming, outgoing, trusted);
    } catch (error) {
      // Never crash the process on one request: the router answers (500 at worst) unless the
      // fast path already started writing, in which case the connection is dropped.
      logger.error('fast path failed', {
        path: incoming.url,
        client: clientAddress(incoming, trusted),
        error: (error as Error).message,
      });
      if (outgoing.headersSent) {
        outgoing.destroy();
        return;
      }
    }
    if (!answered) void routed(incoming, outgoing);
  };
  logger.info('kiosque serving', {
    url,
    baseUrl: config.site.baseUrl,
    schedule: config.schedule,
    ...(config.trustProxy.length > 0 ? { trustProxy: config.trustProxy.join(',') } : {}),
  });
  void scheduler.runNow();
  return {
    handle,
    async stop() {
      waiting.abort();
      trigger.close();
      const stopped = scheduler.stop();
      // A run in progress may finish within the grace period; after it, it is abandoned before
      // publishing (publishing itself is atomic: never a half-published feed).
      const grace = setTimeout(() => running.abort(), config.remote.shutdownGraceSeconds * 1000);
      await stopped;
      clearTimeout(grace);
      running.abort();
      watcher.close();
      await fetchDriver?.close();
    },
  };
}

/** The client of a Node request: the socket's address, or whom a trusted proxy names. */
function clientAddress(incoming: IncomingMessage, trusted: TrustedProxies): string | undefined {
  const peer = incoming.socket.remoteAddress;
  if (trusted.ranges.length === 0) return peer;
  const { headers } = incoming;
  const forwardedFor = headers['x-forwarded-for'];
  const forwarded = headers.forwarded;
  return resolveClientAddress(
    peer,
    {
      forwardedFor: typeof forwardedFor === 'string' ? forwardedFor : undefined,
      forwarded: typeof forwarded === 'string' ? forwarded : undefined,
    },
    trusted,
  );
}

/**
 * The Host values @hono/node-server accepts without parsing a URL; anything else (and a missing
 * Host) takes the router path, which validates it the same way as before.
 */
const SIMPLE_HOST = /^[a-z0-9._-]+(?::(?:[1-5]\d{3,4}|[6-9]\d{3}))?$/;

/** Tries the app's fast path on the raw request; false when the router must answer. */
function answerFast(
  fastPath: FastPath,
  incoming: IncomingMessage,
  outgoing: ServerResponse,
  trusted: TrustedProxies,
): boolean {
  const target = incoming.url;
  const headers = incoming.headers;
  const host = headers.host;
  if (target === undefined || host === undefined || !SIMPLE_HOST.test(host)) return false;
  const planned = fastPath(
    incoming.method ?? '',
    target,
    (name) => {
      const value = headers[name];
      return typeof value === 'string' ? value : undefined;
    },
    clientAddress(incoming, trusted),
  );
  if (planned === null) return false;
  outgoing.writeHead(planned.status, planned.headers);
  if (planned.body === null || incoming.method === 'HEAD') outgoing.end();
  else outgoing.end(planned.body);
  return true;
}
