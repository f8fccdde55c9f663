import { describe, expect, it } from 'vitest';
import { cleanDocument } from '../../../src/core/clean/clean-document.ts';
import { matchChrome } from '../../../src/core/clean/match-chrome.ts';
import { looksLikeTitle } from '../../../src/core/clean/title.ts';
import { parseDocument } from '../../../src/core/load/parse-document.ts';

const clean = (body: string) =>
  cleanDocument(parseDocument({ sourceId: 'a.txt', file: 'a.txt', source: 'a', format: 'text', body }), {
    defaultLanguage: 'en',
  });

const para =
  'The council voted on Tuesday to build protected cycle lanes along the whole ring road, a project debated for almost ten years.';
const para2 =
  'Work will start in the spring and should be finished before the end of next year, the transport committee said on Wednesday.';
const teaser =
  'The winter market opens on Friday with more than a hundred stalls and a skating rink for children.';

describe('head/tail zones of scraped text', () => {
  it('finds the title below skip links, menu titles, breadcrumbs and a reading-time badge', () => {
    const doc = clean(
      [
        'Skip to content',
        'Main menu',
        'Home / Local / Transport',
        'Lecture : 2 min',
        'Council approves new cycle lanes',
        para,
        para2,
      ].join('\n\n'),
    );
    expect(doc.inferred.title).toBe('Council approves new cycle lanes');
    expect(doc.blocks.map((b) => b.text)).toEqual([para, para2]);
  });

  it('drops the teaser after a share bar or a "related" heading at the page end (tail-rail)', () => {
    for (const bar of [['Facebook', 'Twitter', 'Copy link'], ['Read also']]) {
      const doc = clean(
        ['A title for the story here', para, para2, ...bar, teaser, 'Contact us'].join('\n\n'),
      );
      expect(doc.blocks.map((b) => b.text)).toEqual([para, para2]);
      expect(doc.removed.find((r) => r.text === teaser)?.rule).toBe('tail-rail');
    }
  });

  it('keeps a run of short sentences after prose: the points of a list (sentence-run)', () => {
    const points = [
      'Check the tyre tread depth.',
      'Choose studded tyres for rural roads.',
      'Change tyres below five degrees.',
    ];
    const doc = clean(['Five tips for winter tyres', para, ...points, 'Facebook', 'Twitter'].join('\n\n'));
    expect(doc.blocks.map((b) => b.text)).toEqual([para, ...points]);
  });

  it('reads multilingual reading-time badges, skip links and social labels', () => {
    for (const line of [
      'Lecture : 2 min',
      'Lectura: 4 min',
      'Czas czytania: 5 min',
      'Время чтения: 3 минуты',
      '読了時間：3分',
    ]) {
      expect(matchChrome(line, false)?.id).toBe('reading-time');
    }
    for (const line of [
      'Aller au contenu principal',
      'Zum Inhalt springen',
      'Przejdź do treści',
      '本文へ移動',
    ]) {
      expect(matchChrome(line, false)?.id).toBe('skip-link');
    }
    expect(matchChrome('WhatsApp', true)?.id).toBe('social-label');
    expect(matchChrome('WhatsApp', false)).toBeNull();
    expect(matchChrome('Menu principal', false)?.id).toBe('menu-title');
  });

  it('takes an unspaced CJK headline as a title', () => {
    expect(looksLikeTitle('市立図書館が年末年始も開館へ')).toBe(true);
  });
});

describe('label/value grids in plain text', () => {
  it('reads Label : value lines in several scripts, and not times, URLs or sentences', async () => {
    const { isLabelValueLine } = await import('../../../src/core/clean/text-zones.ts');
    for (const line of [
      'Préparation : 20 min',
      'Estadio: Riazor',
      'Akku: 625 Wh',
      'Czas przygotowania: 45 minut',
      '調理時間：20分',
      'Время в пути: 3 часа',
    ])
      expect(isLabelValueLine(line), line).toBe(true);
    for (const line of [
      'Updated 10:30',
      'https://example.com/a',
      'He said: this is a much longer sentence that goes on well past what any grid value would hold in a sheet.',
      'A label that is far too long for any grid: value',
      '',
    ])
      expect(isLabelValueLine(line), line).toBe(false);
  });

  it('keeps a spec grid after the prose as one block, lines as paragraphs, never as sub-headings (de)', () => {
    const prose =
      'Wir haben das neue Lastenrad drei Wochen lang im Alltag gefahren, mit Kindern und Einkäufen, und vor allem auf Akku und Bremsen geachtet.';
    const after =
      'Am Berg zieht der Motor kräftig, auch mit voller Ladung, aber im Keller ist das Rad mit seinen zweiundvierzig Kilogramm kaum zu bewegen.';
    const doc = clean(
      [
        'Lastenrad im Test',
        prose,
        'Motor: Mittelmotor, 85 Nm\nAkku: 625 Wh\nGewicht: 42 kg\nPreis: 5.999 Euro',
        after,
      ].join('\n\n'),
    );
    expect(doc.blocks.map((b) => [b.kind, b.text])).toEqual([
      ['paragraph', prose],
      ['paragraph', 'Motor: Mittelmotor, 85 Nm'],
      ['paragraph', 'Akku: 625 Wh'],
      ['paragraph', 'Gewicht: 42 kg'],
      ['paragraph', 'Preis: 5.999 Euro'],
      ['paragraph', after],
    ]);
  });

  it('keeps a match sheet that ends the article (pl)', () => {
    const prose =
      'Lech wygrał w niedzielę z Legią po golu w doliczonym czasie gry, a kibice na stadionie długo świętowali zwycięstwo swojej drużyny.';
    const doc = clean(
      [
        'Lech wygrywa w ostatniej minucie',
        prose,
        'Stadion: Bułgarska\nSędzia: Jan Kowalski\nBramki: 1:0, Nowak (92.)\nWidzów: 41 000',
        'Udostępnij na Facebooku',
      ].join('\n\n'),
    );
    expect(doc.blocks.map((b) => b.text)).toEqual([
      prose,
      'Stadion: Bułgarska',
      'Sędzia: Jan Kowalski',
      'Bramki: 1:0, Nowak (92.)',
      'Widzów: 41 000',
    ]);
  });

  it('never re-admits taxonomy, share or engagement lines shaped like a grid', () => {
    const tails = [
      'Tags: budget, council\nCategory: Local politics\nTopics: schools, library',
      'Share: Facebook, X\nPrint: 1 page',
      'Reading time: 3 min\nViews: 1,200\nShares: 340',
    ];
    for (const tail of tails) {
      const doc = clean(['Council votes the budget', para, para2, tail].join('\n\n'));
      expect(
        doc.blocks.map((b) => b.text),
        tail,
      ).toEqual([para, para2]);
    }
  });
});

describe('label/value grids of words (TEXT_ZONES.labelValueWordRunMin)', () => {
  const texts = (doc: ReturnType<typeof clean>) => doc.blocks.map((b) => b.text);
  const sheet = ['Colour: natural white', 'Fabric: Shetland wool', 'Weave: herringbone', 'Care: hand wash'];

  it('keeps three or more property lines after the prose whole, without numbers', () => {
    const doc = clean(['Wool blankets return to the island', para, para2, sheet.join('\n')].join('\n\n'));
    expect(texts(doc)).toEqual([para, para2, ...sheet]);
  });

  it('ends the grid before taxonomy and credit lines, which go', () => {
    const tail = ['Category: Business', 'Tags: wool, crafts', 'Photos: Agency'];
    const doc = clean(
      ['Wool blankets return to the island', para, para2, [...sheet, ...tail].join('\n')].join('\n\n'),
    );
    expect(texts(doc)).toEqual([para, para2, ...sheet]);
  });

  it('leaves two lines, a repeated label or long values to the line-by-line judgement', () => {
    for (const lines of [
      sheet.slice(0, 2),
      ['Colour: natural white', 'Colour: grey', 'Care: hand wash'],
      ['Colour: natural white', 'Fabric: wool from the sheep of the northern islands', 'Care: hand wash'],
    ]) {
      const doc = clean(['Wool blankets return to the island', para, para2, lines.join('\n')].join('\n\n'));
      expect(texts(doc), lines.join(' / ')).toEqual([para, para2]);
    }
  });
});
