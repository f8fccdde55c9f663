import { describe, expect, it } from 'vitest';
import { asIsoDate, mergeMetadata, normaliseMetadata } from '../../../src/core/load/normalise-metadata.ts';

describe('normaliseMetadata', () => {
  it('folds aliases and normalises types', () => {
    expect(
      normaliseMetadata({
        Title: '  Hello  ',
        published: '2024-01-02T03:04:05+01:00',
        keywords: 'a, b ,a',
        authors: [{ name: 'Ann' }, 'Bob'],
        language: 'de',
      }),
    ).toEqual({
      title: 'Hello',
      date: '2024-01-02T02:04:05.000Z',
      tags: ['a', 'b'],
      author: 'Ann, Bob',
      lang: 'de',
    });
  });

  it('drops empty values; keeps a refused date as written for normalise to warn about', () => {
    expect(normaliseMetadata({ title: '   ', tags: [] })).toEqual({});
    expect(normaliseMetadata({ date: 'not a date', updated: '2023-02-30T25:61:00Z' })).toEqual({
      date: 'not a date',
      updated: '2023-02-30T25:61:00Z',
    });
  });

  it('accepts Date objects and timestamps', () => {
    expect(asIsoDate(new Date(Date.UTC(2020, 0, 1)))).toBe('2020-01-01T00:00:00.000Z');
    expect(asIsoDate(0)).toBe('1970-01-01T00:00:00.000Z');
    expect(asIsoDate({})).toBeUndefined();
  });
});

describe('mergeMetadata', () => {
  it('keeps the first layer that states a field', () => {
    expect(mergeMetadata({ title: 'sidecar' }, undefined, { title: 'markup', author: 'A' })).toEqual({
      title: 'sidecar',
      author: 'A',
    });
  });
});
