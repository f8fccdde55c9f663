import { describe, expect, it } from 'vitest';
import { parseHtml } from '../../../src/core/load/parse-html.ts';
import type { RawDocument } from '../../../src/core/model.ts';

const raw = (body: string, baseUrl?: string): RawDocument => ({
  sourceId: 'page.html',
  file: 'page.html',
  source: 'site',
  format: 'html',
  body,
  ...(baseUrl ? { baseUrl } : {}),
});

const prose = (seed: string, n = 4): string =>
  `${seed}, which is a sentence of real prose with commas, clauses, and enough words to count. `.repeat(n);

describe('parseHtml: main content', () => {
  it('picks the container with most paragraph prose over a link-heavy rail', () => {
    const html = `<body>
      <div class="rail"><p><a href="/1">${'Teaser headline one two three four five six '.repeat(3)}</a></p></div>
      <div class="x"><p>${prose('First')}</p><p>${prose('Second')}</p><p>${prose('Third')}</p></div>
    </body>`;
    const doc = parseHtml(raw(html));
    expect(doc.blocks.map((b) => b.text.slice(0, 6))).toEqual(['First,', 'Second', 'Third,']);
  });

  it('keeps a wrapper whose class names chrome when it holds the article (guarded regions)', () => {
    const html = `<body><div class="page-ad-margins"><div class="body"><p>${prose('Kept')}</p><p>${prose('Also kept')}</p></div></div></body>`;
    const doc = parseHtml(raw(html));
    expect(doc.blocks).toHaveLength(2);
  });

  it('drops chrome by class hint (share, related, comments) and hidden elements', () => {
    const html = `<body><article>
      <p>${prose('Body')}</p>
      <div class="share-bar"><p>Share this story with all your friends and family, right now, please.</p></div>
      <section class="comments"><p>${prose('A reader comment')}</p></section>
      <p style="display:none">Hidden text that a reader never sees on the page, at all, ever.</p>
      <p>${prose('End')}</p>
    </article></body>`;
    const texts = parseHtml(raw(html)).blocks.map((b) => b.text);
    expect(texts).toHaveLength(2);
    expect(texts.join(' ')).not.toMatch(/Share this|reader comment|Hidden/);
  });

  it('joins sibling paragraphs of the winner and reports link rails it dropped inside', () => {
    const html = `<body><div id="wrap">
      <div class="story"><p>${prose('Part one')}</p><p>${prose('Part two')}</p></div>
      <p>${prose('A sibling paragraph', 2)}</p>
      <div class="story-more"><ul><li><a href="/a">Other story</a></li><li><a href="/b">Another story</a></li></ul><p>${prose('Part three')}</p></div>
    </div></body>`;
    const doc = parseHtml(raw(html));
    const texts = doc.blocks.map((b) => b.text.slice(0, 9));
    expect(texts).toContain('A sibling');
    expect(doc.dropped?.[0]).toMatchObject({ text: 'Other story Another story', rule: 'html-widget' });
  });

  it('treats a <div> without block children as a paragraph (old templates)', () => {
    const html = `<body><td><div>${prose('Div prose')}</div><div>${prose('More div prose')}</div></td></body>`;
    expect(parseHtml(raw(html)).blocks.map((b) => b.text.slice(0, 9))).toEqual(['Div prose', 'More div ']);
  });
});

describe('parseHtml: metadata', () => {
  it('reads <time>, lazy images and relative URLs when richer metadata is absent', () => {
    const html = `<html lang="pt-BR"><head><title>Título</title><link rel="canonical" href="/a/1"></head><body><article>
      <time datetime="2024-02-03T10:00:00Z">3 fev</time>
      <img src="data:image/gif;base64,AAAA" srcset="/img/small.jpg 480w, /img/big.jpg 1024w">
      <p>${prose('Texto')}</p></article></body></html>`;
    expect(parseHtml(raw(html, 'https://site.example/x/')).metadata).toEqual({
      title: 'Título',
      lang: 'pt-BR',
      url: 'https://site.example/a/1',
      date: '2024-02-03T10:00:00.000Z',
      image: 'https://site.example/img/small.jpg',
    });
  });

  it('prefers og:image and data-src over a placeholder src', () => {
    const withOg = `<head><meta property="og:image" content="https://cdn.example/og.jpg"></head><body><article><img data-src="/lazy.jpg"><p>${prose('x')}</p></article></body>`;
    expect(parseHtml(raw(withOg)).metadata.image).toBe('https://cdn.example/og.jpg');
    const lazy = `<body><article><img src="/spacer.gif" data-src="/lazy.jpg"><p>${prose('x')}</p></article></body>`;
    expect(parseHtml(raw(lazy, 'https://s.example/')).metadata.image).toBe('https://s.example/lazy.jpg');
  });

  it('survives broken JSON-LD and a page without <body>', () => {
    const html = `<script type="application/ld+json">{broken</script><p>${prose('Loose')}</p>`;
    const doc = parseHtml(raw(html));
    expect(doc.blocks.length).toBe(1);
  });
});
