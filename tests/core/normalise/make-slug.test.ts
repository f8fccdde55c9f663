import { describe, expect, it } from 'vitest';
import { makeSlug, withSuffix } from '../../../src/core/normalise/make-slug.ts';

describe('makeSlug', () => {
  it.each([
    ['000_bfecce3590181515.txt', '000-bfecce3590181515'],
    ['news/2024/Élection présidentielle.md', 'election-presidentielle'],
    ['https://news.example/2024/05/story-title/?utm=1', 'story-title'],
    ['https://news.example/', 'news-example'],
    ['日本語.txt', 'article'],
  ])('%s → %s', (source, slug) => {
    expect(makeSlug(source)).toBe(slug);
  });

  it('caps the length', () => {
    expect(makeSlug(`${'a'.repeat(200)}.txt`).length).toBeLessThanOrEqual(80);
  });
});

describe('withSuffix', () => {
  it('appends the first free number', () => {
    expect(withSuffix('a', new Set())).toBe('a');
    expect(withSuffix('a', new Set(['a', 'a-2']))).toBe('a-3');
  });
});
