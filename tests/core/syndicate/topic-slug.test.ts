import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_TOPIC_SLUG_LENGTH, topicSlug } from '../../../src/core/syndicate/topic-slug.ts';

describe('topicSlug', () => {
  it.each([
    ['Climat', 'climat'],
    ['Été 2025', 'ete-2025'],
    ['  Alliance de l’Atlantique Nord ', 'alliance-de-l-atlantique-nord'],
    ['États-Unis', 'etats-unis'],
    ['C++ / Rust', 'c-rust'],
    ['Москва', 'москва'],
  ])('%s → %s', (label, slug) => {
    expect(topicSlug(label)).toBe(slug);
  });

  it('folds case and accents so spellings share one feed', () => {
    expect(topicSlug('Été')).toBe(topicSlug('ete'));
    expect(topicSlug('OTAN')).toBe(topicSlug('otan'));
  });

  it('gives labels without letters a stable hashed slug', () => {
    expect(topicSlug('!!!')).toMatch(/^t-[0-9a-f]{8}$/);
    expect(topicSlug('!!!')).toBe(topicSlug('!!!'));
    expect(topicSlug('!!!')).not.toBe(topicSlug('???'));
  });

  it('is always a non-empty, bounded path segment without dot, slash or edge dashes', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 120 }), (label) => {
        const slug = topicSlug(label);
        expect(slug.length).toBeGreaterThan(0);
        expect([...slug].length).toBeLessThanOrEqual(MAX_TOPIC_SLUG_LENGTH + 2);
        expect(slug).not.toMatch(/[./?#%\s]|^-|-$/);
        expect(topicSlug(label)).toBe(slug);
      }),
    );
  });
});
