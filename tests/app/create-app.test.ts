import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app/create-app.ts';
import { createStorageReader } from '../../src/app/published-reader.ts';
import { strongEtag } from '../../src/core/digest/hash.ts';
import type { RenderedDocument } from '../../src/core/model.ts';
import { loadManifest } from '../../src/core/publish/manifest-store.ts';
import { publishDocuments } from '../../src/core/publish/publish.ts';
import { writeBuildStatus } from '../../src/core/report/build-status.ts';
import { createNodeCompressor } from '../../src/drivers/compressor/node-zlib.ts';
import { createMemoryStorage } from '../../src/drivers/storage/memory.ts';
import type { Clock } from '../../src/ports/clock.ts';
import type { Logger } from '../../src/ports/logger.ts';
import type { Storage } from '../../src/ports/storage.ts';

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} };
const repeat = (line: string): string => `${line}\n`.repeat(40);

const documents = (feedVersion = 'v1'): RenderedDocument[] => [
  {
    path: '/feed.xml',
    contentType: 'application/rss+xml; charset=utf-8',
    body: repeat(`<rss><item>${feedVersion}</item></rss>`),
  },
  { path: '/atom.xml', contentType: 'application/atom+xml; charset=utf-8', body: repeat('<feed/>') },
  { path: '/feed.json', contentType: 'application/feed+json; charset=utf-8', body: repeat('{"version":1}') },
  { path: '/', contentType: 'text/html; charset=utf-8', body: repeat('<h1>Kiosque</h1>') },
  { path: '/articles/hello', contentType: 'text/html; charset=utf-8', body: repeat('<p>Hello</p>') },
  { path: '/articles/tiny', contentType: 'text/html; charset=utf-8', body: '<p>tiny</p>' },
];

describe('createApp', () => {
  let storage: Storage;
  let now: Date;
  const clock: Clock = { now: () => now };
  let reader: ReturnType<typeof createStorageReader>;
  let app: ReturnType<typeof createApp>;

  const publish = async (docs: RenderedDocument[]) => {
    const result = await publishDocuments(docs, {
      storage,
      clock,
      compressor: createNodeCompressor(),
      logger: silent,
    });
    await reader.reload();
    return result;
  };
  const get = (path: string, headers: Record<string, string> = {}, method = 'GET') =>
    app.request(path, { method, headers });

  beforeEach(async () => {
    storage = createMemoryStorage();
    now = new Date('2024-05-01T10:00:00.500Z');
    reader = createStorageReader(storage, { clock, logger: silent });
    app = createApp({ reader, logger: silent, maxAgeSeconds: 600 });
  });

  describe('before anything is published', () => {
    it('answers 503 with Retry-After, plain text for feeds', async () => {
      const res = await get('/feed.xml');
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('10');
      expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    });

    it('answers 503 as JSON for .json paths', async () => {
      const res = await get('/feed.json');
      expect(res.status).toBe(503);
      expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(await res.json()).toMatchObject({ error: 'unavailable' });
    });

    it('reports unhealthy on /healthz', async () => {
      const res = await get('/healthz');
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ status: 'unavailable', generation: null, documents: 0 });
    });
  });

  describe('serving published documents', () => {
    beforeEach(async () => {
      await publish(documents());
    });

    it.each([
      ['/feed.xml', 'application/rss+xml; charset=utf-8'],
      ['/atom.xml', 'application/atom+xml; charset=utf-8'],
      ['/feed.json', 'application/feed+json; charset=utf-8'],
      ['/', 'text/html; charset=utf-8'],
      ['/articles/hello', 'text/html; charset=utf-8'],
    ])('GET %s → 200 %s with validators and cache headers', async (path, contentType) => {
      const doc = documents().find((d) => d.path === path);
      const res = await get(path);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe(contentType);
      expect(res.headers.get('etag')).toBe(await strongEtag(doc?.body ?? ''));
      expect(res.headers.get('last-modified')).toBe('Wed, 01 May 2024 10:00:00 GMT');
      expect(res.headers.get('cache-control')).toBe(
        'public, max-age=600, stale-while-revalidate=600, stale-if-error=86400',
      );
      // Every feed varies by Accept: a browser opening it gets its HTML preview.
      expect(res.headers.get('vary')).toBe(
        contentType.startsWith('text/html') ? 'Accept-Encoding' : 'Accept, Accept-Encoding',
      );
      expect(res.headers.get('content-encoding')).toBeNull();
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      const body = await res.text();
      expect(body).toBe(doc?.body);
      expect(res.headers.get('content-length')).toBe(String(new TextEncoder().encode(body).byteLength));
    });

    it('defaults Cache-Control max-age to 300', async () => {
      const res = await createApp({ reader }).request('/feed.xml');
      expect(res.headers.get('cache-control')).toBe(
        'public, max-age=300, stale-while-revalidate=300, stale-if-error=86400',
      );
    });

    it('serves the precomputed brotli variant when br is accepted (preferred over gzip)', async () => {
      const res = await get('/feed.xml', { 'Accept-Encoding': 'gzip, deflate, br' });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-encoding')).toBe('br');
      expect(res.headers.get('vary')).toBe('Accept, Accept-Encoding');
      const bytes = new Uint8Array(await res.arrayBuffer());
      expect(res.headers.get('content-length')).toBe(String(bytes.byteLength));
      expect(brotliDecompressSync(bytes).toString('utf8')).toBe(documents()[0]?.body);
      const etag = await strongEtag(documents()[0]?.body ?? '');
      expect(res.headers.get('etag')).toBe(`${etag.slice(0, -1)}-br"`);
    });

    it('serves gzip when br is refused with q=0', async () => {
      const res = await get('/feed.xml', { 'Accept-Encoding': 'br;q=0, gzip' });
      expect(res.headers.get('content-encoding')).toBe('gzip');
      expect(gunzipSync(new Uint8Array(await res.arrayBuffer())).toString('utf8')).toBe(documents()[0]?.body);
    });

    it('serves identity when only identity is acceptable, still with Vary', async () => {
      const res = await get('/feed.xml', { 'Accept-Encoding': 'identity' });
      expect(res.headers.get('content-encoding')).toBeNull();
      expect(res.headers.get('vary')).toBe('Accept, Accept-Encoding');
      expect(await res.text()).toBe(documents()[0]?.body);
    });

    it('serves a tiny document as identity without Vary (nothing to negotiate)', async () => {
      const res = await get('/articles/tiny', { 'Accept-Encoding': 'br, gzip' });
      expect(res.headers.get('content-encoding')).toBeNull();
      expect(res.headers.get('vary')).toBeNull();
      expect(await res.text()).toBe('<p>tiny</p>');
    });

    it('answers HEAD with the GET headers, a correct Content-Length and no body', async () => {
      const getRes = await get('/feed.xml', { 'Accept-Encoding': 'gzip' });
      const headRes = await get('/feed.xml', { 'Accept-Encoding': 'gzip' }, 'HEAD');
      expect(headRes.status).toBe(200);
      for (const name of [
        'etag',
        'last-modified',
        'content-type',
        'content-length',
        'content-encoding',
        'vary',
      ]) {
        expect(headRes.headers.get(name)).toBe(getRes.headers.get(name));
      }
      expect(headRes.headers.get('content-length')).toBe(String((await getRes.arrayBuffer()).byteLength));
      expect(await headRes.text()).toBe('');
    });

    describe('conditional requests', () => {
      let etag: string;
      beforeEach(async () => {
        etag = (await get('/feed.xml')).headers.get('etag') ?? '';
      });

      const expect304 = async (res: Response) => {
        expect(res.status).toBe(304);
        expect(await res.text()).toBe('');
        expect(res.headers.get('etag')).toBe(etag);
        expect(res.headers.get('cache-control')).toBe(
          'public, max-age=600, stale-while-revalidate=600, stale-if-error=86400',
        );
        expect(res.headers.get('vary')).toBe('Accept, Accept-Encoding');
      };

      it('304 on a matching If-None-Match', async () => {
        await expect304(await get('/feed.xml', { 'If-None-Match': etag }));
      });

      it('304 on an If-None-Match list containing the tag', async () => {
        await expect304(await get('/feed.xml', { 'If-None-Match': `"nope", ${etag}, "other"` }));
      });

      it('304 on a weak match (W/)', async () => {
        await expect304(await get('/feed.xml', { 'If-None-Match': `W/${etag}` }));
      });

      it('304 on If-None-Match: *', async () => {
        await expect304(await get('/feed.xml', { 'If-None-Match': '*' }));
      });

      it('304 when a client that got gzip revalidates with the gzip tag', async () => {
        const gz = await get('/feed.xml', { 'Accept-Encoding': 'gzip' });
        const res = await get('/feed.xml', {
          'Accept-Encoding': 'gzip',
          'If-None-Match': gz.headers.get('etag') ?? '',
        });
        expect(res.status).toBe(304);
        expect(res.headers.get('etag')).toBe(gz.headers.get('etag'));
        expect(res.headers.get('vary')).toBe('Accept, Accept-Encoding');
      });

      it('200 on a non-matching If-None-Match', async () => {
        const res = await get('/feed.xml', { 'If-None-Match': '"different"' });
        expect(res.status).toBe(200);
      });

      it('304 on If-Modified-Since at or after Last-Modified', async () => {
        await expect304(await get('/feed.xml', { 'If-Modified-Since': 'Wed, 01 May 2024 10:00:00 GMT' }));
        await expect304(await get('/feed.xml', { 'If-Modified-Since': 'Thu, 02 May 2024 00:00:00 GMT' }));
      });

      it('200 on If-Modified-Since before Last-Modified', async () => {
        const res = await get('/feed.xml', { 'If-Modified-Since': 'Wed, 01 May 2024 09:59:59 GMT' });
        expect(res.status).toBe(200);
      });

      it('If-None-Match takes precedence over If-Modified-Since', async () => {
        const res = await get('/feed.xml', {
          'If-None-Match': '"stale"',
          'If-Modified-Since': 'Thu, 02 May 2024 00:00:00 GMT',
        });
        expect(res.status).toBe(200);
      });

      it('ignores an invalid If-Modified-Since', async () => {
        const res = await get('/feed.xml', { 'If-Modified-Since': 'not a date' });
        expect(res.status).toBe(200);
      });

      it('answers HEAD conditionally too', async () => {
        const res = await get('/feed.xml', { 'If-None-Match': etag }, 'HEAD');
        expect(res.status).toBe(304);
      });
    });

    it('404 in plain text for unknown feed/HTML paths, never HTML', async () => {
      for (const path of ['/nope.xml', '/articles/missing', '/articles/hello/']) {
        const res = await get(path);
        expect(res.status).toBe(404);
        expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
        expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      }
    });

    it('404 as JSON for unknown .json paths', async () => {
      const res = await get('/missing.json');
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(await res.json()).toMatchObject({ error: 'not_found' });
    });

    it.each(['POST', 'PUT', 'DELETE', 'PATCH'])('405 with Allow on %s', async (method) => {
      const res = await get('/feed.xml', {}, method);
      expect(res.status).toBe(405);
      expect(res.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
      const healthz = await get('/healthz', {}, method);
      expect(healthz.status).toBe(405);
      expect(healthz.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
    });

    it('reports healthy on /healthz with generation, document count and the build status', async () => {
      await writeBuildStatus(storage, {
        lastAttemptAt: '2024-05-01T10:00:00.000Z',
        lastSuccessAt: '2024-05-01T10:00:00.000Z',
        itemCount: 2,
        durationMs: 42,
        errors: [],
        warnings: 1,
      });
      const res = await get('/healthz');
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(await res.json()).toMatchObject({
        status: 'ok',
        generation: 1,
        documents: 6,
        build: { itemCount: 2, warnings: 1, lastSuccessAt: '2024-05-01T10:00:00.000Z' },
      });
    });

    it('after a publish of changed bytes: new ETag and Last-Modified there, unchanged elsewhere', async () => {
      const feedBefore = await get('/feed.xml');
      const homeBefore = await get('/');
      now = new Date('2024-05-01T11:00:00.000Z');
      await publish(documents('v2'));
      const feedAfter = await get('/feed.xml');
      const homeAfter = await get('/');
      expect(feedAfter.headers.get('etag')).not.toBe(feedBefore.headers.get('etag'));
      expect(feedAfter.headers.get('last-modified')).toBe('Wed, 01 May 2024 11:00:00 GMT');
      expect(await feedAfter.text()).toContain('v2');
      expect(homeAfter.headers.get('etag')).toBe(homeBefore.headers.get('etag'));
      expect(homeAfter.headers.get('last-modified')).toBe(homeBefore.headers.get('last-modified'));
      // The old validator no longer matches the changed feed; it still matches the unchanged page.
      const revalidateFeed = await get('/feed.xml', {
        'If-None-Match': feedBefore.headers.get('etag') ?? '',
      });
      expect(revalidateFeed.status).toBe(200);
      const revalidateHome = await get('/', { 'If-None-Match': homeBefore.headers.get('etag') ?? '' });
      expect(revalidateHome.status).toBe(304);
    });

    it('never serves bytes that mismatch the ETag: 503 while inconsistent', async () => {
      // Damage the bytes the manifest names (storage corrupted behind the publisher's back).
      const manifest = await loadManifest(storage);
      const key = manifest?.documents['/articles/hello']?.key ?? '';
      await storage.put(key, new TextEncoder().encode('<p>not what the manifest says</p>'));
      const res = await get('/articles/hello');
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('10');
      expect(await res.text()).not.toContain('not what the manifest says');
    });
  });
});
