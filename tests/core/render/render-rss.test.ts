import { describe, expect, it } from 'vitest';
import { createFeedLinks, type FeedLinks } from '../../../src/core/render/feed-links.ts';
import { renderRss, renderRssItem } from '../../../src/core/render/render-rss.ts';
import { stripInvalidXmlChars } from '../../../src/core/render/xml-text.ts';
import { createDocument, createHostileDocument, createItem, HOSTILE_TEXT } from './fixtures.ts';
import { expectWellFormedXml, loadXml } from './xml-assert.ts';

function render(doc = createDocument(), extra: Partial<FeedLinks> = {}): string {
  return renderRss(doc, { ...createFeedLinks(doc.site), ...extra });
}

describe('renderRss', () => {
  it('renders the fixture document (file snapshot)', async () => {
    const xml = render();
    expectWellFormedXml(xml);
    await expect(xml).toMatchFileSnapshot('./__snapshots__/feed.xml');
  });

  it('is byte-identical across calls and leaves its input untouched', () => {
    const doc = createDocument();
    const before = structuredClone(doc);
    expect(render(doc)).toBe(render(doc));
    expect(doc).toEqual(before);
  });

  it('writes the channel metadata from the site and doc.updated', () => {
    const $ = loadXml(render());
    expect($('rss').attr('version')).toBe('2.0');
    expect($('channel > title').text()).toBe('Kiosque — Revue de presse');
    expect($('channel > link').text()).toBe('https://news.example/');
    expect($('channel > language').text()).toBe('fr');
    expect($('channel > ttl').text()).toBe('30');
    expect($('channel > lastBuildDate').text()).toBe('Tue, 03 Jun 2025 12:30:00 GMT');
    const self = $('channel > atom\\:link[rel="self"]');
    expect(self.attr('href')).toBe('https://news.example/feed.xml');
    expect(self.attr('type')).toBe('application/rss+xml');
  });

  it('writes each item: guid = id (not a permalink), link, pubDate, dc:creator, categories, content', () => {
    const $ = loadXml(render());
    const items = $('item');
    expect(items).toHaveLength(3);
    const first = items.first();
    expect(first.find('guid').text()).toBe('urn:uuid:0b7d3c1e-5a2f-4c1e-9d3a-1f2e3d4c5b6a');
    expect(first.find('guid').attr('isPermaLink')).toBe('false');
    expect(first.find('link').text()).toBe('https://news.example/articles/ete-record');
    expect(first.find('pubDate').text()).toBe('Tue, 03 Jun 2025 10:00:00 GMT');
    expect(first.find('dc\\:creator').text()).toBe('Camille Dupré');
    expect(
      first
        .find('category')
        .map((_, el) => $(el).text())
        .get(),
    ).toEqual(['climat', 'Marseille']);
    expect(first.find('description').text()).toBe(createItem().lead);
    expect(first.find('content\\:encoded').text()).toBe(createItem().contentHtml);
    expect($('item').eq(1).find('title').text()).toBe(
      'Lyon étend son réseau de pistes cyclables & de voies vertes',
    );
  });

  it('never writes a bare name in <author>, and omits dc:creator without an author', () => {
    const xml = render();
    expect(xml).not.toContain('<author>');
    expect(loadXml(xml)('item').eq(2).find('dc\\:creator')).toHaveLength(0);
  });

  it('HTML-escapes the plain-text lead inside <description>', () => {
    const xml = renderRssItem(createItem({ lead: 'a < b & c' }));
    expect(loadXml(xml)('description').text()).toBe('a &lt; b &amp; c');
  });

  it('survives hostile strings: well-formed, illegal characters gone, ]]> kept', () => {
    const xml = render(createHostileDocument());
    expectWellFormedXml(xml);
    const $ = loadXml(xml);
    const first = $('item').first();
    const expected = stripInvalidXmlChars(`Titre ${HOSTILE_TEXT}`);
    expect(first.find('title').text()).toBe(expected);
    expect(first.find('content\\:encoded').text()).toContain('<p>]]></p><p>]]]]></p>');
    expect(first.find('content\\:encoded').text()).toContain('😀 \u200Fمرحبا\u200E');
    expect(first.find('category').eq(1).text()).toBe('&<>"\'');
  });

  it('stays valid with no items', () => {
    const xml = render(createDocument({ items: [] }));
    expectWellFormedXml(xml);
    expect(loadXml(xml)('item')).toHaveLength(0);
    expect(xml).toContain('<lastBuildDate>Tue, 03 Jun 2025 12:30:00 GMT</lastBuildDate>');
  });

  it('renders the optional links: stylesheet, hubs, RFC 5005 archive links', () => {
    const xml = render(createDocument(), {
      stylesheet: 'https://news.example/feed.xsl',
      hubs: ['https://hub.example/', 'https://hub2.example/'],
      current: 'https://news.example/feed.xml',
      prevArchive: 'https://news.example/archive/1.xml',
      nextArchive: 'https://news.example/archive/3.xml',
    });
    expectWellFormedXml(xml);
    expect(xml.split('\n')[1]).toBe(
      '<?xml-stylesheet type="text/xsl" href="https://news.example/feed.xsl"?>',
    );
    const $ = loadXml(xml);
    expect(
      $('atom\\:link[rel="hub"]')
        .map((_, el) => $(el).attr('href'))
        .get(),
    ).toEqual(['https://hub.example/', 'https://hub2.example/']);
    expect($('atom\\:link[rel="current"]').attr('href')).toBe('https://news.example/feed.xml');
    expect($('atom\\:link[rel="prev-archive"]').attr('href')).toBe('https://news.example/archive/1.xml');
    expect($('atom\\:link[rel="next-archive"]').attr('href')).toBe('https://news.example/archive/3.xml');
  });

  it('embeds renderRssItem fragments verbatim, so they can be cached', () => {
    const doc = createDocument();
    const xml = render(doc);
    for (const item of doc.items) expect(xml).toContain(renderRssItem(item));
  });
});
