import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app/create-app.ts';
import { createStorageReader } from '../../src/app/published-reader.ts';
import type { RenderedDocument } from '../../src/core/model.ts';
import { loadManifest } from '../../src/core/publish/manifest-store.ts';
import { publishDocuments } from '../../src/core/publish/publish.ts';
import { createNodeCompressor } from '../../src/drivers/compressor/node-zlib.ts';
import { createMemoryStorage } from '../../src/drivers/storage/memory.ts';
import type { Logger } from '../../src/ports/logger.ts';

const errors: string[] = [];
const logger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error: (message, fields) => errors.push(`${message} ${JSON.stringify(fields)}`),
};
const repeat = (line: string): string => `${line}\n`.repeat(40);
const DOCUMENTS: RenderedDocument[] = [
  {
    path: '/feed.xml',
    contentType: 'application/rss+xml; charset=utf-8',
    body: repeat('<rss><item>v1</item></rss>'),
  },
  { path: '/feed.json', contentType: 'application/feed+json; charset=utf-8', body: repeat('{"version":1}') },
  { path: '/', contentType: 'text/html; charset=utf-8', body: repeat('<h1>Kiosque</h1>') },
  { path: '/articles/hello', contentType: 'text/html; charset=utf-8', body: repeat('<p>Hello</p>') },
];

const storage = createMemoryStorage();
const reader = createStorageReader(storage, { logger });
const app = createApp({ reader, logger });
let versionKey = '';

beforeAll(async () => {
  await publishDocuments(DOCUMENTS, {
    storage,
    compressor: createNodeCompressor(),
    clock: { now: () => new Date('2024-05-01T10:00:00Z') },
    logger,
  });
  await reader.reload();
  const manifest = await loadManifest(storage);
  versionKey = manifest?.documents['/feed.xml']?.key ?? '';
});

/** Paths that try to reach storage keys that are not routes (manifest, versions, state). */
const TRAVERSALS = [
  '/../manifest.json',
  '/%2e%2e/manifest.json',
  '/%2E%2E/%2E%2E/etc/passwd',
  '/%252e%252e/manifest.json',
  '/%252e%252e%252fmanifest.json',
  '/articles/..%2f..%2fmanifest.json',
  '/articles/%2e%2e/%2e%2e/status.json',
  '/articles/..%5c..%5cmanifest.json',
  '/..\\manifest.json',
  '/manifest.json',
  '/status.json',
  '/feed.xml%00.html',
  '/feed.xml%00',
  '/feed.xml/',
  '//feed.xml',
  '/./feed.xml/..',
  '/articles/hello/../../manifest.json',
  '/%c0%ae%c0%ae/manifest.json',
  '/%uff0e%uff0e/manifest.json',
  '/%',
  '/%zz',
  '/articles/%ff%fe',
  '/articles/hello.html',
  '/feed.xml.gz',
  '/feed.xml.br',
];

describe('hostile requests: refused or ignored, never a 500', () => {
  it.each(TRAVERSALS)('GET %s never reaches a storage key that is not a route', async (path) => {
    const response = await app.request(path);
    expect(response.status).not.toBe(500);
    expect([200, 301, 302, 308, 400, 404]).toContain(response.status);
    const body = await response.text();
    expect(body).not.toContain('"generation"');
    expect(body).not.toContain('root:');
    // Only a real route serves bytes: `//feed.xml` and friends may normalise to one, nothing else.
    if (response.status === 200) expect(DOCUMENTS.map((d) => d.body)).toContain(body);
  });

  it('does not serve content-addressed version keys or the state as routes', async () => {
    expect(versionKey).toMatch(/^_v\//);
    expect((await app.request(`/${versionKey}`)).status).toBe(404);
    expect((await app.request(`/${versionKey}.gz`)).status).toBe(404);
    expect((await app.request('/items/x.json')).status).toBe(404);
  });

  // TRACE and CONNECT cannot be built as a fetch Request; they are sent over the wire below.
  it.each(['POST', 'PUT', 'DELETE', 'PATCH', 'PROPFIND', 'MKCOL', 'LOCK', 'FOO', 'get'])(
    '%s /feed.xml → 405 with Allow (RFC 9110 §15.5.6)',
    async (method) => {
      const response = await app.request('/feed.xml', { method });
      if (method === 'get') {
        // Methods are case-sensitive (§9.1); undici/Request upper-cases the standard ones.
        expect([200, 405]).toContain(response.status);
        return;
      }
      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
    },
  );

  it.each([
    ['If-None-Match', 'garbage'],
    ['If-None-Match', ''],
    ['If-None-Match', '"'],
    ['If-None-Match', '"unterminated'],
    ['If-None-Match', 'W/'],
    ['If-None-Match', ',,,,'],
    ['If-None-Match', `${'"x", '.repeat(2000)}"y"`],
    ['If-None-Match', 'W/"not-this-one"'],
    ['If-Modified-Since', 'yesterday'],
    ['If-Modified-Since', ''],
    ['If-Modified-Since', 'Mon, 32 Foo 2024 99:99:99 GMT'],
    ['If-Modified-Since', '0'],
    ['If-Modified-Since', '-1'],
    ['If-Modified-Since', 'Sat, 01 Jan 275760 00:00:00 GMT'],
    ['If-Modified-Since', 'Thu, 01 Jan 1970 00:00:00 GMT'],
    ['If-Match', 'garbage'],
    ['If-Unmodified-Since', 'not a date'],
    ['If-Range', '"garbage"'],
    ['Range', 'bytes=999999-0'],
    ['Accept-Encoding', 'br;q=garbage, gzip;q=-1, *;q=2'],
    ['Accept', 'x/x;q=;;;,,,*/*;q=1e9'],
    ['Accept-Encoding', `${'gzip;q=0.5, '.repeat(1000)}br`],
  ])('ignores a malformed %s: %j → 200 with the full body', async (name, value) => {
    const response = await app.request('/feed.xml', { headers: { [name]: value } });
    expect(response.status).toBe(200);
    expect(response.headers.get('etag')).toMatch(/^"[0-9a-f]{32}(-gzip|-br)?"$/);
  });

  it('If-None-Match: * on a published document is a 304 (§13.1.2), and a future If-Modified-Since is not honoured into a lie', async () => {
    expect((await app.request('/feed.xml', { headers: { 'If-None-Match': '*' } })).status).toBe(304);
    const future = await app.request('/feed.xml', {
      headers: { 'If-Modified-Since': 'Fri, 01 Jan 2100 00:00:00 GMT' },
    });
    expect([200, 304]).toContain(future.status);
  });

  it('a 1 MB path in-process is a 404, not a 500', async () => {
    const response = await app.request(`/articles/${'a'.repeat(1024 * 1024)}`);
    expect(response.status).toBe(404);
  });

  it('logged no unhandled error for any of the above', () => {
    expect(errors.filter((line) => line.startsWith('unhandled'))).toEqual([]);
  });
});

describe('hostile requests over a real socket (127.0.0.1)', () => {
  let server: ServerType;
  let port = 0;

  beforeAll(async () => {
    await new Promise<void>((resolve) => {
      server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve());
    });
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const send = (path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<number> =>
    new Promise((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, path, method, headers }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end();
    });

  it('serves a normal request', async () => {
    expect(await send('/feed.xml')).toBe(200);
  });

  it.each([8 * 1024, 64 * 1024, 1024 * 1024])(
    'a %i-byte URL is refused (414/431/404), never a 500',
    async (size) => {
      const status = await send(`/articles/${'a'.repeat(size)}`).catch(() => 0);
      // 0: the server closed the connection, which is also a refusal.
      expect([0, 404, 414, 431]).toContain(status);
    },
  );

  it.each([16 * 1024, 64 * 1024])('a %i-byte header is refused with 431, never a 500', async (size) => {
    const status = await send('/feed.xml', { 'X-Huge': 'x'.repeat(size) }).catch(() => 0);
    expect([0, 431]).toContain(status);
  });

  it('many headers are refused or served, never a 500', async () => {
    const headers: Record<string, string> = {};
    for (let i = 0; i < 2000; i++) headers[`x-h${i}`] = 'v';
    const status = await send('/feed.xml', headers).catch(() => 0);
    expect([0, 200, 400, 431]).toContain(status);
  });

  it('traversal over the wire never reaches the manifest', async () => {
    for (const path of [
      '/../manifest.json',
      '/%2e%2e/manifest.json',
      '/%252e%252e/manifest.json',
      `/${versionKey}`,
    ]) {
      expect([400, 404], path).toContain(await send(path));
    }
  });

  it('unsupported methods over the wire → 405', async () => {
    expect(await send('/feed.xml', {}, 'DELETE')).toBe(405);
    expect(await send('/feed.xml', {}, 'PROPFIND')).toBe(405);
    // TRACE would echo request headers back (cross-site tracing); it is refused like the rest.
    expect([405, 400]).toContain(await send('/feed.xml', {}, 'TRACE'));
  });

  it('still answers after all of it', async () => {
    expect(await send('/feed.xml')).toBe(200);
  });
});
