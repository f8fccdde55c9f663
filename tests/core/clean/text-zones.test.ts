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
