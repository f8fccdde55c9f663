import { describe, expect, it } from 'vitest';
import { matchChrome } from '../../../src/core/clean/match-chrome.ts';
import { CHROME_LEXICON, CLEANER_VERSION, THRESHOLDS } from '../../../src/core/clean/rules.ts';

describe('rules table', () => {
  it('exports a version string and sane thresholds', () => {
    expect(CLEANER_VERSION).toMatch(/\S/);
    expect(THRESHOLDS.lengthLow).toBeLessThan(THRESHOLDS.lengthHigh);
    expect(THRESHOLDS.stopwordsLow).toBeLessThan(THRESHOLDS.stopwordsHigh);
    expect(new Set(CHROME_LEXICON.map((e) => e.id)).size).toBe(CHROME_LEXICON.length);
  });
});

describe('chrome lexicon', () => {
  const chrome: readonly [string, string][] = [
    ['Share this article', 'share'],
    ['Partager sur Facebook', 'share'],
    ['Auf Facebook teilen', 'share'],
    ['Compartir', 'share'],
    ['Udostępnij', 'share'],
    ['Поделиться', 'share'],
    ['공유하기', 'share'],
    ['Follow us on Twitter', 'follow'],
    ['Suivez-nous sur Instagram', 'follow'],
    ['Obserwuj nas', 'follow'],
    ['Subscribe to our newsletter', 'subscribe'],
    ['Abonnez-vous à notre newsletter', 'subscribe'],
    ['Iscriviti alla newsletter', 'subscribe'],
    ['Подпишитесь на рассылку', 'subscribe'],
    ['Leave a comment', 'comments'],
    ['12 Comments', 'comments'],
    ['Laisser un commentaire', 'comments'],
    ['Deixe um comentário', 'comments'],
    ['Zostaw komentarz', 'comments'],
    ['コメント', 'comments'],
    ['You may also like', 'related'],
    ['À lire aussi', 'related'],
    ['Das könnte Sie auch interessieren', 'related'],
    ['Lee también', 'related'],
    ['Czytaj także', 'related'],
    ['Читайте также', 'related'],
    ['関連記事', 'related'],
    ['Next article', 'pager'],
    ['Article précédent', 'pager'],
    ['Back to top ↑', 'back-to-top'],
    ['Zurück nach oben', 'back-to-top'],
    ['Voltar ao topo', 'back-to-top'],
    ['Наверх', 'back-to-top'],
    ['We use cookies to improve your experience. Accept all cookies?', 'cookies'],
    ['Diese Website verwendet Cookies.', 'cookies'],
    ['© 2023 Some Media', 'copyright'],
    ['Wszelkie prawa zastrzeżone.', 'copyright'],
    ['Proudly powered by WordPress', 'cms-credit'],
    ['5 min read', 'reading-time'],
    ['Lesezeit: 3 Minuten', 'reading-time'],
    ['4 minutos de lectura', 'reading-time'],
    ['Photo: John Doe / Getty Images', 'photo-credit'],
    ["Image d'illustration", 'photo-credit'],
    ['Symbolbild', 'photo-credit'],
    ['Home › Politics › Europe', 'breadcrumb'],
    ['Log in', 'login'],
    ['Войти', 'login'],
    [
      'This article was translated automatically and does not reflect the views of the site.',
      'translation-disclaimer',
    ],
    ['Dieser Artikel wurde maschinell übersetzt.', 'translation-disclaimer'],
  ];
  for (const [text, id] of chrome) {
    it(`recognises "${text}" as ${id}`, () => {
      expect(matchChrome(text, true)?.id).toBe(id);
    });
  }

  const prose = [
    'The car is powered by a small electric motor and a large battery.',
    'She said she would share the prize with her team.',
    'Comments from the minister were met with silence in parliament.',
    'Les commentaires du ministre ont été accueillis par un silence.',
    'The report, published in 2023, covers photo archives of the city.',
    'Il a partagé son avis avec les journalistes présents.',
    'Die Bahn teilt mit, dass die Strecke wieder frei ist.',
  ];
  for (const text of prose) {
    it(`leaves prose alone: "${text.slice(0, 40)}…"`, () => {
      expect(matchChrome(text, true)).toBeNull();
    });
  }

  it('writes every pattern and hint in lower case, compiled without the i flag', () => {
    for (const entry of CHROME_LEXICON) {
      for (const pattern of entry.hint ? [entry.pattern, entry.hint] : [entry.pattern]) {
        // Escapes (\p{Lu}, \S, \B…) are not literals; every letter left must be lower case.
        const literals = pattern.source.replace(/\\[pP]\{[^}]*\}|\\[a-zA-Z]/g, '');
        expect({ id: entry.id, upper: literals.match(/\p{Lu}|\p{Lt}/gu) }).toEqual({
          id: entry.id,
          upper: null,
        });
        expect(pattern.flags).not.toContain('i');
      }
    }
  });

  it('matches whatever the case of the block', () => {
    expect(matchChrome('SHARE THIS ARTICLE', true)?.id).toBe('share');
    expect(matchChrome('ПОДЕЛИТЬСЯ', true)?.id).toBe('share');
    expect(matchChrome('Suivez-Nous Sur Instagram', true)?.id).toBe('follow');
    expect(matchChrome('DIESER ARTIKEL WURDE MASCHINELL ÜBERSETZT.', true)?.id).toBe(
      'translation-disclaimer',
    );
  });

  it('fires edge-only entries only in the head/tail zones', () => {
    expect(matchChrome('News', true)?.id).toBe('section-label');
    expect(matchChrome('News', false)).toBeNull();
  });
});
