// Runs inside workerd (vitest.workers.config.ts): the Worker entry end to end, against the local R2
// buckets wrangler.toml declares. `SELF` calls the real default export (src/entry/worker.ts) with
// the real env; `worker.scheduled` is the same module instance.
import {
  createExecutionContext,
  createScheduledController,
  env,
  reset,
  SELF,
  waitOnExecutionContext,
} from 'cloudflare:test';
import { afterEach, describe, expect, it } from 'vitest';
import { MANIFEST_KEY } from '../../src/core/publish/manifest.ts';
import { loadManifest } from '../../src/core/publish/manifest-store.ts';
import { createMemoryStorage } from '../../src/drivers/storage/memory.ts';
import { createR2Storage } from '../../src/drivers/storage/r2.ts';
import worker, { createWorker, type WorkerEnv } from '../../src/entry/worker.ts';

const BASE = 'http://127.0.0.1:8787';
const silent = { debug() {}, info() {}, warn() {}, error() {} };

/** Deletes every object of a bucket, page by page, until a listing finds none. */
async function emptyBucket(bucket: typeof env.FEEDS): Promise<void> {
  for (let listed = await bucket.list(); listed.objects.length > 0; listed = await bucket.list()) {
    await bucket.delete(listed.objects.map((object) => object.key));
  }
}

// Fresh buckets for every test. On a loaded machine reset() was seen to leave the previous
// test's STATE ledger in place while FEEDS was empty (a build still writing when its test timed
// out, or reset() racing it), so the next test's run found its items "already known" and passed
// or failed by timing. Both buckets are emptied explicitly; see docs/testing.md.
afterEach(async () => {
  await reset();
  await emptyBucket(env.FEEDS);
  await emptyBucket(env.STATE);
});

async function runScheduled(handlers = worker, bindings: WorkerEnv = env): Promise<void> {
  const ctx = createExecutionContext();
  await handlers.scheduled(createScheduledController({ cron: '*/15 * * * *' }), bindings, ctx);
  await waitOnExecutionContext(ctx);
}

/** The JSON document SELF serves at `path`; fails with the status and body when it is not a 200. */
async function servedJson(path: string): Promise<unknown> {
  const response = await SELF.fetch(`${BASE}${path}`);
  const text = await response.text();
  expect(response.status, `${path}: ${text}`).toBe(200);
  return JSON.parse(text);
}

async function gunzip(bytes: ArrayBuffer): Promise<string> {
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Response(stream).text();
}

const FEEDS = [
  ['/feed.xml', 'application/rss+xml; charset=utf-8', '<rss'],
  ['/atom.xml', 'application/atom+xml; charset=utf-8', '<feed'],
  ['/feed.json', 'application/feed+json; charset=utf-8', '"version": "https://jsonfeed.org/version/1.1"'],
  ['/', 'text/html; charset=utf-8', '<html'],
] as const;

describe('worker before the first scheduled run', () => {
  it('answers 503 for feeds and health, without a body that looks like a feed', async () => {
    const feed = await SELF.fetch(`${BASE}/feed.xml`);
    expect(feed.status).toBe(503);
    expect(feed.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    await feed.arrayBuffer();
    const health = await SELF.fetch(`${BASE}/healthz`);
    expect(health.status).toBe(503);
    await health.arrayBuffer();
  });
});

describe('worker scheduled handler', () => {
  it('publishes every feed, the manifest and the state ledger into R2', async () => {
    await runScheduled();
    const published = (await env.FEEDS.list()).objects.map((o) => o.key);
    expect(published).toEqual(expect.arrayContaining([MANIFEST_KEY, 'feed.xml', 'atom.xml', 'feed.json']));
    expect(published.filter((key) => key.startsWith('articles/') && key.endsWith('.html'))).toHaveLength(5);
    // Gzip variants are precomputed by the web-streams compressor; brotli is not available here.
    expect(published).toContain('feed.xml.gz');
    expect(published.some((key) => key.endsWith('.br'))).toBe(false);
    const state = (await env.STATE.list()).objects.map((o) => o.key);
    expect(state.filter((key) => key.startsWith('items/'))).toHaveLength(5);
  });

  it('reports the build in /healthz', async () => {
    await runScheduled();
    const health = await SELF.fetch(`${BASE}/healthz`);
    expect(health.status).toBe(200);
    const body = (await health.json()) as { build: { itemCount: number; errors: unknown[] } };
    expect(body.build.itemCount).toBe(5);
    expect(body.build.errors).toEqual([]);
  });

  it('keeps ids and dates stable across runs: a second run rewrites no article', async () => {
    type Items = { items: { id: string; url: string; date_published: string }[] };
    type Manifest = { documents: Readonly<Record<string, { etag: string }>> };
    const articleTags = (manifest: Manifest) =>
      Object.entries(manifest.documents).filter(([path]) => path.startsWith('/articles/'));
    // The manifest is a root naming shards: read it the way the app does.
    const feeds = createR2Storage(env.FEEDS);
    await runScheduled();
    const first = (await servedJson('/feed.json')) as Items;
    const firstManifest = (await loadManifest(feeds)) ?? undefined;
    await runScheduled();
    const second = (await servedJson('/feed.json')) as Items;
    const secondManifest = (await loadManifest(feeds)) ?? undefined;
    expect(second.items.map(({ id, url, date_published }) => ({ id, url, date_published }))).toEqual(
      first.items.map(({ id, url, date_published }) => ({ id, url, date_published })),
    );
    expect(articleTags(secondManifest ?? { documents: {} })).toEqual(
      articleTags(firstManifest ?? { documents: {} }),
    );
    expect(articleTags(firstManifest ?? { documents: {} })).toHaveLength(5);
  });

  it('uses the vars for the site: SITE_URL lands in the feed links', async () => {
    await runScheduled();
    const feed = (await (await SELF.fetch(`${BASE}/feed.json`)).json()) as {
      home_page_url: string;
      items: { url: string }[];
    };
    expect(feed.home_page_url).toBe(`${String(env.SITE_URL)}/`);
    expect(feed.items).toHaveLength(5);
    expect(feed.items.every((item) => item.url.startsWith(`${String(env.SITE_URL)}/articles/`))).toBe(true);
  });

  it('fails the scheduled event (so the cron shows an error) when the vars are invalid', async () => {
    const bad: WorkerEnv = { ...env, SITE_LANGUAGE: 'not a language' };
    const ctx = createExecutionContext();
    await expect(worker.scheduled(createScheduledController(), bad, ctx)).rejects.toThrow(/site\.language/);
  });

  it('reads content from the store it is given (content/ is only the default)', async () => {
    const content = createMemoryStorage();
    const paragraph =
      'Le conseil municipal a voté mardi soir le budget de la rénovation de la bibliothèque, ' +
      'après un long débat sur le calendrier des travaux et le maintien des horaires d’ouverture. ';
    const article = `---\ntitle: Seul article\n---\n\n${[1, 2, 3].map(() => paragraph.repeat(3)).join('\n\n')}\n`;
    await content.put('solo.md', new TextEncoder().encode(article));
    const handlers = createWorker({ content, logger: silent });
    await runScheduled(handlers);
    const response = await handlers.fetch(new Request(`${BASE}/feed.json`), env, createExecutionContext());
    const feed = (await response.json()) as { items: { title: string }[] };
    expect(feed.items.map((item) => item.title)).toEqual(['Seul article']);
  });
});

describe('worker pipeline module (loaded lazily)', () => {
  it('serves without loading the pipeline; a scheduled run loads it, then its result is served', async () => {
    let loads = 0;
    const handlers = createWorker({
      logger: silent,
      loadPipeline: () => {
        loads += 1;
        return import('../../src/entry/generated/worker-pipeline.mjs');
      },
    });
    const before = await handlers.fetch(new Request(`${BASE}/feed.xml`), env, createExecutionContext());
    expect(before.status).toBe(503);
    await before.arrayBuffer();
    expect(loads).toBe(0);
    await runScheduled(handlers);
    expect(loads).toBe(1);
    const after = await handlers.fetch(new Request(`${BASE}/feed.xml`), env, createExecutionContext());
    expect(after.status).toBe(200);
    expect(await after.text()).toContain('<rss');
    expect(loads).toBe(1);
  });

  it('fails the scheduled event, and keeps serving, when the pipeline module cannot be loaded', async () => {
    const handlers = createWorker({
      logger: silent,
      loadPipeline: () => Promise.reject(new Error('module not found')),
    });
    const ctx = createExecutionContext();
    await handlers.scheduled(createScheduledController({ cron: '*/15 * * * *' }), env, ctx);
    await expect(waitOnExecutionContext(ctx)).rejects.toThrow(/module not found/);
    const health = await handlers.fetch(new Request(`${BASE}/healthz`), env, createExecutionContext());
    expect(health.status).toBe(503);
    await health.arrayBuffer();
  });
});

describe('worker fetch handler (same HTTP semantics as Node)', () => {
  it.each(FEEDS)('serves %s with 200, its content type and validators', async (path, type, marker) => {
    await runScheduled();
    const response = await SELF.fetch(`${BASE}${path}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(type);
    expect(response.headers.get('etag')).toMatch(/^"[^"]+"$/);
    expect(response.headers.get('last-modified')).toMatch(/GMT$/);
    // max-age from the 15-minute schedule, as on Node.
    expect(response.headers.get('cache-control')).toMatch(/^public, max-age=900(,|$)/);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    const text = await response.text();
    expect(text).toContain(marker);
    expect(response.headers.get('content-length')).toBe(String(new TextEncoder().encode(text).byteLength));
  });

  it('answers 304 with no body to If-None-Match and to If-Modified-Since', async () => {
    await runScheduled();
    const first = await SELF.fetch(`${BASE}/feed.xml`);
    await first.arrayBuffer();
    const etag = first.headers.get('etag') ?? '';
    const byTag = await SELF.fetch(`${BASE}/feed.xml`, { headers: { 'If-None-Match': etag } });
    expect(byTag.status).toBe(304);
    expect(byTag.headers.get('etag')).toBe(etag);
    expect(await byTag.text()).toBe('');
    const byDate = await SELF.fetch(`${BASE}/feed.xml`, {
      headers: { 'If-Modified-Since': first.headers.get('last-modified') ?? '' },
    });
    expect(byDate.status).toBe(304);
    await byDate.arrayBuffer();
  });

  it('serves the precomputed gzip variant, encoded once, when the client accepts gzip', async () => {
    await runScheduled();
    const identity = await SELF.fetch(`${BASE}/feed.xml`, { headers: { 'Accept-Encoding': 'identity' } });
    const plain = await identity.text();
    expect(identity.headers.get('content-encoding')).toBeNull();
    const gzipped = await SELF.fetch(`${BASE}/feed.xml`, { headers: { 'Accept-Encoding': 'gzip, br' } });
    expect(gzipped.status).toBe(200);
    expect(gzipped.headers.get('content-encoding')).toBe('gzip');
    expect(gzipped.headers.get('vary')).toMatch(/\bAccept-Encoding\b/);
    expect(gzipped.headers.get('etag')).toBe(`${identity.headers.get('etag')?.slice(0, -1)}-gzip"`);
    // Through a binding the runtime decodes gzip for the caller: what arrives is the identity text.
    expect(await gzipped.text()).toBe(plain);
    // The handler's own response carries the stored variant as is, marked so the runtime does not
    // gzip it a second time on the way out.
    const direct = await worker.fetch(
      new Request(`${BASE}/feed.xml`, { headers: { 'Accept-Encoding': 'gzip' } }),
      env,
      createExecutionContext(),
    );
    const stored = await (await env.FEEDS.get('feed.xml.gz'))?.arrayBuffer();
    const body = await direct.arrayBuffer();
    expect(new Uint8Array(body)).toEqual(new Uint8Array(stored ?? new ArrayBuffer(0)));
    expect(await gunzip(body)).toBe(plain);
  });

  it('negotiates on the client Accept-Encoding kept in request.cf.clientAcceptEncoding, not the edge one', async () => {
    await runScheduled();
    // Cloudflare rewrites Accept-Encoding to `br, gzip` and keeps the client's value in cf.
    const asSeenByTheWorker = (clientAcceptEncoding: string): Request => {
      const init: RequestInit & { cf: { clientAcceptEncoding: string } } = {
        headers: { 'Accept-Encoding': 'br, gzip' },
        cf: { clientAcceptEncoding },
      };
      return new Request(`${BASE}/atom.xml`, init);
    };
    const identity = await worker.fetch(asSeenByTheWorker('identity'), env, createExecutionContext());
    expect(identity.headers.get('content-encoding')).toBeNull();
    expect(await identity.text()).toContain('<feed');
    const none = await worker.fetch(asSeenByTheWorker(''), env, createExecutionContext());
    expect(none.headers.get('content-encoding')).toBeNull();
    await none.arrayBuffer();
    const gzip = await worker.fetch(asSeenByTheWorker('gzip, deflate'), env, createExecutionContext());
    expect(gzip.headers.get('content-encoding')).toBe('gzip');
    expect(await gunzip(await gzip.arrayBuffer())).toContain('<feed');
  });

  it('answers HEAD with the GET headers and no body', async () => {
    await runScheduled();
    const get = await SELF.fetch(`${BASE}/atom.xml`);
    const head = await SELF.fetch(`${BASE}/atom.xml`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('etag')).toBe(get.headers.get('etag'));
    expect(head.headers.get('content-type')).toBe(get.headers.get('content-type'));
    expect(head.headers.get('content-length')).toBe(String((await get.arrayBuffer()).byteLength));
    expect(await head.text()).toBe('');
  });

  it('answers 404 for an unknown path and 405 for POST', async () => {
    await runScheduled();
    const missing = await SELF.fetch(`${BASE}/nope.xml`);
    expect(missing.status).toBe(404);
    await missing.arrayBuffer();
    const post = await SELF.fetch(`${BASE}/feed.xml`, { method: 'POST', body: 'x' });
    expect(post.status).toBe(405);
    await post.arrayBuffer();
  });

  it('answers 500 (and logs) when the vars are invalid, instead of serving with a bad config', async () => {
    const response = await worker.fetch(
      new Request(`${BASE}/feed.xml`),
      { ...env, FEED_SIZE: 'lots' },
      createExecutionContext(),
    );
    expect(response.status).toBe(500);
    expect(await response.text()).toMatch(/misconfigured/);
  });
});

describe('worker rate limit', () => {
  it('limits each client by the address Cloudflare sets (CF-Connecting-IP) and answers 429 with Retry-After', async () => {
    const handlers = createWorker({ logger: silent });
    const bindings = {
      ...env,
      KIOSQUE_CONFIG: JSON.stringify({ rateLimit: { requests: 2, windowSeconds: 60 } }),
    } as WorkerEnv;
    const ask = async (ip: string) => {
      const ctx = createExecutionContext();
      const response = await handlers.fetch(
        new Request(`${BASE}/feed.xml`, { headers: { 'cf-connecting-ip': ip } }),
        bindings,
        ctx,
      );
      await waitOnExecutionContext(ctx);
      await response.arrayBuffer();
      return response;
    };
    expect((await ask('203.0.113.7')).status).toBe(503); // no build yet, but counted
    expect((await ask('203.0.113.7')).status).toBe(503);
    const limited = await ask('203.0.113.7');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await ask('198.51.100.1')).status).toBe(503); // another client has its own budget
  });
});
