import { describe, expect, it } from 'vitest';
import { cleanDocument } from '../../../src/core/clean/clean-document.ts';
import {
  findDate,
  isPersonName,
  matchByline,
  matchCredit,
  matchDateLine,
  matchDateline,
} from '../../../src/core/clean/credits.ts';
import { parseDocument } from '../../../src/core/load/parse-document.ts';

describe('credits', () => {
  it('reads bylines in several languages', () => {
    expect(matchByline('By Jane Doe')).toBe('Jane Doe');
    expect(matchByline('Par Jean-Pierre Martin')).toBe('Jean-Pierre Martin');
    expect(matchByline('Von Max Muster | 12.03.2024')).toBe('Max Muster');
    expect(matchByline('Автор: Иван Петров')).toBe('Иван Петров');
    expect(matchByline('By the river, the town slept.')).toBeNull();
  });

  it('recognises trailing agency credits', () => {
    expect(matchCredit('AFP')).toBe('AFP');
    expect(matchCredit('Reuters')).toBe('Reuters');
    expect(matchCredit('Source: AFP / Reuters')).toBe('AFP / Reuters');
    expect(matchCredit('(avec AFP)')).toBe('avec AFP'.replace('avec ', ''));
    expect(matchCredit('RT')).toBe('RT');
    expect(matchCredit('Thanks')).toBeNull();
    expect(matchCredit('The end of the story.')).toBeNull();
  });

  it('recognises bare person names', () => {
    expect(isPersonName('Chloé')).toBe(true);
    expect(isPersonName('Anna Maria Schmidt')).toBe(true);
    expect(isPersonName('leave a reply')).toBe(false);
    expect(isPersonName('Blog and Articles Here Now Again')).toBe(false);
  });

  it('parses dates in several shapes and languages', () => {
    expect(findDate('2024-03-12')?.iso).toBe('2024-03-12T00:00:00.000Z');
    expect(findDate('29 septembre 2023')?.iso).toBe('2023-09-29T00:00:00.000Z');
    expect(findDate('September 29, 2023')?.iso).toBe('2023-09-29T00:00:00.000Z');
    expect(findDate('29. September 2023')?.iso).toBe('2023-09-29T00:00:00.000Z');
    expect(findDate('12 de marzo de 2024')?.iso).toBe('2024-03-12T00:00:00.000Z');
    expect(findDate('12 марта 2024')?.iso).toBe('2024-03-12T00:00:00.000Z');
    expect(findDate('2024年3月12日')?.iso).toBe('2024-03-12T00:00:00.000Z');
    expect(findDate('31/02/2024')).toBeNull();
  });

  it('tells date lines from prose mentioning a date', () => {
    expect(matchDateLine('Publié le 29 septembre 2023')).toBe('2023-09-29T00:00:00.000Z');
    expect(
      matchDateLine('Le 29 septembre 2023, le conseil municipal a voté le budget de la ville.'),
    ).toBeNull();
    expect(matchDateline('PARIS, 29 septembre 2023 (AFP) — Le gouvernement a annoncé…')).toBe(
      '2023-09-29T00:00:00.000Z',
    );
  });
});

describe('dates in bylines and more languages (issue 23)', () => {
  it('reads month names of languages outside the hand-written table from Intl', () => {
    expect(findDate('7. ledna 2026')?.iso).toBe('2026-01-07T00:00:00.000Z');
    expect(findDate('7 januari 2026')?.iso).toBe('2026-01-07T00:00:00.000Z');
    expect(findDate('7 січня 2026')?.iso).toBe('2026-01-07T00:00:00.000Z');
  });

  it('takes the date of a byline as the publication date', () => {
    const parsed = parseDocument({
      sourceId: 'a.txt',
      file: 'a.txt',
      source: 'a',
      format: 'text',
      body: [
        'Les vignes gèlent dans la vallée',
        'Par Jean Martin, le 7 décembre 2026 à 08h15',
        'Les viticulteurs de la vallée ont passé la nuit dans leurs parcelles pour allumer des bougies antigel, alors que le thermomètre est descendu à moins six degrés.',
      ].join('\n\n'),
    });
    const doc = cleanDocument(parsed, { defaultLanguage: 'fr' });
    expect(doc.inferred.author).toBe('Jean Martin');
    expect(doc.inferred.date).toBe('2026-12-07T08:15:00.000Z');
  });
});
