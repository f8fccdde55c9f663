/**
 * Issue 24 items 2, 4, 5 at the unit level: plain-text titles, input limits, dates and language
 * tags, each checked once in normalise with a warning naming the source and field.
 */
import { describe, expect, it } from 'vitest';
import type { Warning } from '../../../src/core/model.ts';
import { createFieldChecker } from '../../../src/core/normalise/check-fields.ts';
import { INPUT_LIMITS } from '../../../src/core/normalise/input-limits.ts';
import { checkDate } from '../../../src/core/normalise/normalise-date.ts';
import { toPlainText } from '../../../src/core/normalise/plain-text.ts';
import { canonicalLanguage } from '../../../src/core/text/normalise-language.ts';

const checker = () => {
  const warnings: Warning[] = [];
  return { warnings, check: createFieldChecker('content/x.md', warnings) };
};

describe('toPlainText (item 5)', () => {
  it.each([
    ['Les <b>gras</b> &amp; les maigres', 'Les gras & les maigres'],
    ['Clic <a href="&#106;avascript:alert(1)">ici</a>', 'Clic ici'],
    ['&lt;script&gt;alert(1)&lt;/script&gt; titre', 'alert(1) titre'],
    ['&amp;lt;b&amp;gt;deux fois&amp;lt;/b&amp;gt;', 'deux fois'],
    ['a < b et 3 > 2', 'a < b et 3 > 2'],
    ['  espaces\n\tmultiples  ', 'espaces multiples'],
    ['<!-- note --> Titre <?php x ?>', 'Titre'],
  ])('%j → %j', (input, expected) => {
    expect(toPlainText(input)).toBe(expected);
    expect(toPlainText(input)).not.toMatch(/<\/?[a-zA-Z][^>]*>/);
  });
});

describe('input limits (item 2)', () => {
  it('cuts a long title at a word and names the file and field', () => {
    const { warnings, check } = checker();
    const title = check.text('title', 'mot '.repeat(1_000_000), INPUT_LIMITS.titleChars) ?? '';
    expect(title.length).toBeLessThanOrEqual(INPUT_LIMITS.titleChars);
    expect(title.endsWith('…')).toBe(true);
    expect(warnings).toEqual([
      {
        code: 'field-limit',
        message: expect.stringMatching(
          /^content\/x\.md: title is 3999999 characters, over the 300-character limit/,
        ),
      },
    ]);
  });

  it('keeps the first tagsPerItem tags, drops over-long ones, derived tags only while room is left', () => {
    const { warnings, check } = checker();
    const stated = [...Array.from({ length: 5000 }, (_, i) => `tag${i}`), 'x'.repeat(101)];
    const tags = check.tags(stated, ['Derived']);
    expect(tags).toHaveLength(INPUT_LIMITS.tagsPerItem);
    expect(tags[0]).toBe('tag0');
    expect(warnings.map((w) => w.message)).toEqual([
      'content/x.md: tags has 1 tag(s) over the 100-character limit: dropped',
      'content/x.md: tags has 5000 tags, over the limit of 20: the first 20 kept',
    ]);
    const few = checker();
    expect(few.check.tags(['<b>Été</b>', 'été', 'Paris'], ['Derived', 'paris'])).toEqual([
      'Été',
      'Paris',
      'Derived',
    ]);
    expect(few.warnings).toEqual([]);
  });
});

describe('dates (item 4)', () => {
  it.each([
    ['-000100-01-01T00:00:00Z', 'is outside 1970–2099'],
    ['+010000-01-01T00:00:00Z', 'is outside 1970–2099'],
    ['2023-02-30T25:61:00Z', 'has no such day'],
    ['2023-02-28T25:61:00Z', 'has no such time'],
    ['2023-13-01', 'has no such month'],
    ['1969-12-31T23:59:59Z', 'is outside 1970–2099'],
    ['not a date', 'is not a date'],
  ])('refuses %s', (value, reason) => {
    expect(checkDate(value)).toEqual({ refused: reason });
  });

  it('refuses an epoch of 99999999999999 ms (year 5138) and accepts sane ones', () => {
    expect(checkDate(99_999_999_999_999)).toEqual({ refused: 'is outside 1970–2099' });
    expect(checkDate(0)).toEqual({ iso: '1970-01-01T00:00:00.000Z' });
    expect(checkDate('2024-02-29T12:00:00+02:00')).toEqual({ iso: '2024-02-29T10:00:00.000Z' });
    expect(checkDate('Tue, 10 Jun 2003 04:00:00 GMT')).toEqual({ iso: '2003-06-10T04:00:00.000Z' });
  });

  it('warns naming file and field; the caller falls back to the first-seen date', () => {
    const { warnings, check } = checker();
    expect(check.date('date', '2023-02-30T25:61:00Z')).toBeUndefined();
    expect(warnings[0]).toEqual({
      code: 'invalid-date',
      message: 'content/x.md: date "2023-02-30T25:61:00Z" has no such day: ignored (first-seen date used)',
    });
  });
});

describe('languages (item 4)', () => {
  it('canonicalises BCP 47 tags and refuses anything else', () => {
    expect(canonicalLanguage('fr_FR')).toBe('fr-FR');
    expect(canonicalLanguage('EN-gb')).toBe('en-GB');
    expect(canonicalLanguage('zh-hant-tw')).toBe('zh-Hant-TW');
    for (const bad of ['fr"><script>alert(1)</script>', '', 'x', 'fr FR', 'a'.repeat(40), 'en--gb']) {
      expect(canonicalLanguage(bad), bad).toBeNull();
    }
  });

  it('falls back to the detected, then the site language, warning about the stated one', () => {
    const { warnings, check } = checker();
    expect(check.language('fr"><script>', 'de', 'fr')).toBe('de');
    expect(check.language(undefined, 'n"ope', 'fr')).toBe('fr');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.message).toMatch(
      /^content\/x\.md: lang "fr\\"><script>" is not a BCP 47 language tag/,
    );
  });
});
