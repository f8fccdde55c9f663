import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../../src/core/load/parse-document.ts';
import type { RawDocument, SourceFormat } from '../../../src/core/model.ts';

const raw = (format: SourceFormat, body: string, extra: Partial<RawDocument> = {}): RawDocument => ({
  sourceId: 'x',
  file: 'x',
  source: 's',
  format,
  body,
  ...extra,
});

describe('parseDocument: plain text', () => {
  it('splits on blank lines and joins wrapped lines with spaces', () => {
    const body = [
      'First paragraph of the article that has been wrapped at a fixed',
      'column by the editor so that it reads nicely in a terminal window.',
      '',
      'Second paragraph.',
      '',
      'Third paragraph, which is also a body paragraph in the middle.',
      '',
      'Fourth.',
      '',
      'Fifth.',
      '',
      'Sixth.',
      '',
      'Seventh.',
    ].join('\n');
    const doc = parseDocument(raw('text', body));
    expect(doc.blocks[0]?.text).toBe(
      'First paragraph of the article that has been wrapped at a fixed column by the editor so that it reads nicely in a terminal window.',
    );
    expect(doc.blocks).toHaveLength(7);
    expect(doc.blocks.every((b) => b.hint === 'paragraph')).toBe(true);
  });

  it('gives one block per line to runs of single lines at the head and tail', () => {
    const body =
      'Kicker\nA headline about something\nRelated\n\nBody paragraph.\n\nA long closing disclaimer line that goes well past any wrap column, because it was scraped from a page footer and never wrapped.\nBack to top';
    const texts = parseDocument(raw('text', body)).blocks.map((b) => b.text);
    expect(texts).toEqual([
      'Kicker',
      'A headline about something',
      'Related',
      'Body paragraph.',
      'A long closing disclaimer line that goes well past any wrap column, because it was scraped from a page footer and never wrapped.',
      'Back to top',
    ]);
  });

  it('reads YAML front matter; raw.metadata (sidecar) wins over it', () => {
    const body =
      '---\ntitle: From front matter\ndate: 2024-02-03\ntags: [a, b]\nauthor: Ann\n---\nHello there.\n';
    const doc = parseDocument(raw('text', body, { metadata: { title: 'From sidecar' } }));
    expect(doc.metadata).toEqual({
      title: 'From sidecar',
      date: '2024-02-03T00:00:00.000Z',
      tags: ['a', 'b'],
      author: 'Ann',
    });
    expect(doc.blocks.map((b) => b.text)).toEqual(['Hello there.']);
  });

  it('keeps malformed front matter in the body instead of throwing', () => {
    const doc = parseDocument(raw('text', '---\ntitle: [unclosed\n---\nText.'));
    expect(doc.metadata).toEqual({});
    expect(doc.blocks.length).toBeGreaterThan(0);
  });
});

describe('parseDocument: markdown', () => {
  it('maps headings, paragraphs, quotes and lists, reducing inline markup', () => {
    const body = [
      '---',
      'title: T',
      'lang: en',
      '---',
      '# Big title',
      '',
      'Some *emphasis*, a [link](https://e.org) and `code` &amp; an ![alt text](i.png).',
      '',
      '## Section',
      '',
      '> A quoted **line**.',
      '',
      '1. one',
      '2. two',
      '',
      '- x',
    ].join('\n');
    const doc = parseDocument(raw('markdown', body));
    expect(doc.metadata).toEqual({ title: 'T', lang: 'en' });
    expect(doc.blocks).toEqual([
      { text: 'Big title', hint: 'heading', level: 1 },
      { text: 'Some emphasis, a link and code & an alt text.', hint: 'paragraph' },
      { text: 'Section', hint: 'heading', level: 2 },
      { text: 'A quoted line.', hint: 'quote' },
      { text: 'one\ntwo', hint: 'list', items: ['one', 'two'], ordered: true },
      { text: 'x', hint: 'list', items: ['x'], ordered: false },
    ]);
  });
});

describe('parseDocument: html', () => {
  const page = `<!doctype html><html lang="fr"><head>
    <title>Page title | Site</title>
    <meta property="og:title" content="OG title">
    <meta property="og:site_name" content="Le Site">
    <meta property="article:published_time" content="2024-03-01T10:00:00Z">
    <meta name="keywords" content="un, deux">
    <link rel="canonical" href="/articles/1">
    <script type="application/ld+json">{"@graph":[{"@type":"WebSite","name":"x"},{"@type":"NewsArticle","headline":"LD headline","author":[{"@type":"Person","name":"Ann"}],"datePublished":"2024-03-02"}]}</script>
    <style>p{}</style></head><body>
    <nav><p>Menu item one two three four five six seven eight nine ten eleven twelve</p></nav>
    <div class="content">
      <h1>LD headline</h1>
      <p>First paragraph with <a href="/x">a link</a> inside it, long enough to count as prose here.</p>
      <p>Second<br>line after a break, and more words to make it a real paragraph of text.</p>
      <ul><li><a href="/a">Other</a></li><li><a href="/b">Another</a></li></ul>
      <blockquote>Quoted words.</blockquote>
      <script>alert(1)</script>
    </div>
    <footer><p>Footer text that should never be part of the article body at all.</p></footer>
    </body></html>`;

  it('reads metadata with JSON-LD > OpenGraph > meta > <title> precedence and resolves URLs', () => {
    const doc = parseDocument(raw('html', page, { baseUrl: 'https://site.example/news/' }));
    expect(doc.metadata).toEqual({
      title: 'LD headline',
      author: 'Ann',
      date: '2024-03-02T00:00:00.000Z',
      publisher: 'Le Site',
      tags: ['un', 'deux'],
      lang: 'fr',
      url: 'https://site.example/articles/1',
    });
  });

  it('emits blocks from the main container with link density, dropping chrome elements', () => {
    const doc = parseDocument(raw('html', page));
    const texts = doc.blocks.map((b) => b.text);
    expect(texts[0]).toBe('LD headline');
    expect(doc.blocks[0]?.hint).toBe('heading');
    expect(texts).toContain('Second line after a break, and more words to make it a real paragraph of text.');
    expect(texts.some((t) => t.includes('Menu item') || t.includes('Footer') || t.includes('alert'))).toBe(
      false,
    );
    // A list of links inside the article is a link rail: dropped by the loader, with its reason.
    expect(doc.blocks.find((b) => b.hint === 'list')).toBeUndefined();
    expect(doc.dropped).toEqual([
      {
        text: 'Other Another',
        rule: 'html-widget',
        reason: '<ul> inside the article that is 100% links (a link rail)',
      },
    ]);
    const first = doc.blocks[1];
    expect(first?.linkDensity).toBeGreaterThan(0);
    expect(first?.linkDensity).toBeLessThan(0.2);
    expect(doc.blocks.find((b) => b.hint === 'quote')?.text).toBe('Quoted words.');
  });

  it('prefers <article> over the rest of the page', () => {
    const html = `<body><div><p>${'Sidebar teaser text. '.repeat(3)}</p></div><article><p>${'Real article prose sentence. '.repeat(8)}</p></article></body>`;
    const doc = parseDocument(raw('html', html));
    expect(doc.blocks).toHaveLength(1);
    expect(doc.blocks[0]?.text.startsWith('Real article prose')).toBe(true);
  });
});
