import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from 'cheerio';
import { describe, expect, it } from 'vitest';
import { createFeedLinks } from '../../../src/core/render/feed-links.ts';
import { localeFor } from '../../../src/core/render/i18n/translate.ts';
import { renderFeedXsl } from '../../../src/core/render/render-feed-xsl.ts';
import {
  renderArticlePage,
  renderIndexPage,
  type TopicLink,
} from '../../../src/core/render/render-html-pages.ts';
import { renderOpml } from '../../../src/core/render/render-opml.ts';
import { renderRobots } from '../../../src/core/render/render-robots.ts';
import { renderRss } from '../../../src/core/render/render-rss.ts';
import { createDocument, createItem, createSite } from './fixtures.ts';

const site = createSite();
const hasXsltproc = (() => {
  try {
    execFileSync('xsltproc', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
const topic = (label: string, slug: string): TopicLink => {
  const feeds = createFeedLinks(site, `/tags/${slug}`);
  return { label, page: feeds.home, feeds };
};

describe('renderFeedXsl', () => {
  const xsl = renderFeedXsl(site);

  it('is well-formed XSLT 1.0 handling RSS and Atom, without scripts', () => {
    const $ = load(xsl, { xml: true });
    expect($('xsl\\:stylesheet').attr('version')).toBe('1.0');
    expect(xsl).toContain('match="/"');
    expect(xsl).toContain('rss/channel/item');
    expect(xsl).toContain('atom:feed/atom:entry');
    expect(xsl).not.toMatch(/<script|\sstyle=/i);
    expect(xsl).toContain(localeFor(site.language).t.previewHowTo);
  });

  // The headless Chromium test (tests/views) covers the browser path when xsltproc is absent.
  it.skipIf(!hasXsltproc)(
    'transforms a feed into a page that shows its items and how to subscribe (xsltproc)',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'kiosque-xsl-'));
      try {
        writeFileSync(join(dir, 'feed.xsl'), xsl);
        writeFileSync(join(dir, 'feed.xml'), renderRss(createDocument(), createFeedLinks(site)));
        const html = execFileSync('xsltproc', [join(dir, 'feed.xsl'), join(dir, 'feed.xml')], {
          encoding: 'utf8',
        });
        const $ = load(html);
        expect($('h1').text()).toBe(site.title);
        expect($('code.feed-url').text()).toBe('https://news.example/feed.xml');
        expect($('ol.items h3 a').first().text()).toBe(createDocument().items[0]?.title);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});

describe('renderOpml', () => {
  it('lists the main feeds and one folder per group, every format, escaped', () => {
    const opml = renderOpml(
      site,
      createFeedLinks(site),
      [
        { title: 'Tags', feeds: [{ title: 'Climat & co', links: createFeedLinks(site, '/tags/climat') }] },
        { title: 'Empty', feeds: [] },
      ],
      '2025-06-03T12:30:00Z',
    );
    const $ = load(opml, { xml: true });
    expect($('opml').attr('version')).toBe('2.0');
    expect($('head > dateModified').text()).toBe('Tue, 03 Jun 2025 12:30:00 GMT');
    const urls = $('outline[xmlUrl]')
      .map((_, el) => $(el).attr('xmlUrl'))
      .get();
    expect(urls).toEqual([
      'https://news.example/feed.xml',
      'https://news.example/atom.xml',
      'https://news.example/feed.json',
      'https://news.example/tags/climat/feed.xml',
      'https://news.example/tags/climat/atom.xml',
      'https://news.example/tags/climat/feed.json',
    ]);
    expect($('body > outline[text="Tags"] > outline').first().attr('text')).toBe('Climat & co (RSS)');
    expect($('outline[text="Empty"]')).toHaveLength(0);
  });
});

describe('renderRobots', () => {
  it('allows everything and names the OPML list', () => {
    const robots = renderRobots('https://news.example/opml.xml');
    expect(robots).toMatch(/^User-agent: \*\nAllow: \/$/m);
    expect(robots).not.toMatch(/Disallow/);
    expect(robots).toContain('https://news.example/opml.xml');
  });
});

describe('HTML discovery', () => {
  it('the index lists feeds, OPML, tags and publishers (without counts, which change with every re-tag)', () => {
    const links = createFeedLinks(site);
    const html = renderIndexPage(createDocument(), links, {
      directory: {
        tags: [topic('Climat', 'climat')],
        publishers: [topic('AFP', 'afp')],
        opml: 'https://news.example/opml.xml',
      },
    });
    const $ = load(html);
    expect($('a[type="text/x-opml"]').attr('href')).toBe('https://news.example/opml.xml');
    expect($('ul.feeds a[type="application/feed+json"]').attr('href')).toBe('https://news.example/feed.json');
    const sections = $('section h2')
      .map((_, el) => $(el).text())
      .get();
    expect(sections).toEqual(['Flux', 'Mots-clés', 'Éditeurs']);
    expect($('section').eq(1).find('a').attr('href')).toBe('https://news.example/tags/climat');
    expect($('section').eq(1).find('li').text()).toBe('Climat');
    expect($('script')).toHaveLength(0);
  });

  it('a topic page links back home', () => {
    const feeds = createFeedLinks(site, '/tags/climat');
    const $ = load(
      renderIndexPage(createDocument(), feeds, { backTo: { href: 'https://news.example/', title: 'Home' } }),
    );
    expect($('header nav a').first().attr('href')).toBe('https://news.example/');
    expect($('link[rel="alternate"][type="application/rss+xml"]').attr('href')).toBe(
      'https://news.example/tags/climat/feed.xml',
    );
  });

  it('an article page carries rel="alternate" links to its tag feeds and links its tags', () => {
    const item = createItem({ tags: ['Climat', 'Marseille'] });
    const $ = load(renderArticlePage(item, site, createFeedLinks(site), [topic('Climat', 'climat')]));
    const alternates = $('link[rel="alternate"]')
      .map((_, el) => $(el).attr('href'))
      .get();
    expect(alternates).toEqual([
      'https://news.example/feed.xml',
      'https://news.example/atom.xml',
      'https://news.example/feed.json',
      'https://news.example/tags/climat/feed.xml',
      'https://news.example/tags/climat/atom.xml',
      'https://news.example/tags/climat/feed.json',
    ]);
    expect($('ul.tags a[rel="tag"]').attr('href')).toBe('https://news.example/tags/climat');
    expect($('ul.tags li').eq(1).text()).toBe('Marseille');
  });
});
