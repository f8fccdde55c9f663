/**
 * `kiosque serve`: builds once at start, regenerates on the schedule (never two runs at
 * once, each after an optional random jitter) and serves what was published with the Hono app
 * on Node. A content watcher tells each run which files changed (drivers/watch/content-watcher.ts);
 * when it cannot vouch for its list, and at least hourly, the run compares every file instead. SIGTERM/SIGINT stop the schedule, let a run in progress finish within
 * `shutdownGraceSeconds` (else abandon it before publishing), then close the server.
 *
 * Requests: a published document the reader already holds is answered by the app's fast path
 * straight from the IncomingMessage (writeHead + end with precomputed headers and bytes: no
 * Request/Response objects, no promise); everything else goes through @hono/node-server to
 * the Hono router.
 *
 * Must not: render or clean during a request (the app only reads what was published).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { getRequestListener, type HttpBindings } from '@hono/node-server';
import { createServing } from '../app/create-app.ts';
import type { FastPath } from '../app/fast-path.ts';
import { createStorageReader } from '../app/published-reader.ts';
import type { KiosqueConfig } from '../config.ts';
import { createScheduler } from '../drivers/schedule/node-cron-scheduler.ts';
import { createContentWatcher } from '../drivers/watch/content-watcher.ts';
import type { Logger } from '../ports/logger.ts';
import { createNodeDeps, createNodeFetch, createNodeNotifier, runBuild } from './node-runtime.ts';

export interface RunningServer {
  /** Base URL the server listens on. */
  readonly url: string;
  /** Stops the schedule, waits for a run in progress, closes the server. */
  close(): Promise<void>;
}

export async function startNodeServer(config: KiosqueConfig, logger: Logger): Promise<RunningServer> {
  const notifier = createNodeNotifier(config, logger);
  const fetchDriver = createNodeFetch(config, logger);
  const deps = createNodeDeps(config, logger, notifier, fetchDriver);
  // Shutdown: `waiting` cancels a jitter delay at once; `running` abandons a run after the grace period.
  const waiting = new AbortController();
  const running = new AbortController();
  let firstRun = true;
  const reader = createStorageReader(deps.published);
  // Started before the first run, so nothing written after that run's comparison is missed.
  const watcher = createContentWatcher(config.contentDir, logger);
  const serving = createServing({
    reader,
    logger,
    siteUrl: config.site.baseUrl,
    maxAgeSeconds: config.ttlMinutes * 60,
    feedLimits: config.feedLimits,
    // Keyed by the socket's address: X-Forwarded-For is client-controlled unless a proxy sets it.
    rateLimit: {
      ...config.rateLimit,
      keyOf: (_request, env) => clientAddress((env as HttpBindings).incoming),
    },
    ...(notifier ? { websub: () => notifier.status() } : {}),
  });
  const build = async (): Promise<void> => {
    const jitterMs = firstRun ? 0 : Math.floor(Math.random() * config.remote.scheduleJitterSeconds * 1000);
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
    const changedKeys = watcher.take();
    const report = await runBuild(config, deps, {
      signal: running.signal,
      ...(changedKeys ? { changedKeys } : {}),
    });
    await reader.reload();
    if (!report.ok) logger.error('regeneration failed', { error: report.error });
  };
  const scheduler = createScheduler({ schedule: config.schedule, job: build, logger });
  const routed = getRequestListener(serving.route);
  const server: Server = createServer((incoming, outgoing) => {
    let answered = false;
    try {
      answered = answerFast(serving.fastPath, incoming, outgoing);
    } catch (error) {
      // Never crash the process on one request: the router answers (500 at worst) unless the
      // fast path already started writing, in which case the connection is dropped.
      logger.error('fast path failed', { path: incoming.url, error: (error as Error).message });
      if (outgoing.headersSent) {
        outgoing.destroy();
        return;
      }
    }
    if (!answered) void routed(incoming, outgoing);
  });
  await new Promise<void>((listening) => server.listen(config.port, config.host, listening));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  logger.info('kiosque serving', { url, schedule: config.schedule });
  void scheduler.runNow();
  return {
    url,
    async close() {
      waiting.abort();
      const stopped = scheduler.stop();
      // A run in progress may finish within the grace period; after it, it is abandoned before
      // publishing (publishing itself is atomic: never a half-published feed).
      const grace = setTimeout(() => running.abort(), config.remote.shutdownGraceSeconds * 1000);
      await stopped;
      clearTimeout(grace);
      running.abort();
      watcher.close();
      await fetchDriver?.close();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}

/** The rate-limit key of a Node request: the connecting address (never a client-set header). */
function clientAddress(incoming: IncomingMessage): string | undefined {
  return incoming.socket.remoteAddress;
}

/**
 * The Host values @hono/node-server accepts without parsing a URL; anything else (and a missing
 * Host) takes the router path, which validates it the same way as before.
 */
const SIMPLE_HOST = /^[a-z0-9._-]+(?::(?:[1-5]\d{3,4}|[6-9]\d{3}))?$/;

/** Tries the app's fast path on the raw request; false when the router must answer. */
function answerFast(fastPath: FastPath, incoming: IncomingMessage, outgoing: ServerResponse): boolean {
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
    clientAddress(incoming),
  );
  if (planned === null) return false;
  outgoing.writeHead(planned.status, planned.headers);
  if (planned.body === null || incoming.method === 'HEAD') outgoing.end();
  else outgoing.end(planned.body);
  return true;
}
