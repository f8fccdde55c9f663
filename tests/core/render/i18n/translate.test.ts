import { describe, expect, it } from 'vitest';
import { createFeedLinks } from '../../../../src/core/render/feed-links.ts';
import { EN } from '../../../../src/core/render/i18n/en.ts';
import { FR } from '../../../../src/core/render/i18n/fr.ts';
import { localeFor, primaryLanguage } from '../../../../src/core/render/i18n/translate.ts';
import { renderArticlePage, renderIndexPage } from '../../../../src/core/render/render-html-pages.ts';
import { createDocument } from '../fixtures.ts';

describe('interface language', () => {
  it('keys the table by the primary subtag and falls back to English', () => {
    expect(primaryLanguage('fr-CA')).toBe('fr');
    expect(localeFor('fr-CA').t).toBe(FR);
    expect(localeFor('fr-CA').language).toBe('fr-CA');
    expect(localeFor('it').t).toBe(EN);
    expect(localeFor('it').language).toBe('en');
    expect(localeFor('').t).toBe(EN);
  });

  it('formats days and numbers in the site language, in UTC', () => {
    expect(localeFor('fr').day('2026-12-07T23:30:00-05:00')).toBe('8 décembre 2026');
    expect(localeFor('fr').day('2026-12-07')).toBe('7 décembre 2026');
    expect(localeFor('en').day('2026-12-07T10:00:00Z')).toBe('December 7, 2026');
    expect(localeFor('fr').number(12345)).toBe('12\u202f345');
  });

  it('every table names every message', () => {
    expect(Object.keys(FR).sort()).toEqual(Object.keys(EN).sort());
  });

  it('an English site reads English; a French one French; same input → same bytes', () => {
    const doc = createDocument();
    const en = { ...doc, site: { ...doc.site, language: 'en' } };
    const links = createFeedLinks(en.site);
    const page = renderIndexPage(en, links);
    expect(page).toContain('<html lang="en">');
    expect(page).toContain('Subscribe:');
    expect(page).toContain('hreflang="en"');
    expect(renderIndexPage(en, links)).toBe(page);
    const fr = renderIndexPage(doc, createFeedLinks(doc.site));
    expect(fr).toContain('S’abonner\u00a0:');
    expect(fr).not.toMatch(/Subscribe|Published/);
    const item = doc.items[0];
    if (!item) throw new Error('fixture has no item');
    const article = renderArticlePage({ ...item, language: 'de' }, doc.site, createFeedLinks(doc.site));
    expect(article).toContain('<html lang="fr">');
    expect(article).toContain('<div class="content" lang="de">');
    expect(article).toContain('Tous les articles');
  });
});
