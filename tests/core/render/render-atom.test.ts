import { describe, expect, it } from 'vitest';
import { createFeedLinks, type FeedLinks } from '../../../src/core/render/feed-links.ts';
import { renderAtom, renderAtomEntry } from '../../../src/core/render/render-atom.ts';
import { stripInvalidXmlChars } from '../../../src/core/render/xml-text.ts';
import { createDocument, createHostileDocument, createItem, createSite, HOSTILE_TEXT } from './fixtures.ts';
import { expectWellFormedXml, loadXml } from './xml-assert.ts';

function render(doc = createDocument(), extra: Partial<FeedLinks> = {}): string {
  return renderAtom(doc, { ...createFeedLinks(doc.site), ...extra });
}

describe('renderAtom', () => {
  it('renders the fixture document (file snapshot)', async () => {
    const xml = render();
    expectWellFormedXml(xml);
    await expect(xml).toMatchFileSnapshot('./__snapshots__/atom.xml');
  });

  it('is byte-identical across calls and leaves its input untouched', () => {
    const doc = createDocument();
    const before = structuredClone(doc);
    expect(render(doc)).toBe(render(doc));
    expect(doc).toEqual(before);
  });

  it('writes a stable feed id, links, updated, a feed-level author and generator', () => {
    const $ = loadXml(render());
    expect($('feed').attr('xmlns')).toBe('http://www.w3.org/2005/Atom');
    expect($('feed > id').text()).toBe('https://news.example/');
    expect($('feed > title').text()).toBe('Kiosque — Revue de presse');
    expect($('feed > subtitle').text()).toBe('Articles nettoyés, publiés en RSS, Atom et JSON Feed.');
    expect($('feed > updated').text()).toBe('2025-06-03T12:30:00Z');
    expect($('feed > link[rel="self"]').attr('href')).toBe('https://news.example/atom.xml');
    expect($('feed > link[rel="self"]').attr('type')).toBe('application/atom+xml');
    expect($('feed > link[rel="alternate"]').attr('href')).toBe('https://news.example/');
    expect($('feed > author > name').text()).toBe('Kiosque — Revue de presse');
    expect($('feed > generator').text()).toBe('kiosque');
  });

  it('keeps the feed id when only the base URL’s trailing slash differs', () => {
    const a = render(createDocument({ site: createSite({ baseUrl: 'https://news.example' }) }));
    const b = render(createDocument({ site: createSite({ baseUrl: 'https://news.example/' }) }));
    expect(a).toBe(b);
  });

  it('writes each entry: id, title, alternate link, dates, author, categories, summary, html content', () => {
    const $ = loadXml(render());
    const entry = $('entry').first();
    expect(entry.attr('xml:lang')).toBe('fr');
    expect(entry.find('id').text()).toBe('urn:uuid:0b7d3c1e-5a2f-4c1e-9d3a-1f2e3d4c5b6a');
    expect(entry.find('title').text()).toBe('Un été record à Marseille');
    expect(entry.find('link[rel="alternate"]').attr('href')).toBe('https://news.example/articles/ete-record');
    expect(entry.find('link[rel="related"]').attr('href')).toBe('https://journal.example/2025/06/ete-record');
    expect(entry.find('published').text()).toBe('2025-06-03T10:00:00Z');
    expect(entry.find('updated').text()).toBe('2025-06-03T12:30:00Z');
    expect(entry.find('author > name').text()).toBe('Camille Dupré');
    expect(
      entry
        .find('category')
        .map((_, el) => $(el).attr('term'))
        .get(),
    ).toEqual(['climat', 'Marseille']);
    expect(entry.find('summary').text()).toBe(createItem().lead);
    expect(entry.find('content').attr('type')).toBe('html');
    expect(entry.find('content').text()).toBe(createItem().contentHtml);
    expect($('entry').eq(2).find('author')).toHaveLength(0);
  });

  it('never writes an updated earlier than published', () => {
    const xml = renderAtomEntry(
      createItem({ published: '2025-06-03T10:00:00Z', updated: '2025-06-01T00:00:00Z' }),
    );
    expect(loadXml(xml)('updated').text()).toBe('2025-06-03T10:00:00Z');
  });

  it('survives hostile strings: well-formed, illegal characters gone, ]]> kept', () => {
    const xml = render(createHostileDocument());
    expectWellFormedXml(xml);
    const entry = loadXml(xml)('entry').first();
    expect(entry.find('title').text()).toBe(stripInvalidXmlChars(`Titre ${HOSTILE_TEXT}`));
    expect(entry.find('author > name').text()).toBe(stripInvalidXmlChars(`Auteur ${HOSTILE_TEXT}`));
    expect(entry.find('content').text()).toContain('<p>]]></p><p>]]]]></p>');
    expect(entry.find('category').eq(1).attr('term')).toBe('&<>"\'');
    // `<` and `>` in a URL are percent-encoded, so the href is a valid IRI.
    expect(entry.find('link[rel="related"]').attr('href')).toBe('https://journal.example/a?x=1&y=%3C2%3E');
  });

  it('stays valid with no entries', () => {
    const xml = render(createDocument({ items: [] }));
    expectWellFormedXml(xml);
    expect(loadXml(xml)('entry')).toHaveLength(0);
  });

  it('renders the optional links: stylesheet, hubs, RFC 5005 archive links', () => {
    const xml = render(createDocument(), {
      stylesheet: 'https://news.example/feed.xsl',
      hubs: ['https://hub.example/'],
      current: 'https://news.example/atom.xml',
      prevArchive: 'https://news.example/archive/1.atom',
      nextArchive: 'https://news.example/archive/3.atom',
    });
    expectWellFormedXml(xml);
    expect(xml).toContain('<?xml-stylesheet type="text/xsl" href="https://news.example/feed.xsl"?>\n<feed ');
    const $ = loadXml(xml);
    expect($('feed > link[rel="hub"]').attr('href')).toBe('https://hub.example/');
    expect($('feed > link[rel="current"]').attr('href')).toBe('https://news.example/atom.xml');
    expect($('feed > link[rel="prev-archive"]').attr('href')).toBe('https://news.example/archive/1.atom');
    expect($('feed > link[rel="next-archive"]').attr('href')).toBe('https://news.example/archive/3.atom');
  });

  it('embeds renderAtomEntry fragments verbatim, so they can be cached', () => {
    const doc = createDocument();
    const xml = render(doc);
    for (const item of doc.items) expect(xml).toContain(renderAtomEntry(item));
  });
});
