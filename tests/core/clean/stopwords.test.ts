import { describe, expect, it } from 'vitest';
import { stopwordDensity, stopwordsFor, tokenize } from '../../../src/core/clean/stopwords.ts';

describe('stopwords', () => {
  it('has lists for the main languages and none for unspaced scripts or glued particles', () => {
    for (const lang of ['en', 'fr', 'de', 'es', 'it', 'pt', 'pl', 'ru'])
      expect(stopwordsFor(lang)?.size).toBeGreaterThan(10);
    expect(stopwordsFor('fr-CA')).toBe(stopwordsFor('fr'));
    expect(stopwordsFor('ja')).toBeNull();
    // Korean particles attach to words ("학교에서"): density would call prose a menu.
    expect(stopwordsFor('ko')).toBeNull();
    expect(stopwordsFor('zz')).toBeNull();
  });

  it('tokenizes on letters, splitting elisions', () => {
    expect(tokenize("L'OTAN a dit: 3 fois")).toEqual(['l', 'otan', 'a', 'dit', 'fois']);
  });

  it('measures prose as denser than a label', () => {
    const prose = stopwordDensity(
      'The minister said that the bridge would be open to the public in the spring.',
      'en',
    );
    const label = stopwordDensity('Quarterly Revenue Growth Chart', 'en');
    expect(prose).toBeGreaterThan(0.3);
    expect(label).toBe(0);
    expect(stopwordDensity('', 'en')).toBe(0);
    expect(stopwordDensity('何か', 'ja')).toBeNull();
  });
});
