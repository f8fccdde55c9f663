import { load } from 'cheerio';
import { describe, expect, it } from 'vitest';
import type { RenderedDocument, SiteInfo } from '../../../src/core/model.ts';
import {
  buildFeedSet,
  IMMUTABLE_TTL_MINUTES,
  type SyndicationOptions,
} from '../../../src/core/syndicate/build-feed-set.ts';
import { BASE_URL, makeItems } from './items.ts';

const SITE: SiteInfo = { title: 'K', description: 'D', baseUrl: BASE_URL, language: 'fr', ttlMinutes: 15 };
const OPTIONS: SyndicationOptions = {
  feedSize: 2,
  archivePageSize: 2,
  feedLimits: [1, 5],
  hubs: ['https://hub.example/'],
  stylesheet: `${BASE_URL}/feed.xsl`,
};

function build(count: number, basePath = ''): Map<string, RenderedDocument> {
  const items = makeItems(count);
  const docs = buildFeedSet(
    { basePath, site: SITE, items, fallbackUpdated: '2026-01-01T00:00:00Z' },
    OPTIONS,
  );
  return new Map(docs.map((d) => [d.path, d]));
}

function atomLinks(body: string): Record<string, string> {
  const $ = load(body, { xml: true });
  const out: Record<string, string> = {};
  $('feed > link, channel > atom\\:link').each((_, el) => {
    out[$(el).attr('rel') ?? ''] = $(el).attr('href') ?? '';
  });
  return out;
}

describe('buildFeedSet', () => {
  const docs = build(7);

  it('publishes current feeds, limit variants below the item count and archive pages', () => {
    expect([...docs.keys()].sort()).toEqual(
      [
        '/feed.xml',
        '/atom.xml',
        '/feed.html',
        '/archive/1/feed.html',
        '/archive/2/feed.html',
        '/archive/3/feed.html',
        '/feed.json',
        '/feed.xml?limit=1',
        '/atom.xml?limit=1',
        '/feed.json?limit=1',
        ...[1, 2, 3].flatMap((n) => [
          `/archive/${n}/feed.xml`,
          `/archive/${n}/atom.xml`,
          `/archive/${n}/feed.json`,
        ]),
      ].sort(),
    );
  });

  it('links the current feed to the newest archive page, with hub, self and stylesheet', () => {
    const atom = docs.get('/atom.xml')?.body ?? '';
    expect(atom).toContain(`<?xml-stylesheet type="text/xsl" href="${BASE_URL}/feed.xsl"?>`);
    expect(atomLinks(atom)).toMatchObject({
      self: `${BASE_URL}/atom.xml`,
      hub: 'https://hub.example/',
      'prev-archive': `${BASE_URL}/archive/3/atom.xml`,
    });
    const rss = atomLinks(docs.get('/feed.xml')?.body ?? '');
    expect(rss).toMatchObject({
      self: `${BASE_URL}/feed.xml`,
      'prev-archive': `${BASE_URL}/archive/3/feed.xml`,
    });
    const json = JSON.parse(docs.get('/feed.json')?.body ?? '{}');
    expect(json.next_url).toBe(`${BASE_URL}/archive/3/feed.json`);
    expect(json.hubs).toEqual([{ type: 'WebSub', url: 'https://hub.example/' }]);
  });

  it('chains archive pages both ways, marks them fh:archive and freezes only complete ones', () => {
    const page2 = docs.get('/archive/2/atom.xml');
    expect(atomLinks(page2?.body ?? '')).toMatchObject({
      self: `${BASE_URL}/archive/2/atom.xml`,
      current: `${BASE_URL}/atom.xml`,
      'prev-archive': `${BASE_URL}/archive/1/atom.xml`,
      'next-archive': `${BASE_URL}/archive/3/atom.xml`,
    });
    expect(page2?.body).toContain('<fh:archive/>');
    expect(page2?.immutable).toBe(true);
    expect(docs.get('/archive/1/feed.xml')?.immutable).toBe(true);
    expect(atomLinks(docs.get('/archive/1/feed.xml')?.body ?? '')['prev-archive']).toBeUndefined();
    expect(docs.get('/archive/3/feed.xml')?.immutable).toBeUndefined();
    expect(atomLinks(docs.get('/archive/3/feed.xml')?.body ?? '')['next-archive']).toBeUndefined();
    expect(JSON.parse(docs.get('/archive/2/feed.json')?.body ?? '{}').next_url).toBe(
      `${BASE_URL}/archive/1/feed.json`,
    );
    expect(JSON.parse(docs.get('/archive/1/feed.json')?.body ?? '{}').next_url).toBeUndefined();
  });

  it('gives an immutable RSS page a ttl as long as its Cache-Control, and the current feed the schedule', () => {
    expect(docs.get('/archive/1/feed.xml')?.body).toContain(`<ttl>${IMMUTABLE_TTL_MINUTES}</ttl>`);
    expect(docs.get('/archive/3/feed.xml')?.body).toContain('<ttl>15</ttl>');
    expect(docs.get('/feed.xml')?.body).toContain('<ttl>15</ttl>');
  });

  it('a limit variant names itself and carries no archive links (they would skip items)', () => {
    const variant = docs.get('/atom.xml?limit=1')?.body ?? '';
    expect(atomLinks(variant).self).toBe(`${BASE_URL}/atom.xml?limit=1`);
    expect(atomLinks(variant)['prev-archive']).toBeUndefined();
    expect((variant.match(/<entry /g) ?? []).length).toBe(1);
  });

  it('lets a new subscriber backfill every item exactly once from the current feed', () => {
    const seen: string[] = [];
    let path: string | undefined = '/feed.json';
    while (path !== undefined) {
      const feed = JSON.parse(docs.get(path)?.body ?? '{}') as { items: { id: string }[]; next_url?: string };
      seen.push(...feed.items.map((i) => i.id));
      path = feed.next_url?.slice(BASE_URL.length);
    }
    expect(new Set(seen).size).toBe(7);
    expect(seen).toHaveLength(7);
  });

  it('puts a scope under its base path with its own home', () => {
    const tag = build(1, '/tags/climat');
    expect([...tag.keys()].sort()).toEqual([
      '/tags/climat/atom.xml',
      '/tags/climat/feed.html',
      '/tags/climat/feed.json',
      '/tags/climat/feed.xml',
    ]);
    expect(JSON.parse(tag.get('/tags/climat/feed.json')?.body ?? '{}').home_page_url).toBe(
      `${BASE_URL}/tags/climat`,
    );
  });
});
