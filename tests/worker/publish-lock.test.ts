// Runs inside workerd (vitest.workers.config.ts): the scheduled handler under the publish lock,
// whose lease lives in the STATE R2 bucket (taken with a conditional put). A run that finds a live
// lease held by another invocation changes nothing and does not fail the event; an expired lease
// (a killed invocation) is taken over and the run publishes.
import {
  createExecutionContext,
  createScheduledController,
  env,
  reset,
  waitOnExecutionContext,
} from 'cloudflare:test';
import { afterEach, describe, expect, it } from 'vitest';
import { LOCK_KEY } from '../../src/core/publish/publish-lock.ts';
import { createWorker } from '../../src/entry/worker.ts';

const messages: string[] = [];
const logger = {
  debug() {},
  info() {},
  warn: (message: string) => messages.push(message),
  error: (message: string) => messages.push(message),
};

async function emptyBucket(bucket: typeof env.FEEDS): Promise<void> {
  for (let listed = await bucket.list(); listed.objects.length > 0; listed = await bucket.list()) {
    await bucket.delete(listed.objects.map((object) => object.key));
  }
}

afterEach(async () => {
  messages.length = 0;
  await reset();
  await emptyBucket(env.FEEDS);
  await emptyBucket(env.STATE);
});

/** The Worker with the built pipeline module, told not to wait for a held lock (no wall-clock waits). */
function workerWithoutWait() {
  return createWorker({
    logger,
    loadPipeline: async () => {
      const pipeline = await import('../../src/entry/generated/worker-pipeline.mjs');
      return {
        runEdgeBuild: (input: Parameters<typeof pipeline.runEdgeBuild>[0]) =>
          pipeline.runEdgeBuild({ ...input, lock: { waitMs: 0 } }),
      };
    },
  });
}

async function runScheduled(): Promise<void> {
  const ctx = createExecutionContext();
  await workerWithoutWait().scheduled(createScheduledController({ cron: '*/15 * * * *' }), env, ctx);
  await waitOnExecutionContext(ctx);
}

function lease(owner: string, acquiredAt: Date, expiresAt: Date): ArrayBuffer {
  const json = JSON.stringify({
    owner,
    acquiredAt: acquiredAt.toISOString(),
    expiresAt: expiresAt.toISOString(),
  });
  return new TextEncoder().encode(json).buffer as ArrayBuffer;
}

describe('worker scheduled handler and the publish lock', () => {
  it('skips the run, publishing nothing and not failing the event, while another invocation holds the lease', async () => {
    const now = Date.now();
    await env.STATE.put(LOCK_KEY, lease('worker:other', new Date(now), new Date(now + 3_600_000)));
    await runScheduled();
    expect((await env.FEEDS.list()).objects).toEqual([]);
    expect((await env.STATE.list()).objects.map((o) => o.key)).toEqual([LOCK_KEY]);
    expect(messages.some((m) => m.includes('scheduled run skipped: another build is publishing'))).toBe(true);
  });

  it('takes over an expired lease and publishes, then releases it', async () => {
    const now = Date.now();
    await env.STATE.put(LOCK_KEY, lease('worker:killed', new Date(now - 600_000), new Date(now - 480_000)));
    await runScheduled();
    expect(await env.FEEDS.get('manifest.json')).not.toBeNull();
    expect(await env.STATE.get(LOCK_KEY)).toBeNull();
    expect(messages.some((m) => m.includes('took over an expired lease'))).toBe(true);
  });
});
