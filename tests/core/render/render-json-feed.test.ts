import { describe, expect, it } from 'vitest';
import { createFeedLinks, type FeedLinks } from '../../../src/core/render/feed-links.ts';
import {
  JSON_FEED_VERSION,
  jsonFeedItem,
  renderJsonFeed,
} from '../../../src/core/render/render-json-feed.ts';
import { stripInvalidXmlChars } from '../../../src/core/render/xml-text.ts';
import { createDocument, createHostileDocument, createItem, HOSTILE_TEXT } from './fixtures.ts';
import { findIllegalXmlChar } from './xml-assert.ts';

function render(doc = createDocument(), extra: Partial<FeedLinks> = {}): string {
  return renderJsonFeed(doc, { ...createFeedLinks(doc.site), ...extra });
}

describe('renderJsonFeed', () => {
  it('renders the fixture document (file snapshot)', async () => {
    await expect(render()).toMatchFileSnapshot('./__snapshots__/feed.json.txt');
  });

  it('is byte-identical across calls, ends with a newline and leaves its input untouched', () => {
    const doc = createDocument();
    const before = structuredClone(doc);
    const json = render(doc);
    expect(render(doc)).toBe(json);
    expect(json.endsWith('}\n')).toBe(true);
    expect(doc).toEqual(before);
  });

  it('writes JSON Feed 1.1 top-level fields, with authors (not author)', () => {
    const feed = JSON.parse(render());
    expect(Object.keys(feed)).toEqual([
      'version',
      'title',
      'home_page_url',
      'feed_url',
      'description',
      'language',
      'authors',
      'items',
    ]);
    expect(feed.version).toBe(JSON_FEED_VERSION);
    expect(feed.version).toBe('https://jsonfeed.org/version/1.1');
    expect(feed.home_page_url).toBe('https://news.example/');
    expect(feed.feed_url).toBe('https://news.example/feed.json');
    expect(feed.language).toBe('fr');
    expect(feed.authors).toEqual([{ name: 'Kiosque — Revue de presse', url: 'https://news.example/' }]);
    expect(feed).not.toHaveProperty('author');
  });

  it('writes every item field in a fixed order', () => {
    const item = jsonFeedItem(createItem());
    expect(Object.keys(item)).toEqual([
      'id',
      'url',
      'external_url',
      'title',
      'summary',
      'content_html',
      'content_text',
      'date_published',
      'date_modified',
      'authors',
      'tags',
      'language',
    ]);
    expect(item).toMatchObject({
      id: 'urn:uuid:0b7d3c1e-5a2f-4c1e-9d3a-1f2e3d4c5b6a',
      url: 'https://news.example/articles/ete-record',
      external_url: 'https://journal.example/2025/06/ete-record',
      date_published: '2025-06-03T10:00:00Z',
      date_modified: '2025-06-03T12:30:00Z',
      authors: [{ name: 'Camille Dupré' }],
      tags: ['climat', 'Marseille'],
      language: 'fr',
    });
  });

  it('omits absent optional fields and unsafe URLs instead of writing empty or invalid values', () => {
    const { author: _a, externalUrl: _e, ...bare } = createItem({ tags: [] });
    const item = jsonFeedItem({ ...bare, image: 'javascript:alert(1)' });
    expect(item).not.toHaveProperty('authors');
    expect(item).not.toHaveProperty('external_url');
    expect(item).not.toHaveProperty('tags');
    expect(item).not.toHaveProperty('image');
    expect(jsonFeedItem(createItem({ image: 'https://img.example/a b.jpg' })).image).toBe(
      'https://img.example/a%20b.jpg',
    );
  });

  it('survives hostile strings: valid JSON, the same text as the XML formats', () => {
    const json = render(createHostileDocument());
    expect(findIllegalXmlChar(json)).toBeNull();
    const first = JSON.parse(json).items[0];
    expect(first.title).toBe(stripInvalidXmlChars(`Titre ${HOSTILE_TEXT}`));
    expect(first.title).toContain('😀 \u200Fمرحبا\u200E');
    expect(first.content_html).toContain('<p>]]></p><p>]]]]></p>');
    expect(first.external_url).toBe('https://journal.example/a?x=1&y=%3C2%3E');
    expect(findIllegalXmlChar(JSON.stringify(first))).toBeNull();
  });

  it('stays valid with no items', () => {
    const feed = JSON.parse(render(createDocument({ items: [] })));
    expect(feed.items).toEqual([]);
    expect(feed.version).toBe(JSON_FEED_VERSION);
  });

  it('renders hubs and next_url when given', () => {
    const feed = JSON.parse(
      render(createDocument(), {
        hubs: ['https://hub.example/'],
        nextUrl: 'https://news.example/feed.json?page=2',
      }),
    );
    expect(feed.hubs).toEqual([{ type: 'WebSub', url: 'https://hub.example/' }]);
    expect(feed.next_url).toBe('https://news.example/feed.json?page=2');
    expect(Object.keys(feed).slice(-3)).toEqual(['hubs', 'next_url', 'items']);
  });
});
