/**
 * `kiosque serve`: builds once at start, regenerates on the schedule (never two runs at
 * once, each after an optional random jitter) and serves what was published with the Hono app
 * on Node. SIGTERM/SIGINT stop the schedule, let a run in progress finish within
 * `shutdownGraceSeconds` (else abandon it before publishing), then close the server.
 *
 * Must not: render or clean during a request (the app only reads what was published).
 */
import { type ServerType, serve } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { createApp } from '../app/create-app.ts';
import { createStorageReader } from '../app/published-reader.ts';
import type { KiosqueConfig } from '../config.ts';
import { createScheduler } from '../drivers/schedule/node-cron-scheduler.ts';
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
  const app = createApp({
    reader,
    logger,
    maxAgeSeconds: config.ttlMinutes * 60,
    feedLimits: config.feedLimits,
    // Keyed by the socket's address: X-Forwarded-For is client-controlled unless a proxy sets it.
    rateLimit: { ...config.rateLimit, keyOf: (c) => getConnInfo(c).remote.address },
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
    const report = await runBuild(config, deps, { signal: running.signal });
    await reader.reload();
    if (!report.ok) logger.error('regeneration failed', { error: report.error });
  };
  const scheduler = createScheduler({ schedule: config.schedule, job: build, logger });
  const server: ServerType = await new Promise((resolveServer) => {
    const s = serve({ fetch: app.fetch, hostname: config.host, port: config.port }, () => resolveServer(s));
  });
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
      await fetchDriver?.close();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}
