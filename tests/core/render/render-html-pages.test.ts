import { load } from 'cheerio';
import { describe, expect, it } from 'vitest';
import { PAGE_STYLE } from '../../../src/core/page-style.ts';
import { createFeedLinks } from '../../../src/core/render/feed-links.ts';
import { renderArticlePage, renderIndexPage } from '../../../src/core/render/render-html-pages.ts';
import { createDocument, createHostileItem, createItem, createItems, createSite } from './fixtures.ts';
import { findIllegalXmlChar } from './xml-assert.ts';

const FEED_ALTERNATES = [
  ['application/rss+xml', 'https://news.example/feed.xml'],
  ['application/atom+xml', 'https://news.example/atom.xml'],
  ['application/feed+json', 'https://news.example/feed.json'],
];

function alternates(html: string): string[][] {
  const $ = load(html);
  return $('link[rel="alternate"]')
    .map((_, el) => [[$(el).attr('type') ?? '', $(el).attr('href') ?? '']])
    .get();
}

describe('renderIndexPage', () => {
  const doc = createDocument();
  const links = createFeedLinks(doc.site);

  it('renders the fixture document (file snapshot)', async () => {
    await expect(renderIndexPage(doc, links)).toMatchFileSnapshot('./__snapshots__/index.html');
  });

  it('is byte-identical across calls', () => {
    expect(renderIndexPage(createDocument(), links)).toBe(renderIndexPage(createDocument(), links));
  });

  it('has charset, viewport, title, description, the three feed alternates and no script', () => {
    const html = renderIndexPage(doc, links);
    expect(html.startsWith('<!doctype html>\n<html lang="fr">\n<head>\n<meta charset="utf-8">')).toBe(true);
    const $ = load(html);
    expect($('meta[name="viewport"]').attr('content')).toBe('width=device-width, initial-scale=1');
    expect($('title').text()).toBe('Kiosque — Revue de presse');
    expect($('meta[name="description"]').attr('content')).toBe(doc.site.description);
    expect(alternates(html)).toEqual(FEED_ALTERNATES);
    expect(
      $('nav a')
        .map((_, el) => $(el).attr('href'))
        .get(),
    ).toEqual(FEED_ALTERNATES.map(([, href]) => href));
    expect($('script')).toHaveLength(0);
    expect(html).not.toMatch(/\sstyle=/);
    expect($('style').text()).toBe(PAGE_STYLE);
  });

  it('lists items newest first with permalink, date, author and lead', () => {
    const $ = load(renderIndexPage(doc, links));
    const entries = $('ol.items > li');
    expect(entries).toHaveLength(3);
    expect(
      entries
        .find('h2 a')
        .map((_, el) => $(el).attr('href'))
        .get(),
    ).toEqual(createItems().map((i) => i.url));
    const first = entries.first();
    expect(first.find('h2').text()).toBe('Un été record à Marseille');
    expect(first.find('time').attr('datetime')).toBe('2025-06-03T10:00:00Z');
    expect(first.find('time').text()).toBe('3 juin 2025');
    expect(first.find('.meta').text()).toContain('Camille Dupré');
    expect(first.find('p').last().text()).toBe(createItem().lead);
  });

  it('escapes every text and strips illegal characters', () => {
    const hostile = createDocument({ items: [createHostileItem()] });
    const html = renderIndexPage(
      { ...hostile, site: createSite({ title: '<script>alert(1)</script> & "co"' }) },
      links,
    );
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;co&quot;');
    expect(findIllegalXmlChar(html)).toBeNull();
    expect(load(html)('h2 a').text()).toContain('<b>x</b>');
  });

  it('says so when there are no items', () => {
    const $ = load(renderIndexPage(createDocument({ items: [] }), links));
    expect($('ol.items')).toHaveLength(0);
    expect($('main p').text()).toBe('Aucun article pour l’instant.');
  });
});

describe('renderArticlePage', () => {
  const site = createSite();
  const links = createFeedLinks(site);

  it('renders the fixture article (file snapshot)', async () => {
    await expect(renderArticlePage(createItem(), site, links)).toMatchFileSnapshot(
      './__snapshots__/article.html',
    );
  });

  it('is byte-identical across calls', () => {
    expect(renderArticlePage(createItem(), site, links)).toBe(renderArticlePage(createItem(), site, links));
  });

  it('shows title, byline, publisher, dates, content, tags, and links back home', () => {
    const item = createItem();
    const $ = load(renderArticlePage(item, site, links));
    expect($('html').attr('lang')).toBe('fr');
    expect($('title').text()).toBe('Un été record à Marseille — Kiosque — Revue de presse');
    expect($('meta[name="description"]').attr('content')).toBe(item.lead);
    expect($('h1').text()).toBe(item.title);
    const meta = $('.meta').text();
    expect(meta).toContain('Camille Dupré');
    expect(meta).toContain('Le Journal du Sud');
    expect(
      $('.meta time')
        .map((_, el) => $(el).attr('datetime'))
        .get(),
    ).toEqual(['2025-06-03T10:00:00Z']);
    expect($('.content h2').text()).toBe('Des mesures d’urgence');
    expect(
      $('.tags li')
        .map((_, el) => $(el).text())
        .get(),
    ).toEqual(['climat', 'Marseille']);
    expect($('header nav a').attr('href')).toBe('https://news.example/');
    expect(alternates(renderArticlePage(item, site, links))).toEqual(FEED_ALTERNATES);
    expect($('script')).toHaveLength(0);
  });

  it('points canonical at the original article, or at the permalink without one', () => {
    const withExternal = load(renderArticlePage(createItem(), site, links));
    expect(withExternal('link[rel="canonical"]').attr('href')).toBe(
      'https://journal.example/2025/06/ete-record',
    );
    const { externalUrl: _e, ...bare } = createItem();
    const without = load(renderArticlePage(bare, site, links));
    expect(without('link[rel="canonical"]').attr('href')).toBe('https://news.example/articles/ete-record');
  });

  it('never turns a javascript: URL into a link', () => {
    const html = renderArticlePage(createItem({ externalUrl: 'javascript:alert(1)' }), site, links);
    expect(html).not.toContain('javascript:');
    expect(load(html)('link[rel="canonical"]').attr('href')).toBe('https://news.example/articles/ete-record');
  });

  it('shows the update day when it differs from the publication day', () => {
    const $ = load(renderArticlePage(createItem({ updated: '2025-06-05T08:00:00Z' }), site, links));
    expect(
      $('.meta time')
        .map((_, el) => $(el).text())
        .get(),
    ).toEqual(['3 juin 2025', '5 juin 2025']);
  });

  it('escapes hostile metadata and strips illegal characters', () => {
    const html = renderArticlePage(createHostileItem(), site, links);
    expect(findIllegalXmlChar(html)).toBeNull();
    const $ = load(html);
    expect($('h1').text()).toContain('<b>x</b>');
    expect($('h1 b')).toHaveLength(0);
    expect($('link[rel="canonical"]').attr('href')).toBe('https://journal.example/a?x=1&y=%3C2%3E');
  });
});
