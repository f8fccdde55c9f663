/**
 * Cloudflare Worker entry: `export default { fetch, scheduled }` wiring the same core and app as
 * the Node entry to the platform.
 *   scheduled (cron trigger) → `await import()` of the pipeline module (worker-pipeline.ts, built
 *     into generated/worker-pipeline.mjs) → regenerate(content bundle + remote sources through the
 *     global fetch, R2 feeds, R2 state) under ctx.waitUntil
 *   fetch → createApp over a storage reader of the same R2 feeds bucket (503 until the first build)
 *
 * Two modules, so a cold start stays small: this file is the startup module (app, reader, R2,
 * config: what a request needs); the pipeline (cleaner, parsers, renderers, language data) is a
 * second ES module that only `scheduled` loads, once per isolate. See wrangler.toml
 * (`find_additional_modules`) and scripts/build-worker-pipeline.mjs.
 *
 * Bindings arrive in `env` and are handed to the drivers explicitly; nothing is looked up on
 * globalThis. Storage choice (see the README, "Deploying to Cloudflare Workers"): R2 for both the
 * published documents and the state ledger, because both need read-after-write consistency (the
 * manifest swap; first-seen dates that must never move) which KV's ~60 s propagation does not
 * give. Content is compiled into the pipeline module (generated/content-bundle.ts, from
 * scripts/bundle-content.ts).
 *
 * Must not: import the pipeline, regenerate.ts or the content bundle at runtime (type imports
 * only: a value import bundles them back into the startup module), render or clean during a
 * request, or read config from anywhere but `env` (mapped by worker-config.ts). Runs are
 * serialised per isolate only: overlapping cron runs across isolates are not expected at a
 * 15-minute schedule (a run takes well under a second).
 */
import type { Hono } from 'hono';
import { createApp } from '../app/create-app.ts';
import { createStorageReader, type StorageReader } from '../app/published-reader.ts';
import type { KiosqueConfig } from '../config.ts';
import type { BuildReport, RegenerateOptions } from '../core/orchestrate/regenerate.ts';
import { createSystemClock } from '../drivers/clock/system-clock.ts';
import { createWorkerConsoleLogger } from '../drivers/logger/worker-console-logger.ts';
import { createR2Storage, type R2BucketLike } from '../drivers/storage/r2.ts';
import type { Clock } from '../ports/clock.ts';
import type { Logger } from '../ports/logger.ts';
import type { Storage } from '../ports/storage.ts';
import { configFromWorkerVars, siteInfoFromConfig, type WorkerVars } from './worker-config.ts';

/** The bindings and vars wrangler.toml declares. */
export interface WorkerEnv extends WorkerVars {
  /** R2 bucket for published documents, the manifest and the build status. */
  readonly FEEDS: R2BucketLike;
  /** R2 bucket for the state ledger (ids, first-seen dates, content hashes). */
  readonly STATE: R2BucketLike;
}

/** The parts of the platform's ScheduledController and ExecutionContext this entry uses. */
export interface ScheduledControllerLike {
  readonly cron: string;
  readonly scheduledTime: number;
}
export interface ExecutionContextLike {
  waitUntil(promise: Promise<unknown>): void;
}

export interface WorkerHandlers {
  fetch(request: Request, env: WorkerEnv, ctx: ExecutionContextLike): Promise<Response>;
  scheduled(controller: ScheduledControllerLike, env: WorkerEnv, ctx: ExecutionContextLike): Promise<void>;
}

/** The lazily loaded pipeline module's interface (types only: nothing of it is bundled here). */
export type WorkerPipeline = Pick<typeof import('./worker-pipeline.ts'), 'runEdgeBuild'>;

/**
 * The pipeline module, as uploaded next to this one (scripts/build-worker-pipeline.mjs writes it;
 * wrangler keeps the import external because the file matches wrangler.toml's `[[rules]]`).
 * Evaluated on the first scheduled run of an isolate, then cached by the runtime's module map.
 */
const loadBuiltPipeline = (): Promise<WorkerPipeline> => import('./generated/worker-pipeline.mjs');

export interface WorkerOptions {
  /** Source articles; default: content/ as compiled into the pipeline module. */
  readonly content?: Storage;
  readonly logger?: Logger;
  readonly clock?: Clock;
  /** Loads the pipeline; default: `import()` of the generated module. Tests may count the calls. */
  readonly loadPipeline?: () => Promise<WorkerPipeline>;
}

/** Everything built from one env: kept per isolate so the reader's cache survives between requests. */
interface Runtime {
  readonly config: KiosqueConfig;
  readonly published: Storage;
  readonly state: Storage;
  readonly reader: StorageReader;
  readonly app: Hono;
  running: Promise<BuildReport> | null;
}

/**
 * Cloudflare rewrites a Worker's incoming Accept-Encoding to `br, gzip` and keeps the client's own
 * value in `request.cf.clientAcceptEncoding`. The app must negotiate on the client's value: the
 * edge only decodes gzip for identity clients for some types (not application/atom+xml or
 * application/feed+json), so answering the rewritten header would send gzip to clients that
 * cannot read it. https://developers.cloudflare.com/workers/runtime-apis/request/#incomingrequestcfproperties
 */
function withClientAcceptEncoding(request: Request): Request {
  const original = (request as Request & { cf?: { clientAcceptEncoding?: unknown } }).cf
    ?.clientAcceptEncoding;
  if (typeof original !== 'string') return request;
  const headers = new Headers(request.headers);
  if (original === '') headers.delete('Accept-Encoding');
  else headers.set('Accept-Encoding', original);
  return new Request(request, { headers });
}

/**
 * The app answers with precomputed gzip bytes and `Content-Encoding: gzip`. By default the Workers
 * runtime treats a body as unencoded and compresses it again for that header (the client would
 * gunzip once and get gzip); `encodeBody: 'manual'` sends the bytes as they are. Cloudflare's edge
 * still decodes for a client that did not accept gzip.
 * https://developers.cloudflare.com/workers/runtime-apis/response/#parameters
 */
function sendPreEncoded(response: Response): Response {
  if (!response.headers.has('Content-Encoding')) return response;
  const init: ResponseInit & { encodeBody: 'manual' } = {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
    encodeBody: 'manual',
  };
  return new Response(response.body, init);
}

export function createWorker(options: WorkerOptions): WorkerHandlers {
  const logger = options.logger ?? createWorkerConsoleLogger();
  const clock = options.clock ?? createSystemClock();
  const loadPipeline = options.loadPipeline ?? loadBuiltPipeline;
  // Keyed by env: the platform passes the same env object for the isolate's lifetime, and a test
  // passing another env gets its own runtime (no module-level singleton to reset).
  const runtimes = new WeakMap<WorkerEnv, Runtime>();

  function runtimeFor(env: WorkerEnv): Runtime {
    const existing = runtimes.get(env);
    if (existing) return existing;
    const config = configFromWorkerVars(env);
    const published = createR2Storage(env.FEEDS);
    const reader = createStorageReader(published, { clock, logger });
    const runtime: Runtime = {
      config,
      published,
      state: createR2Storage(env.STATE),
      reader,
      app: createApp({
        reader,
        logger,
        siteUrl: config.site.baseUrl,
        maxAgeSeconds: config.ttlMinutes * 60,
        // Per isolate, keyed on the client address Cloudflare's edge sets (clients cannot forge it).
        ...(config.rateLimit.requests > 0
          ? {
              rateLimit: {
                ...config.rateLimit,
                keyOf: (request: Request) => request.headers.get('cf-connecting-ip') ?? undefined,
              },
            }
          : {}),
      }),
      running: null,
    };
    runtimes.set(env, runtime);
    return runtime;
  }

  async function build(runtime: Runtime): Promise<BuildReport> {
    const { config } = runtime;
    // Same options as the Node entry (node-runtime.ts runBuild); the pipeline module pings the
    // WebSub hubs through the global fetch when a feed's bytes change.
    const regenerateOptions: RegenerateOptions = {
      site: siteInfoFromConfig(config),
      feedSize: config.feedSize,
      sources: config.remote.sources,
      retentionDays: config.remote.retentionDays,
      ...(config.allowRemovals ? { allowRemovals: true } : {}),
      documentsPerBuild: config.limits.documentsPerBuild,
      syndication: {
        archivePageSize: config.archivePageSize,
        feedLimits: config.feedLimits,
        hubs: config.hubs,
      },
    };
    const { runEdgeBuild } = await loadPipeline();
    const report = await runEdgeBuild({
      ...(options.content ? { content: options.content } : {}),
      published: runtime.published,
      state: runtime.state,
      clock,
      logger,
      options: regenerateOptions,
    });
    // This isolate serves the new version at once; others pick it up within the reader's refresh.
    await runtime.reader.reload();
    // Another invocation holds the publish lock: it publishes; this one changed nothing (logged).
    if (report.busy) return report;
    if (!report.ok) throw new Error(`regeneration failed: ${report.error ?? 'unknown error'}`);
    return report;
  }

  return {
    async fetch(request, env) {
      let runtime: Runtime;
      try {
        runtime = runtimeFor(env);
      } catch (error) {
        logger.error('worker configuration is invalid', { error: (error as Error).message });
        return new Response('Service misconfigured; see the Worker logs\n', {
          status: 500,
          headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' },
        });
      }
      return sendPreEncoded(await runtime.app.fetch(withClientAcceptEncoding(request)));
    },

    async scheduled(controller, env, ctx) {
      const runtime = runtimeFor(env);
      if (controller.cron && controller.cron !== runtime.config.schedule) {
        // Feeds announce ttl and max-age from SCHEDULE; a different trigger makes them lie.
        logger.warn('cron trigger differs from the SCHEDULE var', {
          cron: controller.cron,
          schedule: runtime.config.schedule,
        });
      }
      if (runtime.running) {
        logger.warn('scheduled run skipped: the previous run is still in progress');
        ctx.waitUntil(runtime.running);
        return;
      }
      const run = build(runtime).finally(() => {
        runtime.running = null;
      });
      runtime.running = run;
      ctx.waitUntil(run);
    },
  };
}

export default createWorker({});
