import { describe, expect, it } from 'vitest';
import { chooseLanguage } from '../../../src/core/clean/choose-language.ts';
import { statedLanguage } from '../../../src/core/text/normalise-language.ts';

describe('statedLanguage (issue 23)', () => {
  it('normalises tags, lists and language names, and drops what names no language', () => {
    expect(statedLanguage('EN')).toBe('en');
    expect(statedLanguage('fr_FR')).toBe('fr-FR');
    expect(statedLanguage('deutsch, german')).toBe('de');
    expect(statedLanguage('Español')).toBe('es');
    expect(statedLanguage('de, en')).toBe('de');
    expect(statedLanguage('lang=')).toBeNull();
    expect(statedLanguage('deutsch-de')).toBeNull();
    expect(statedLanguage('zz')).toBeNull();
    expect(statedLanguage('')).toBeNull();
    expect(statedLanguage(undefined)).toBeNull();
  });
});

describe('chooseLanguage', () => {
  const german =
    'Die Stadt hat am Dienstag angekündigt, dass die Preise für die Busse und Bahnen im nächsten Jahr nicht steigen werden.';
  it('prefers the stated language when its function words cover the text at least as well', () => {
    expect(chooseLanguage(german, 'nl', 'de')).toEqual({ language: 'de', rule: 'stated-language' });
  });
  it('keeps the detected language when the stated one does not fit the text', () => {
    expect(chooseLanguage(german, 'de', 'en').language).toBe('de');
    expect(chooseLanguage(german, 'de', undefined).language).toBe('de');
  });
});
