import { describe, expect, it } from 'vitest';
import type { MediaBlock } from '../../../src/core/model.ts';
import { blocksToHtml } from '../../../src/core/normalise/blocks-to-html.ts';
import { composeItemContent } from '../../../src/core/normalise/to-feed-item.ts';
import { cleanDocumentFixture, SITE } from './fixtures.ts';

const photo: MediaBlock = {
  kind: 'image',
  src: 'https://journal.example/photos/rue.jpg',
  srcset:
    'https://journal.example/photos/rue-640.jpg 640w, https://journal.example/photos/rue-1280.jpg 1280w',
  alt: 'Une rue "inondée" <mardi>',
  title: 'Rue de Saint-Malo',
  caption: 'La rue de Saint-Malo, mardi matin & midi.',
  width: 1280,
  height: 853,
  before: 1,
};

describe('media in item bodies', () => {
  it('places each medium before its block, as a figure with its caption, attributes escaped', () => {
    const html = blocksToHtml(
      [
        { kind: 'paragraph', text: 'Premier.' },
        { kind: 'paragraph', text: 'Second.' },
      ],
      [photo],
    );
    expect(html).toBe(
      '<p>Premier.</p>\n<figure><img src="https://journal.example/photos/rue.jpg" srcset="https://journal.example/photos/rue-640.jpg 640w, https://journal.example/photos/rue-1280.jpg 1280w" alt="Une rue &quot;inondée&quot; &lt;mardi&gt;" title="Rue de Saint-Malo" width="1280" height="853"><figcaption>La rue de Saint-Malo, mardi matin &amp; midi.</figcaption></figure>\n<p>Second.</p>',
    );
  });

  it('renders a picture with its sources, and players with controls, no autoplay, a link inside', () => {
    const html = blocksToHtml(
      [{ kind: 'paragraph', text: 'Texte.' }],
      [
        {
          kind: 'image',
          src: 'https://a.example/carte.jpg',
          alt: 'Carte',
          sources: [{ srcset: 'https://a.example/carte.avif 1x', type: 'image/avif' }],
          before: 1,
        },
        {
          kind: 'video',
          src: 'https://a.example/v.mp4',
          sources: [{ url: 'https://a.example/v.mp4', type: 'video/mp4' }],
          poster: 'https://a.example/p.jpg',
          before: 1,
        },
        { kind: 'audio', src: 'https://a.example/son.mp3', title: 'Le son', before: 1 },
      ],
    );
    expect(html).toContain(
      '<picture><source srcset="https://a.example/carte.avif 1x" type="image/avif"><img src="https://a.example/carte.jpg" alt="Carte"></picture>',
    );
    expect(html).toContain(
      '<video controls preload="none" poster="https://a.example/p.jpg"><source src="https://a.example/v.mp4" type="video/mp4"><a href="https://a.example/v.mp4">v.mp4</a></video>',
    );
    expect(html).toContain(
      '<audio controls preload="none" src="https://a.example/son.mp3" title="Le son"><a href="https://a.example/son.mp3">Le son</a></audio>',
    );
    expect(html).not.toContain('autoplay');
  });

  it('without media the body is byte for byte what it was', () => {
    const blocks = cleanDocumentFixture().blocks;
    expect(blocksToHtml(blocks, [])).toBe(blocksToHtml(blocks));
  });

  it('the first body image becomes the lead image when metadata gives none; explicit image wins', () => {
    const withMedia = cleanDocumentFixture({ media: [photo] });
    expect(composeItemContent(withMedia, SITE).image).toBe(photo.src);
    expect(composeItemContent(withMedia, SITE).contentHtml).toContain('<figure><img');
    const explicit = cleanDocumentFixture({
      media: [photo],
      metadata: { image: 'https://b.example/une.jpg' },
    });
    expect(composeItemContent(explicit, SITE).image).toBe('https://b.example/une.jpg');
  });

  it('upstream enclosures are carried to the item content', () => {
    const doc = cleanDocumentFixture({
      metadata: { enclosures: [{ url: 'https://a.example/e.mp3', type: 'audio/mpeg', length: 12 }] },
    });
    expect(composeItemContent(doc, SITE).enclosures).toEqual([
      { url: 'https://a.example/e.mp3', type: 'audio/mpeg', length: 12 },
    ]);
  });
});
