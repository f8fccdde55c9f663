// Runs inside workerd (vitest.workers.config.ts): a changed SITE_URL in the Worker's vars takes
// effect on the next scheduled run, in every published document (issue 19), with no `--full`.
import {
  createExecutionContext,
  createScheduledController,
  env,
  reset,
  waitOnExecutionContext,
} from 'cloudflare:test';
import { afterEach, describe, expect, it } from 'vitest';
import { loadManifest } from '../../src/core/publish/manifest-store.ts';
import { createR2Storage } from '../../src/drivers/storage/r2.ts';
import worker, { type WorkerEnv } from '../../src/entry/worker.ts';

afterEach(() => reset());

async function runScheduled(bindings: WorkerEnv): Promise<void> {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ cron: '*/15 * * * *' }), bindings, ctx);
  await waitOnExecutionContext(ctx);
}

/** Route → text of every published document (the bytes the manifest names). */
async function publishedTexts(): Promise<Map<string, string>> {
  const feeds = createR2Storage(env.FEEDS);
  const manifest = await loadManifest(feeds);
  const out = new Map<string, string>();
  for (const [path, entry] of Object.entries(manifest?.documents ?? {})) {
    const stored = await feeds.get(entry.key);
    out.set(path, new TextDecoder().decode(stored?.body));
  }
  return out;
}

describe('worker: settings are inputs of every document', () => {
  it('a changed SITE_URL reaches every document on the next scheduled run', async () => {
    const oldUrl = String(env.SITE_URL);
    await runScheduled(env);
    const before = await publishedTexts();
    expect([...before.values()].filter((text) => text.includes(oldUrl)).length).toBeGreaterThan(10);

    const newUrl = 'https://moved.example/kiosque';
    // A new env object, as after a deploy with other [vars]: the Worker builds a new runtime.
    await runScheduled({ ...env, SITE_URL: newUrl });
    const after = await publishedTexts();
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    const stale = [...after].filter(([, text]) => text.includes(oldUrl)).map(([path]) => path);
    expect(stale).toEqual([]);
    const feed = JSON.parse(after.get('/feed.json') ?? '{}') as {
      home_page_url?: string;
      items?: { url: string }[];
    };
    expect(feed.home_page_url).toBe(`${newUrl}/`);
    expect(feed.items?.every((item) => item.url.startsWith(`${newUrl}/articles/`))).toBe(true);
  });
});
