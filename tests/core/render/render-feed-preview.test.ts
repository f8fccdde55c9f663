import { load } from 'cheerio';
import { describe, expect, it } from 'vitest';
import { createFeedLinks, feedPreviewPathOf } from '../../../src/core/render/feed-links.ts';
import { renderFeedPreview } from '../../../src/core/render/render-feed-preview.ts';
import { createDocument } from './fixtures.ts';

describe('renderFeedPreview (a feed for people, without XSLT)', () => {
  const doc = createDocument();
  const links = createFeedLinks(doc.site);

  it('names the feed, gives its address, plain reader links and the items with localised dates', () => {
    const html = renderFeedPreview(doc, links);
    const $ = load(html);
    expect($('html').attr('lang')).toBe(doc.site.language);
    expect($('h1').text()).toBe(doc.site.title);
    expect($('main code').first().text()).toBe(links.rss);
    expect($('a[href^="https://feedly.com/i/subscription/feed/"]').attr('href')).toBe(
      `https://feedly.com/i/subscription/feed/${encodeURIComponent(links.rss)}`,
    );
    expect($('a[href^="https://theoldreader.com/"]')).toHaveLength(1);
    expect($('ol.items > li')).toHaveLength(doc.items.length);
    expect($('ol.items time').first().text()).toMatch(/^\d{1,2} \p{L}+ \d{4}$/u);
    expect(html).not.toMatch(/<script|\sstyle=|xml-stylesheet/i);
    expect(renderFeedPreview(doc, links)).toBe(html);
  });

  it('titles an archive page with its number and escapes every text', () => {
    const hostile = { ...doc, site: { ...doc.site, title: '<b>x</b> & y' } };
    const html = renderFeedPreview(hostile, links, { archivePage: 3 });
    expect(html).toContain('<h1>&lt;b&gt;x&lt;/b&gt; &amp; y — Page d’archives 3</h1>');
  });

  it('maps every feed route (incl. archives; not other paths) to its preview', () => {
    expect(feedPreviewPathOf('/atom.xml')).toBe('/feed.html');
    expect(feedPreviewPathOf('/tags/x/feed.json')).toBe('/tags/x/feed.html');
    expect(feedPreviewPathOf('/publishers/afp/archive/2/feed.xml')).toBe(
      '/publishers/afp/archive/2/feed.html',
    );
    expect(feedPreviewPathOf('/opml.xml')).toBeNull();
    expect(feedPreviewPathOf('/articles/feed')).toBeNull();
  });
});
