/**
 * Issue 4 through app.request(): the documents buildDocuments renders (tags, publishers,
 * archives, limit variants, XSL, OPML, robots) published to memory storage and served.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app/create-app.ts';
import { htmlContentSecurityPolicy } from '../../src/app/http/response-policy.ts';
import { createStorageReader } from '../../src/app/published-reader.ts';
import type { FeedItem, SiteInfo } from '../../src/core/model.ts';
import { PAGE_STYLE } from '../../src/core/page-style.ts';
import { buildDocuments } from '../../src/core/plan/build-documents.ts';
import { publishDocuments } from '../../src/core/publish/publish.ts';
import { createNodeCompressor } from '../../src/drivers/compressor/node-zlib.ts';
import { createMemoryStorage } from '../../src/drivers/storage/memory.ts';
import type { Clock } from '../../src/ports/clock.ts';
import type { Logger } from '../../src/ports/logger.ts';
import type { Storage } from '../../src/ports/storage.ts';
import { makeItems } from '../core/syndicate/items.ts';

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} };
const SITE: SiteInfo = {
  title: 'Kiosque',
  description: 'Test',
  baseUrl: 'https://news.example',
  language: 'fr',
  ttlMinutes: 15,
};
const HUB = 'https://hub.example/';

/** 7 items: odd ones tagged Climat, all from AFP except item 7; item 2 tagged Été. */
function corpus(count = 7): FeedItem[] {
  return makeItems(count, (n) => ({
    tags: [...(n % 2 === 1 ? ['Climat'] : []), ...(n === 2 ? ['Été'] : [])],
    ...(n === 7 ? {} : { publisher: 'AFP' }),
  }));
}

describe('syndication over HTTP', () => {
  let storage: Storage;
  let now: Date;
  const clock: Clock = { now: () => now };
  let reader: ReturnType<typeof createStorageReader>;
  let app: ReturnType<typeof createApp>;

  const publish = async (items: FeedItem[]) => {
    const docs = buildDocuments(
      { site: SITE, items, updated: items[0]?.updated ?? '2026-01-01T00:00:00Z' },
      3,
      {
        archivePageSize: 2,
        feedLimits: [1, 2, 10],
        hubs: [HUB],
      },
    );
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
    now = new Date('2026-02-01T10:00:00Z');
    reader = createStorageReader(storage, { clock, logger: silent, refreshMs: 0 });
    app = createApp({ reader, logger: silent, maxAgeSeconds: 900, feedLimits: [1, 2, 10] });
    await publish(corpus());
  });

  describe('1. per-tag and per-publisher feeds, ?limit', () => {
    it.each([
      ['/tags/climat/feed.xml', 'application/rss+xml; charset=utf-8'],
      ['/tags/climat/atom.xml', 'application/atom+xml; charset=utf-8'],
      ['/tags/climat/feed.json', 'application/feed+json; charset=utf-8'],
      ['/tags/ete/feed.json', 'application/feed+json; charset=utf-8'],
      ['/publishers/afp/atom.xml', 'application/atom+xml; charset=utf-8'],
    ])('%s is served as %s', async (path, type) => {
      const res = await get(path);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe(type);
    });

    it('a tag feed holds only its items, newest first, and names its topic', async () => {
      const feed = (await (await get('/tags/climat/feed.json')).json()) as {
        title: string;
        items: { title: string }[];
      };
      expect(feed.title).toBe('Climat — Kiosque');
      expect(feed.items.map((i) => i.title)).toEqual(['Story 7', 'Story 5', 'Story 3']);
    });

    it('serves a published limit variant with its own ETag', async () => {
      const full = await get('/feed.json');
      const limited = await get('/feed.json?limit=1');
      expect(limited.status).toBe(200);
      const body = (await limited.json()) as { feed_url: string; items: unknown[] };
      expect(body.items).toHaveLength(1);
      expect(body.feed_url).toBe('https://news.example/feed.json?limit=1');
      expect(limited.headers.get('etag')).not.toBe(full.headers.get('etag'));
      const again = await get('/feed.json?limit=1', { 'If-None-Match': limited.headers.get('etag') ?? '' });
      expect(again.status).toBe(304);
    });

    it('redirects other limits to the nearest published variant at or above, else to the feed', async () => {
      const rounded = await get('/feed.xml?limit=01');
      expect(rounded.status).toBe(302);
      expect(rounded.headers.get('location')).toBe('/feed.xml?limit=1');
      expect((await get('/feed.xml?limit=2')).status).toBe(200);
      // Only 3 items in the current feed: ?limit=10 is not published, the feed itself is the answer.
      const tooMany = await get('/feed.xml?limit=10');
      expect(tooMany.status).toBe(302);
      expect(tooMany.headers.get('location')).toBe('/feed.xml');
      expect(tooMany.headers.get('cache-control')).toContain('max-age=900');
      const tag = await get('/tags/ete/atom.xml?limit=1');
      expect(tag.headers.get('location')).toBe('/tags/ete/atom.xml');
    });

    it.each(['0', '-3', 'abc', '2.5'])(
      'answers 400 to limit=%s (JSON for JSON Feed paths)',
      async (value) => {
        const json = await get(`/feed.json?limit=${value}`);
        expect(json.status).toBe(400);
        expect(json.headers.get('content-type')).toBe('application/json; charset=utf-8');
        expect(await json.json()).toMatchObject({ error: 'bad_request' });
        const xml = await get(`/feed.xml?limit=${value}`);
        expect(xml.status).toBe(400);
        expect(xml.headers.get('content-type')).toBe('text/plain; charset=utf-8');
      },
    );

    it('ignores other query parameters and ?limit on non-feed documents', async () => {
      expect((await get('/feed.xml?utm_source=x')).status).toBe(200);
      expect((await get('/?limit=abc')).status).toBe(200);
    });
  });

  describe('2. RFC 5005 archives', () => {
    it('serves complete archive pages as immutable for a year, the newest page with normal caching', async () => {
      const full = await get('/archive/1/atom.xml');
      expect(full.status).toBe(200);
      expect(full.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      const open = await get('/archive/2/atom.xml');
      expect(open.headers.get('cache-control')).toMatch(/^public, max-age=900, /);
    });

    it('links current → prev-archive → … and back with current', async () => {
      const current = await (await get('/feed.xml')).text();
      expect(current).toContain(
        '<atom:link rel="prev-archive" href="https://news.example/archive/2/feed.xml"',
      );
      const page = await (await get('/archive/2/feed.xml')).text();
      expect(page).toContain('<atom:link rel="current" href="https://news.example/feed.xml"');
      expect(page).toContain('<atom:link rel="prev-archive" href="https://news.example/archive/1/feed.xml"');
      expect(page).toContain('<fh:archive/>');
    });

    it('keeps an immutable page byte-identical when new items arrive', async () => {
      const before = await get('/archive/1/feed.json');
      await publish(corpus(9));
      const after = await get('/archive/1/feed.json');
      expect(after.headers.get('etag')).toBe(before.headers.get('etag'));
      expect(after.headers.get('last-modified')).toBe(before.headers.get('last-modified'));
      expect((await get('/archive/3/feed.json')).status).toBe(200);
    });
  });

  describe('3. WebSub discovery', () => {
    it.each(['/feed.xml', '/atom.xml', '/tags/climat/feed.xml', '/archive/1/atom.xml'])(
      '%s has rel=hub and rel=self',
      async (path) => {
        const body = await (await get(path)).text();
        expect(body).toMatch(new RegExp(`rel="hub" href="${HUB}"`));
        expect(body).toContain(`rel="self" href="https://news.example${path}"`);
      },
    );

    it('JSON Feed lists hubs and its own feed_url', async () => {
      const feed = (await (await get('/publishers/afp/feed.json')).json()) as {
        hubs: unknown;
        feed_url: string;
      };
      expect(feed.hubs).toEqual([{ type: 'WebSub', url: HUB }]);
      expect(feed.feed_url).toBe('https://news.example/publishers/afp/feed.json');
    });
  });

  describe('4. human views', () => {
    it('serves /feed.xsl as text/xsl, referenced by RSS and Atom', async () => {
      const xsl = await get('/feed.xsl');
      expect(xsl.status).toBe(200);
      expect(xsl.headers.get('content-type')).toBe('text/xsl; charset=utf-8');
      for (const path of ['/feed.xml', '/tags/climat/atom.xml']) {
        expect(await (await get(path)).text()).toContain(
          '<?xml-stylesheet type="text/xsl" href="https://news.example/feed.xsl"?>',
        );
      }
    });

    it('gives a browser opening any feed its HTML preview (own ETag, Vary: Accept); readers the feed', async () => {
      const accept = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
      const preview = await (await get('/feed.html')).text();
      for (const path of [
        '/atom.xml',
        '/feed.xml',
        '/feed.json',
        '/tags/climat/atom.xml',
        '/archive/1/feed.xml',
      ]) {
        const browser = await get(path, { Accept: accept });
        const reader = await get(path, { Accept: 'application/atom+xml, application/xml;q=0.9' });
        expect(browser.headers.get('content-type')).toBe('text/html; charset=utf-8');
        expect(browser.headers.get('vary')).toContain('Accept');
        expect(browser.headers.get('content-security-policy')).toContain("default-src 'none'");
        expect(reader.headers.get('content-type')).not.toContain('html');
        expect(browser.headers.get('etag')).not.toBe(reader.headers.get('etag'));
        const html = await browser.text();
        expect(html).toContain('<code>https://news.example/');
        expect(html).toContain('https://feedly.com/i/subscription/feed/https%3A%2F%2Fnews.example%2F');
        expect(html).not.toMatch(/<script/i);
        if (path === '/feed.xml' || path === '/atom.xml') expect(html).toBe(preview);
        const again = await get(path, { Accept: accept, 'If-None-Match': browser.headers.get('etag') ?? '' });
        expect(again.status).toBe(304);
      }
    });

    it('the index lists feeds, tags, publishers and recent items with discovery links', async () => {
      const html = await (await get('/')).text();
      expect(html).toContain('<link rel="alternate" type="application/atom+xml"');
      expect(html).toContain('href="https://news.example/tags/climat">Climat</a>');
      expect(html).toContain('href="https://news.example/tags/ete">Été</a>');
      expect(html).toContain('href="https://news.example/publishers/afp">AFP</a>');
      expect(html).toContain('href="https://news.example/opml.xml"');
      expect(html).toContain('Story 7');
    });

    it('a tag page exists for each tag', async () => {
      const res = await get('/tags/climat');
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('<h1>Climat — Kiosque</h1>');
    });

    it('an article page links its tag feeds with rel="alternate"', async () => {
      const html = await (await get('/articles/story-5')).text();
      expect(html).toContain('href="https://news.example/tags/climat/feed.xml"');
      expect(html).toContain('title="Kiosque — Climat (RSS)"');
    });
  });

  describe('5. OPML', () => {
    it('lists every current feed set in every format', async () => {
      const res = await get('/opml.xml');
      expect(res.headers.get('content-type')).toBe('text/x-opml; charset=utf-8');
      const opml = await res.text();
      const urls = [...opml.matchAll(/xmlUrl="([^"]+)"/g)].map((m) => m[1]);
      for (const base of ['', '/tags/climat', '/tags/ete', '/publishers/afp']) {
        for (const file of ['/feed.xml', '/atom.xml', '/feed.json'])
          expect(urls).toContain(`https://news.example${base}${file}`);
      }
      expect(urls.some((u) => u?.includes('archive') || u?.includes('limit'))).toBe(false);
    });
  });

  describe('6. caching', () => {
    it('If-None-Match wins over If-Modified-Since (RFC 9110 §13.2.2)', async () => {
      const res = await get('/feed.xml');
      const lastModified = res.headers.get('last-modified') ?? '';
      const stale = await get('/feed.xml', { 'If-None-Match': '"nope"', 'If-Modified-Since': lastModified });
      expect(stale.status).toBe(200);
      const fresh = await get('/feed.xml', {
        'If-None-Match': `"a", W/${res.headers.get('etag')}`,
        'If-Modified-Since': 'Thu, 01 Jan 1970 00:00:00 GMT',
      });
      expect(fresh.status).toBe(304);
      expect((await get('/feed.xml', { 'If-None-Match': '*' })).status).toBe(304);
    });

    it('Last-Modified moves when the bytes change — a deletion included — not with item dates', async () => {
      const first = await get('/tags/climat/feed.xml');
      now = new Date('2026-02-02T10:00:00Z');
      // Item 5 loses its tag: the tag feed's bytes change although no item is newer.
      await publish(corpus().map((item) => (item.slug === 'story-5' ? { ...item, tags: [] } : item)));
      const second = await get('/tags/climat/feed.xml');
      expect(second.headers.get('etag')).not.toBe(first.headers.get('etag'));
      expect(second.headers.get('last-modified')).toBe('Mon, 02 Feb 2026 10:00:00 GMT');
      const untouched = await get('/tags/ete/feed.xml');
      expect(untouched.headers.get('last-modified')).toBe('Sun, 01 Feb 2026 10:00:00 GMT');
    });

    it('ties max-age to the schedule with stale-while-revalidate and stale-if-error, and RSS ttl agrees', async () => {
      const res = await get('/feed.xml');
      expect(res.headers.get('cache-control')).toBe(
        'public, max-age=900, stale-while-revalidate=900, stale-if-error=86400',
      );
      expect(await res.text()).toContain('<ttl>15</ttl>');
    });
  });

  describe('7. errors', () => {
    it('404 is JSON on JSON Feed paths and text elsewhere, never HTML', async () => {
      const json = await get('/tags/nope/feed.json');
      expect(json.status).toBe(404);
      expect(json.headers.get('content-type')).toBe('application/json; charset=utf-8');
      const xml = await get('/tags/nope/feed.xml');
      expect(xml.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    });

    it('405 names the allowed methods', async () => {
      const res = await get('/feed.json', {}, 'POST');
      expect(res.status).toBe(405);
      expect(res.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
      expect(await res.json()).toMatchObject({ error: 'method_not_allowed' });
    });

    it('503 with Retry-After before the first build', async () => {
      const empty = createApp({ reader: createStorageReader(createMemoryStorage()), logger: silent });
      const res = await empty.request('/tags/climat/feed.json');
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('10');
    });

    it('429 with Retry-After past the per-client budget, per client, refilled over time', async () => {
      const limited = createApp({
        reader,
        logger: silent,
        clock,
        rateLimit: {
          requests: 2,
          windowSeconds: 60,
          keyOf: (req) => req.headers.get('x-test-client') ?? undefined,
        },
      });
      const from = (client: string) =>
        limited.request('/feed.json', { headers: { 'x-test-client': client } });
      expect((await from('a')).status).toBe(200);
      expect((await from('a')).status).toBe(200);
      const blocked = await from('a');
      expect(blocked.status).toBe(429);
      expect(blocked.headers.get('retry-after')).toBe('30');
      expect(await blocked.json()).toMatchObject({ error: 'rate_limited' });
      expect((await from('b')).status).toBe(200);
      expect((await limited.request('/healthz', { headers: { 'x-test-client': 'a' } })).status).toBe(200);
      now = new Date(now.getTime() + 30_000);
      expect((await from('a')).status).toBe(200);
    });
  });

  describe('8. headers', () => {
    it('nosniff everywhere; CSP on HTML allowing exactly the page style by hash', async () => {
      const page = await get('/articles/story-1');
      const csp = page.headers.get('content-security-policy') ?? '';
      expect(csp).toBe(await htmlContentSecurityPolicy());
      const hash = Buffer.from(
        await crypto.subtle.digest('SHA-256', new TextEncoder().encode(PAGE_STYLE)),
      ).toString('base64');
      expect(csp).toContain(`style-src 'sha256-${hash}'`);
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("img-src 'self' https:;");
      expect(csp).toContain("media-src 'self' https:;");
      expect(await htmlContentSecurityPolicy('http://localhost:8787')).toContain(
        "img-src 'self' https: http:;",
      );
      expect(csp).not.toMatch(/script-src|data:/);
      expect(csp).not.toContain('unsafe-inline');
      for (const path of ['/', '/feed.xml', '/feed.json', '/robots.txt', '/nope']) {
        expect((await get(path)).headers.get('x-content-type-options')).toBe('nosniff');
      }
      expect((await get('/feed.xml')).headers.get('content-security-policy')).toBeNull();
    });

    it('CORS on JSON Feed (and the other feeds), with ETag exposed; preflight answered', async () => {
      const res = await get('/tags/climat/feed.json');
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      expect(res.headers.get('access-control-expose-headers')).toContain('ETag');
      expect((await get('/atom.xml')).headers.get('access-control-allow-origin')).toBe('*');
      const preflight = await get(
        '/feed.json',
        { Origin: 'https://reader.example', 'Access-Control-Request-Headers': 'if-none-match' },
        'OPTIONS',
      );
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('access-control-allow-headers')).toContain('If-None-Match');
    });

    it('serves robots.txt as plain text allowing feeds', async () => {
      const res = await get('/robots.txt');
      expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
      expect(await res.text()).toContain('User-agent: *\nAllow: /');
    });
  });
});
