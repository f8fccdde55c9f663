import { describe, expect, it } from 'vitest';
import { detectLanguage } from '../../../src/core/clean/detect-language.ts';

describe('detectLanguage', () => {
  const samples: readonly [string, string][] = [
    [
      'en',
      'The government announced on Monday that the new railway line will open next year, after a long delay.',
    ],
    [
      'fr',
      "Le gouvernement a annoncé lundi que la nouvelle ligne de chemin de fer ouvrira l'année prochaine.",
    ],
    [
      'de',
      'Die Regierung hat am Montag angekündigt, dass die neue Bahnstrecke im nächsten Jahr eröffnet wird.',
    ],
    [
      'es',
      'El gobierno anunció el lunes que la nueva línea de ferrocarril se abrirá el próximo año, tras un largo retraso.',
    ],
    [
      'ru',
      'Правительство объявило в понедельник, что новая железная дорога откроется в следующем году после задержки.',
    ],
  ];
  for (const [lang, text] of samples) {
    it(`detects ${lang}`, () => {
      expect(detectLanguage(text, 'xx')).toBe(lang);
    });
  }

  it('falls back on short or empty text', () => {
    expect(detectLanguage('Hello', 'it')).toBe('it');
    expect(detectLanguage('', 'pt')).toBe('pt');
  });
});
