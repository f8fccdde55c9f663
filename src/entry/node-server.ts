/**
 * `kiosque serve`: builds once at start, regenerates on the schedule (never two runs at
 * once) and serves what was published with the Hono app on Node. SIGTERM/SIGINT stop the
 * schedule, let a run in progress finish, then close the server.
 *
 * Must not: render or clean during a request (the app only reads what was published).
 */
import { type ServerType, serve } from '@hono/node-server';
import { createApp } from '../app/create-app.ts';
import { createStorageReader } from '../app/published-reader.ts';
import type { KiosqueConfig } from '../config.ts';
import { createScheduler } from '../drivers/schedule/node-cron-scheduler.ts';
import type { Logger } from '../ports/logger.ts';
import { createNodeDeps, runBuild } from './node-runtime.ts';

export interface RunningServer {
  /** Base URL the server listens on. */
  readonly url: string;
  /** Stops the schedule, waits for a run in progress, closes the server. */
  close(): Promise<void>;
}

export async function startNodeServer(config: KiosqueConfig, logger: Logger): Promise<RunningServer> {
  const deps = createNodeDeps(config, logger);
  const reader = createStorageReader(deps.published);
  const app = createApp({ reader, logger, maxAgeSeconds: config.ttlMinutes * 60 });
  const build = async (): Promise<void> => {
    const report = await runBuild(config, deps);
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
      await scheduler.stop();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}
