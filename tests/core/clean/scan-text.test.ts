import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { comparisonKey } from '../../../src/core/clean/normalise-text.ts';
import {
  countLetterNumberRuns,
  forEachLetterToken,
  keyLengthAtLeast,
  needsTidy,
} from '../../../src/core/clean/scan-text.ts';

const FIXTURES = fileURLToPath(new URL('../../fixtures/clean/', import.meta.url));

/** The regular expressions the scanners replace (as they were in the cleaner). */
const WORD = /[\p{L}\p{N}]+/gu;
const TOKEN = /[\p{L}\p{M}]+/gu;
const NEEDS_TIDY = /\s{2,}|[^\S ]|^\s|\s$|[\u00AD\u200B\u2060\uFEFF]/u;

function tokensOf(text: string): string[] {
  const out: string[] = [];
  forEachLetterToken(text, (t) => out.push(t));
  return out;
}

/** Every line of every fixture input: real text in ten languages and scripts. */
function fixtureLines(): string[] {
  const lines: string[] = [];
  for (const dir of readdirSync(FIXTURES, { withFileTypes: true })) {
    if (!dir.isDirectory()) continue;
    for (const file of readdirSync(`${FIXTURES}${dir.name}`)) {
      if (file.startsWith('input'))
        lines.push(...readFileSync(`${FIXTURES}${dir.name}/${file}`, 'utf8').split('\n'));
    }
  }
  return lines;
}

/** Strings rich in the hard cases: marks, digits of other scripts, astral letters, lone surrogates, odd spaces. */
const tricky = fc.string({
  unit: fc.oneof(
    fc.constantFrom(
      'a',
      'Z',
      '7',
      ' ',
      '  ',
      '\t',
      '\n',
      '\u00A0',
      '\u2003',
      '\u3000',
      '\uFEFF',
      '\u00AD',
      '\u200B',
      '\u2060',
      '\u200D',
      'é',
      'e\u0301',
      'ß',
      'İ',
      'Σ',
      'ﬁ',
      '½',
      '٣',
      '漢',
      'か',
      '한',
      '\u{1D400}',
      '\u{20000}',
      '\u{1F600}',
      '\uD800',
      '\uDC00',
      "'",
      '’',
      '-',
      '.',
    ),
    fc.string({ unit: 'grapheme', maxLength: 2 }),
    fc.string({ unit: 'binary', maxLength: 2 }),
  ),
  maxLength: 40,
});

describe('scan-text', () => {
  it('counts the same words as /[\\p{L}\\p{N}]+/gu', () => {
    fc.assert(
      fc.property(tricky, (s) => countLetterNumberRuns(s) === (s.match(WORD)?.length ?? 0)),
      {
        numRuns: 3000,
      },
    );
    for (const line of fixtureLines())
      expect(countLetterNumberRuns(line)).toBe(line.match(WORD)?.length ?? 0);
  });

  it('finds the same tokens as /[\\p{L}\\p{M}]+/gu', () => {
    fc.assert(
      fc.property(tricky, (s) => {
        expect(tokensOf(s)).toEqual(s.match(TOKEN) ?? []);
      }),
      { numRuns: 3000 },
    );
    for (const line of fixtureLines())
      expect(tokensOf(line.toLowerCase())).toEqual(line.toLowerCase().match(TOKEN) ?? []);
  });

  it('says a text needs tidying exactly when the tidy pattern matches', () => {
    fc.assert(
      fc.property(tricky, (s) => needsTidy(s) === NEEDS_TIDY.test(s)),
      { numRuns: 3000 },
    );
    for (const s of ['a b', ' a', 'a ', 'a  b', 'a\tb', 'a\u00A0b', 'a\u00ADb', '', 'x']) {
      expect(needsTidy(s)).toBe(NEEDS_TIDY.test(s));
    }
  });

  it('bounds the comparison key length from below', () => {
    fc.assert(
      fc.property(tricky, (s) => keyLengthAtLeast(s, 1000) <= comparisonKey(s).length),
      { numRuns: 3000 },
    );
    for (const line of fixtureLines())
      expect(keyLengthAtLeast(line, 10_000)).toBeLessThanOrEqual(comparisonKey(line).length);
    // Stops counting just past the limit.
    expect(keyLengthAtLeast('x'.repeat(500), 200)).toBe(201);
  });
});
