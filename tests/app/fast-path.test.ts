import { beforeEach, describe, expect, it } from 'vitest';
import { createServing, type KiosqueServing } from '../../src/app/create-app.ts';
import { createStorageReader, type StorageReader } from '../../src/app/published-reader.ts';
import type { RenderedDocument } from '../../src/core/model.ts';
import { publishDocuments } from '../../src/core/publish/publish.ts';
import { createNodeCompressor } from '../../src/drivers/compressor/node-zlib.ts';
import { createMemoryStorage } from '../../src/drivers/storage/memory.ts';
import type { Clock } from '../../src/ports/clock.ts';
import type { Logger } from '../../src/ports/logger.ts';

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} };
const repeat = (line: string): string => `${line}\n`.repeat(40);
const DOCUMENTS: RenderedDocument[] = [
  { path: '/feed.xml', contentType: 'application/rss+xml; charset=utf-8', body: repeat('<rss>v1</rss>') },
  { path: '/atom.xml', contentType: 'application/atom+xml; charset=utf-8', body: repeat('<feed/>') },
  { path: '/feed.json', contentType: 'application/feed+json; charset=utf-8', body: repeat('{"v":1}') },
  { path: '/', contentType: 'text/html; charset=utf-8', body: repeat('<h1>Kiosque</h1>') },
  { path: '/articles/tiny', contentType: 'text/html; charset=utf-8', body: '<p>tiny</p>' },
  { path: '/feed.html', contentType: 'text/html; charset=utf-8', body: repeat('<h1>Preview</h1>') },
];
const PATHS = DOCUMENTS.map((d) => d.path);
const FIREFOX_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

async function snapshot(
  res: Response,
): Promise<{ status: number; headers: [string, string][]; body: number[] }> {
  return {
    status: res.status,
    headers: [...res.headers.entries()].sort(([a], [b]) => a.localeCompare(b)),
    body: [...new Uint8Array(await res.arrayBuffer())],
  };
}

describe('request fast path', () => {
  let now: Date;
  const clock: Clock = { now: () => now };
  let reader: StorageReader;
  let serving: KiosqueServing;
  const header = (headers: Record<string, string>) => (name: string) => headers[name];

  beforeEach(async () => {
    now = new Date('2024-05-01T10:00:00.000Z');
    const storage = createMemoryStorage();
    await publishDocuments(DOCUMENTS, { storage, clock, compressor: createNodeCompressor(), logger: silent });
    reader = createStorageReader(storage, { clock, logger: silent });
    serving = createServing({ reader, logger: silent, maxAgeSeconds: 600 });
  });

  /** Loads every document through the router, as the first requests after a start would. */
  const warm = async () => {
    for (const path of PATHS) await serving.route(new Request(`http://localhost${path}`));
  };

  it('declines what the router must answer: unloaded documents, other methods, queries, escapes', async () => {
    const none = header({});
    expect(serving.fastPath('GET', '/feed.xml', none, undefined)).toBeNull(); // not loaded yet
    await warm();
    expect(serving.fastPath('GET', '/feed.xml', none, undefined)?.status).toBe(200);
    expect(serving.fastPath('POST', '/feed.xml', none, undefined)).toBeNull();
    expect(serving.fastPath('OPTIONS', '/feed.xml', none, undefined)).toBeNull();
    expect(serving.fastPath('GET', '/feed.xml?limit=10', none, undefined)).toBeNull();
    expect(serving.fastPath('GET', '/feed.xml?', none, undefined)).toBeNull();
    expect(serving.fastPath('GET', '/feed%2Exml', none, undefined)).toBeNull();
    expect(serving.fastPath('GET', '/nope.xml', none, undefined)).toBeNull();
    expect(serving.fastPath('GET', 'http://localhost/feed.xml', none, undefined)).toBeNull();
  });

  it('answers a 304 with no body and a HEAD with the 200 headers and no body', async () => {
    await warm();
    const ok = serving.fastPath('GET', '/feed.xml', header({ 'accept-encoding': 'gzip' }), undefined);
    const etag = ok?.headers.ETag ?? '';
    expect(etag).toMatch(/-gzip"$/);
    const notModified = serving.fastPath(
      'GET',
      '/feed.xml',
      header({ 'accept-encoding': 'gzip', 'if-none-match': etag }),
      undefined,
    );
    expect(notModified?.status).toBe(304);
    expect(notModified?.body).toBeNull();
    expect(notModified?.headers.ETag).toBe(etag);
    expect(notModified?.headers['Content-Length']).toBeUndefined();
    const head = serving.fastPath('HEAD', '/feed.xml', header({ 'accept-encoding': 'gzip' }), undefined);
    expect(head?.body).toBeNull();
    expect(head?.headers).toEqual(ok?.headers);
    expect(Object.isFrozen(ok?.headers)).toBe(true);
  });

  it('answers exactly like the router for every path and header combination', async () => {
    await warm();
    const etags = new Map<string, string>();
    for (const path of PATHS) {
      etags.set(
        path,
        (await serving.route(new Request(`http://localhost${path}`))).headers.get('etag') ?? '',
      );
    }
    const cases = (path: string): Record<string, string>[] => {
      const etag = etags.get(path) ?? '';
      return [
        {},
        { 'Accept-Encoding': 'gzip, deflate, br' },
        { 'Accept-Encoding': 'br;q=0, gzip' },
        { 'Accept-Encoding': 'identity' },
        { Accept: FIREFOX_ACCEPT },
        { Accept: FIREFOX_ACCEPT, 'Accept-Encoding': 'gzip' },
        { 'If-None-Match': etag },
        { 'If-None-Match': `W/${etag}`, 'Accept-Encoding': 'br' },
        { 'If-None-Match': `"x", ${etag.slice(0, -1)}-gzip"`, 'Accept-Encoding': 'gzip' },
        { 'If-None-Match': '*' },
        { 'If-None-Match': '"stale"', 'If-Modified-Since': 'Thu, 02 May 2024 00:00:00 GMT' },
        { 'If-Modified-Since': 'Wed, 01 May 2024 10:00:00 GMT' },
        { 'If-Modified-Since': 'Wed, 01 May 2024 09:59:59 GMT' },
        { 'If-Modified-Since': 'Wednesday, 01-May-24 10:00:00 GMT' },
        { 'If-Modified-Since': 'not a date' },
      ];
    };
    for (const path of PATHS) {
      for (const headers of cases(path)) {
        for (const method of ['GET', 'HEAD']) {
          const url = `http://localhost${path}`;
          const viaRouter = await snapshot(await serving.route(new Request(url, { method, headers })));
          const viaApp = await snapshot(await serving.app.fetch(new Request(url, { method, headers })));
          const planned = serving.fastPath(
            method,
            path,
            header(Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]))),
            undefined,
          );
          expect(planned, `${method} ${path} ${JSON.stringify(headers)}`).not.toBeNull();
          expect(viaApp, `${method} ${path} ${JSON.stringify(headers)}`).toEqual(viaRouter);
        }
      }
    }
  });

  it('gives a browser opening a feed its preview (own ETag, Vary: Accept), readers the feed', async () => {
    await warm();
    for (const path of ['/feed.xml', '/atom.xml', '/feed.json']) {
      const browser = serving.fastPath('GET', path, header({ accept: FIREFOX_ACCEPT }), undefined);
      expect(browser?.headers['Content-Type']).toBe('text/html; charset=utf-8');
      expect(browser?.headers.Vary).toContain('Accept');
      expect(browser?.headers['Content-Security-Policy']).toBeDefined();
      const reader = serving.fastPath('GET', path, header({}), undefined);
      expect(reader?.headers['Content-Type']).not.toContain('text/html');
      expect(reader?.headers.ETag).not.toBe(browser?.headers.ETag);
      const revalidated = serving.fastPath(
        'GET',
        path,
        header({ accept: FIREFOX_ACCEPT, 'if-none-match': browser?.headers.ETag ?? '' }),
        undefined,
      );
      expect(revalidated?.status).toBe(304);
    }
  });

  it('shares one rate-limit bucket per client with the router, and answers 429 itself', async () => {
    const limited = createServing({
      reader,
      logger: silent,
      clock,
      rateLimit: { requests: 3, windowSeconds: 60, keyOf: (req) => req.headers.get('x-client') ?? undefined },
    });
    const from = async (client: string) =>
      (await limited.app.request('/feed.xml', { headers: { 'x-client': client } })).status;
    expect(await from('a')).toBe(200); // router (loads the document)
    expect(limited.fastPath('GET', '/feed.xml', header({}), 'a')?.status).toBe(200);
    expect(await from('a')).toBe(200); // fast path, third token
    const blocked = limited.fastPath('GET', '/feed.xml', header({}), 'a');
    expect(blocked?.status).toBe(429);
    expect(blocked?.headers['Retry-After']).toBe('20');
    expect(await from('a')).toBe(429);
    expect(await from('b')).toBe(200);
    // A client without a key is not limited, as in the router.
    for (let i = 0; i < 5; i++)
      expect(limited.fastPath('GET', '/feed.xml', header({}), undefined)?.status).toBe(200);
  });

  it('serves a new version after a publish and reload, never the old bytes under the new manifest', async () => {
    await warm();
    const before = serving.fastPath('GET', '/feed.xml', header({}), undefined);
    now = new Date('2024-05-01T11:00:00.000Z');
    const storage = createMemoryStorage();
    const fresh = createStorageReader(storage, { clock, logger: silent });
    const app = createServing({ reader: fresh, logger: silent, maxAgeSeconds: 600 });
    await publishDocuments(DOCUMENTS, { storage, clock, compressor: createNodeCompressor(), logger: silent });
    await fresh.reload();
    await app.route(new Request('http://localhost/feed.xml'));
    const v1 = app.fastPath('GET', '/feed.xml', header({}), undefined);
    await publishDocuments(
      DOCUMENTS.map((d) => (d.path === '/feed.xml' ? { ...d, body: repeat('<rss>v2</rss>') } : d)),
      { storage, clock, compressor: createNodeCompressor(), logger: silent },
    );
    await fresh.reload();
    expect(app.fastPath('GET', '/feed.xml', header({}), undefined)).toBeNull();
    const res = await app.app.request('/feed.xml');
    expect(await res.text()).toContain('v2');
    const v2 = app.fastPath('GET', '/feed.xml', header({}), undefined);
    expect(v2?.headers.ETag).not.toBe(v1?.headers.ETag);
    expect(v2?.headers['Last-Modified']).toBe('Wed, 01 May 2024 11:00:00 GMT');
    expect(before?.headers['Last-Modified']).toBe('Wed, 01 May 2024 10:00:00 GMT');
  });
});
