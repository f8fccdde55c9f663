import { describe, expect, it } from 'vitest';
import { deriveTitle, looksLikeTitle, stripSiteSuffix } from '../../../src/core/clean/title.ts';

describe('title helpers', () => {
  it('strips a capitalised site-name suffix only', () => {
    expect(stripSiteSuffix('Floods close the coast road — Example News')).toEqual({
      title: 'Floods close the coast road',
      site: 'Example News',
    });
    expect(stripSiteSuffix('Budget vote delayed | example.com')).toEqual({
      title: 'Budget vote delayed',
      site: 'example.com',
    });
    expect(stripSiteSuffix('War in the region - live updates')).toEqual({
      title: 'War in the region - live updates',
    });
    expect(stripSiteSuffix('Alerte : un déploiement alarmant')).toEqual({
      title: 'Alerte : un déploiement alarmant',
    });
  });

  it('recognises headline-shaped lines', () => {
    expect(looksLikeTitle('Harbour towns brace for record tides')).toBe(true);
    expect(looksLikeTitle('This is a sentence that ends with a period.')).toBe(false);
    expect(looksLikeTitle('news')).toBe(false);
  });

  it('derives a title from the first sentence, cut at a word boundary', () => {
    expect(deriveTitle('Short first sentence. Second one.')).toBe('Short first sentence');
    const long = `${'word '.repeat(60)}end.`;
    const title = deriveTitle(long);
    expect(title.normalize('NFKC').length).toBeLessThanOrEqual(120);
    expect(title.endsWith('…')).toBe(true);
    expect(title).not.toMatch(/wor…$/);
  });
});
