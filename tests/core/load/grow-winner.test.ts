/**
 * Winner growth, figures: the lead image's figure (or a wp-caption wrapper) just outside the
 * winning container joins it with its caption and reaches the item; teaser rails and linked
 * figures stay out.
 */
import { describe, expect, it } from 'vitest';
import { cleanDocument } from '../../../src/core/clean/clean-document.ts';
import { parseHtml } from '../../../src/core/load/parse-html.ts';
import type { RawDocument } from '../../../src/core/model.ts';
import { composeItemContent } from '../../../src/core/normalise/to-feed-item.ts';
import { SITE } from '../normalise/fixtures.ts';

const raw = (body: string): RawDocument => ({
  sourceId: 'page.html',
  file: 'page.html',
  source: 'site',
  format: 'html',
  body,
  baseUrl: 'https://news.example/a/',
});

const de =
  'Die Stadtwerke haben am Montag das neue Wasserkraftwerk am Fluss in Betrieb genommen, das künftig rund dreitausend Haushalte mit Strom versorgen soll. ';
const pl =
  'Rada miasta zdecydowała we wtorek, że nowa linia tramwajowa połączy dworzec z osiedlem na północy, a prace mają się zacząć jeszcze w tym roku. ';
const page = (around: string, prose: string): string =>
  `<body><div class="wrap">${around.replace('BODY', `<div class="story"><p>${prose.repeat(2)}</p><p>${prose.repeat(2)}</p></div>`)}</div></body>`;
const figure = (name: string, caption: string, linked = false): string => {
  const img = `<img src="/img/${name}.jpg" alt="${name}" width="1200" height="800">`;
  return `<figure>${linked ? `<a href="/other">${img}</a>` : img}<figcaption>${caption}</figcaption></figure>`;
};

describe('winner growth: figures next to the winner', () => {
  it('keeps the figure after the headline with its caption, and it becomes the item image (de)', () => {
    const html = page(
      `<h1>Kraftwerk eröffnet</h1>${figure('kraftwerk', 'Das Kraftwerk am Montagmorgen.')}BODY`,
      de,
    );
    const clean = cleanDocument(parseHtml(raw(html)), { defaultLanguage: 'de' });
    expect(clean.media).toEqual([
      expect.objectContaining({
        src: 'https://news.example/img/kraftwerk.jpg',
        caption: 'Das Kraftwerk am Montagmorgen.',
      }),
    ]);
    const item = composeItemContent(clean, SITE);
    expect(item.image).toBe('https://news.example/img/kraftwerk.jpg');
    expect(item.contentHtml).toContain('<figcaption>Das Kraftwerk am Montagmorgen.</figcaption>');
    // The caption is the figure's, never a text block.
    expect(clean.blocks.map((b) => b.text).join(' ')).not.toContain('Montagmorgen');
  });

  it('keeps a figure right after the winner, wrapped in a text-less <div> (pl)', () => {
    const html = page(
      `BODY<div class="media">${figure('tramwaj', 'Nowy tramwaj na pętli przy dworcu.')}</div>`,
      pl,
    );
    const parsed = parseHtml(raw(html));
    expect(parsed.media?.map((m) => [m.src, m.outside ?? false])).toEqual([
      ['https://news.example/img/tramwaj.jpg', false],
    ]);
    expect(parsed.structure?.find((s) => s.subject === 'figure')?.element).toBe('<figure>');
  });

  it('reads a WordPress wp-caption wrapper as a figure with its caption', () => {
    const wp = `<div class="wp-caption"><img src="/img/damm.jpg" width="900" height="600"><p class="wp-caption-text">Der Damm im Herbst.</p></div>`;
    const clean = cleanDocument(parseHtml(raw(page(`<h1>Kraftwerk eröffnet</h1>${wp}BODY`, de))), {
      defaultLanguage: 'de',
    });
    expect(clean.media?.map((m) => [m.src, m.caption])).toEqual([
      ['https://news.example/img/damm.jpg', 'Der Damm im Herbst.'],
    ]);
  });

  it('leaves out two figures side by side (a rail or gallery) and a linked figure', () => {
    const rail = `BODY${figure('teaser-1', 'Andere Geschichte eins')}${figure('teaser-2', 'Andere Geschichte zwei')}`;
    const linked = `<h1>Kraftwerk eröffnet</h1>${figure('verlinkt', 'Zur Bildergalerie', true)}BODY`;
    for (const around of [rail, linked]) {
      const parsed = parseHtml(raw(page(around, de)));
      expect(parsed.media?.every((m) => m.outside === true)).toBe(true);
      expect(parsed.structure?.some((s) => s.subject === 'figure') ?? false).toBe(false);
    }
  });

  it('leaves out a figure whose caption is a list of links (a teaser)', () => {
    const teaser = `<figure><img src="/img/t.jpg"><figcaption><a href="/x">Lesen Sie auch: die andere Geschichte</a></figcaption></figure>`;
    const parsed = parseHtml(raw(page(`BODY${teaser}`, de)));
    expect(parsed.media?.[0]?.outside).toBe(true);
  });
});
