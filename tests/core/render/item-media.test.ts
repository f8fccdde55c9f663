import { describe, expect, it } from 'vitest';
import type { FeedItem } from '../../../src/core/model.ts';
import { createFeedLinks } from '../../../src/core/render/feed-links.ts';
import { enclosuresOf, leadImageOf, usesMediaRss } from '../../../src/core/render/item-media.ts';
import { renderAtom } from '../../../src/core/render/render-atom.ts';
import { renderJsonFeed } from '../../../src/core/render/render-json-feed.ts';
import { renderRss } from '../../../src/core/render/render-rss.ts';
import { createDocument, createItem } from './fixtures.ts';
import { expectWellFormedXml, loadXml } from './xml-assert.ts';

const podcast = (): FeedItem =>
  createItem({
    image: 'https://journal.example/images/studio.jpg',
    enclosures: [
      { url: 'https://cdn.journal.example/episodes/12.mp3', type: 'audio/mpeg', length: 31_457_280 },
      { url: 'https://cdn.journal.example/episodes/12.mp4', type: 'video/mp4' },
      { url: 'javascript:alert(1)', type: 'audio/mpeg' },
      { url: 'https://cdn.journal.example/x', type: 'not a type' },
    ],
  });

describe('item media', () => {
  it('keeps only http(s) enclosures with a MIME type, and types the lead image from its name', () => {
    expect(enclosuresOf(podcast())).toEqual([
      { url: 'https://cdn.journal.example/episodes/12.mp3', type: 'audio/mpeg', length: 31_457_280 },
      { url: 'https://cdn.journal.example/episodes/12.mp4', type: 'video/mp4' },
    ]);
    expect(leadImageOf(podcast())).toEqual({
      url: 'https://journal.example/images/studio.jpg',
      type: 'image/jpeg',
    });
    expect(leadImageOf(createItem({ image: 'data:image/png;base64,AAAA' }))).toBeUndefined();
    expect(leadImageOf(createItem({ image: 'https://img.example/photo?id=4' }))).toEqual({
      url: 'https://img.example/photo?id=4',
    });
  });

  it('RSS: one enclosure with its length, the rest and the lead image as Media RSS, namespace declared', () => {
    const xml = renderRss(createDocument({ items: [podcast()] }), createFeedLinks(createDocument().site));
    expectWellFormedXml(xml);
    expect(xml).toContain('xmlns:media="http://search.yahoo.com/mrss/"');
    expect(xml).toContain(
      '<enclosure url="https://cdn.journal.example/episodes/12.mp3" length="31457280" type="audio/mpeg"/>',
    );
    expect(xml).toContain(
      '<media:content url="https://cdn.journal.example/episodes/12.mp4" type="video/mp4"/>',
    );
    expect(xml).toContain(
      '<media:content url="https://journal.example/images/studio.jpg" medium="image" type="image/jpeg"/>',
    );
    expect(xml).not.toContain('javascript:');
    expect(loadXml(xml)('enclosure').length).toBe(1);
  });

  it('RSS without media keeps its bytes: no Media RSS namespace', () => {
    const item = createItem();
    const { image: _image, ...bare } = item;
    expect(usesMediaRss([bare as FeedItem])).toBe(false);
    const xml = renderRss(
      createDocument({ items: [bare as FeedItem] }),
      createFeedLinks(createDocument().site),
    );
    expect(xml).not.toContain('xmlns:media');
  });

  it('Atom: rel="enclosure" with type and length; a file of unknown size is linked as related', () => {
    const xml = renderAtom(createDocument({ items: [podcast()] }), createFeedLinks(createDocument().site));
    expectWellFormedXml(xml);
    expect(xml).toContain(
      '<link rel="enclosure" href="https://cdn.journal.example/episodes/12.mp3" type="audio/mpeg" length="31457280"/>',
    );
    expect(xml).toContain(
      '<link rel="related" href="https://cdn.journal.example/episodes/12.mp4" type="video/mp4"/>',
    );
    expect(xml).not.toContain('studio.jpg');
  });

  it('JSON Feed: attachments with mime_type and size_in_bytes, image kept', () => {
    const json = JSON.parse(
      renderJsonFeed(createDocument({ items: [podcast()] }), createFeedLinks(createDocument().site)),
    );
    expect(json.items[0].image).toBe('https://journal.example/images/studio.jpg');
    expect(json.items[0].attachments).toEqual([
      {
        url: 'https://cdn.journal.example/episodes/12.mp3',
        mime_type: 'audio/mpeg',
        size_in_bytes: 31_457_280,
      },
      { url: 'https://cdn.journal.example/episodes/12.mp4', mime_type: 'video/mp4' },
    ]);
  });
});
