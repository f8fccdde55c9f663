import { describe, expect, it } from 'vitest';
import { MalformedFeedError, parseUpstreamFeed } from '../../../src/core/remote/parse-upstream-feed.ts';

const FEED_URL = 'https://site.example/feeds/all.xml';

describe('parseUpstreamFeed', () => {
  it('RSS 2.0: links resolved against the channel link, dates to ISO, content:encoded kept', async () => {
    const feed = await parseUpstreamFeed(
      `<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Site</title><link>https://site.example/news/</link>
<item><title>A</title><link>a.html</link><pubDate>Mon, 01 Jan 2024 10:00:00 GMT</pubDate><dc:creator>Ana</dc:creator><category>x</category><content:encoded><![CDATA[<p>Full</p>]]></content:encoded></item>
<item><title>No link</title></item></channel></rss>`,
      FEED_URL,
    );
    expect(feed.format).toBe('rss');
    expect(feed.title).toBe('Site');
    expect(feed.dropped).toBe(1);
    expect(feed.entries).toEqual([
      {
        link: 'https://site.example/news/a.html',
        title: 'A',
        date: '2024-01-01T10:00:00.000Z',
        author: 'Ana',
        contentHtml: '<p>Full</p>',
        tags: ['x'],
      },
    ]);
  });

  it('RSS 0.91 and RDF (RSS 1.0) are read too', async () => {
    const rss091 = await parseUpstreamFeed(
      '<rss version="0.91"><channel><title>Old</title><link>https://old.example/</link><item><title>T</title><link>/t</link><description>d</description></item></channel></rss>',
      FEED_URL,
    );
    expect(rss091.entries[0]).toMatchObject({ link: 'https://old.example/t', summary: 'd' });
    const rdf = await parseUpstreamFeed(
      `<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel rdf:about="https://r.example/"><title>R</title><link>https://r.example/</link></channel><item rdf:about="https://r.example/1"><title>I</title><link>https://r.example/1</link><dc:date>2024-01-02T00:00:00Z</dc:date></item></rdf:RDF>`,
      FEED_URL,
    );
    expect(rdf.format).toBe('rdf');
    expect(rdf.entries[0]).toMatchObject({ link: 'https://r.example/1', date: '2024-01-02T00:00:00.000Z' });
  });

  it('Atom: entry xml:base nests inside the feed xml:base; text content is not taken as HTML', async () => {
    const feed = await parseUpstreamFeed(
      `<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://a.example/blog/"><title>A</title>
<entry xml:base="2024/"><title>E</title><id>urn:e</id><link rel="alternate" href="post"/><link rel="self" type="application/atom+xml" href="/x.xml"/><updated>2024-01-03T00:00:00Z</updated><content type="text">plain</content><category term="t" label="Tag"/></entry></feed>`,
      FEED_URL,
    );
    expect(feed.entries[0]).toMatchObject({
      link: 'https://a.example/blog/2024/post',
      guid: 'urn:e',
      updated: '2024-01-03T00:00:00.000Z',
      tags: ['Tag'],
    });
    expect(feed.entries[0]?.contentHtml).toBeUndefined();
  });

  it('JSON Feed: relative url resolved against home_page_url', async () => {
    const feed = await parseUpstreamFeed(
      JSON.stringify({
        version: 'https://jsonfeed.org/version/1.1',
        title: 'J',
        home_page_url: 'https://j.example/',
        items: [{ id: '1', url: 'p/1', content_html: '<p>x</p>', tags: ['a'], authors: [{ name: 'Zoé' }] }],
      }),
      FEED_URL,
    );
    expect(feed.entries[0]).toMatchObject({ link: 'https://j.example/p/1', author: 'Zoé', tags: ['a'] });
  });

  it('malformed or non-feed documents throw MalformedFeedError', async () => {
    await expect(parseUpstreamFeed('<rss><channel><title>x</ti', FEED_URL)).rejects.toThrow(
      MalformedFeedError,
    );
    await expect(parseUpstreamFeed('<html><body>hi</body></html>', FEED_URL)).rejects.toThrow(
      /not a readable/,
    );
  });

  it('drops entries whose link is not http(s)', async () => {
    const feed = await parseUpstreamFeed(
      '<rss version="2.0"><channel><title>x</title><item><title>a</title><link>javascript:alert(1)</link></item></channel></rss>',
      FEED_URL,
    );
    expect(feed.entries).toEqual([]);
    expect(feed.dropped).toBe(1);
  });
});

describe('parseUpstreamFeed: enclosures', () => {
  it('carries RSS, Atom and JSON Feed media files with type and length; images and unsafe URLs stay out', async () => {
    const rss = await parseUpstreamFeed(
      `<?xml version="1.0"?><rss version="2.0"><channel><title>Podcast</title><link>https://radio.example/</link><description>d</description>
      <item><title>Épisode 12</title><link>https://radio.example/12</link>
      <enclosure url="/audio/12.mp3" length="31457280" type="audio/mpeg"/>
      <enclosure url="javascript:alert(1)" length="1" type="audio/mpeg"/></item></channel></rss>`,
      'https://radio.example/feed.xml',
    );
    expect(rss.entries[0]?.enclosures).toEqual([
      { url: 'https://radio.example/audio/12.mp3', type: 'audio/mpeg', length: 31457280 },
    ]);
    const atom = await parseUpstreamFeed(
      `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><id>urn:x</id><updated>2026-01-01T00:00:00Z</updated>
      <entry><id>urn:e</id><title>E</title><updated>2026-01-01T00:00:00Z</updated><link href="https://video.example/e"/>
      <link rel="enclosure" href="https://video.example/e.mp4" type="video/mp4"/></entry></feed>`,
      'https://video.example/atom.xml',
    );
    expect(atom.entries[0]?.enclosures).toEqual([{ url: 'https://video.example/e.mp4', type: 'video/mp4' }]);
    const json = await parseUpstreamFeed(
      JSON.stringify({
        version: 'https://jsonfeed.org/version/1.1',
        title: 't',
        items: [
          {
            id: '1',
            url: 'https://pod.example/1',
            content_text: 'x',
            attachments: [
              { url: 'https://pod.example/1.m4a', mime_type: 'audio/mp4', size_in_bytes: 10 },
              { url: 'https://pod.example/1.jpg', mime_type: 'image/jpeg' },
            ],
          },
        ],
      }),
      'https://pod.example/feed.json',
    );
    expect(json.entries[0]?.enclosures).toEqual([
      { url: 'https://pod.example/1.m4a', type: 'audio/mp4', length: 10 },
    ]);
  });
});
