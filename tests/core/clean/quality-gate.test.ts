import { describe, expect, it } from 'vitest';
import { assessCleaning, assessWordCounts, countWords } from '../../../src/core/clean/quality-gate.ts';
import { KEPT_NOTHING, KEPT_TOO_LITTLE } from '../../../src/core/clean/rules.ts';

const para = (text: string) => ({ kind: 'paragraph' as const, text });
const words = (n: number): string => Array.from({ length: n }, (_, i) => `word${i}`).join(' ');

describe('quality gate', () => {
  it('counts words, two CJK characters as one', () => {
    expect(countWords("L'OTAN a menacé la Serbie.")).toBe(6);
    expect(countWords('市は三日')).toBe(2);
  });

  it('counts the same with and without the no-CJK fast path', () => {
    // Emoji and full-width signs take the slow path (code units above U+2E80) but are not CJK.
    expect(countWords('Great news 🎉 for ＡＢＣ fans')).toBe(5);
    expect(countWords('Tokyo 東京都 announced it')).toBe(5);
    expect(countWords('« L’OTAN » — 3 000 soldats…')).toBe(5);
  });

  it('flags an article that kept nothing, or too few words of a long source', () => {
    expect(assessCleaning([words(100)], [])[0]?.code).toBe(KEPT_NOTHING);
    expect(assessCleaning([words(100), words(10)], [para(words(10))])[0]?.code).toBe(KEPT_TOO_LITTLE);
  });

  it('flags a long source of which less than the minimum share was kept', () => {
    const warning = assessCleaning([words(400), words(50)], [para(words(50))])[0];
    expect(warning?.code).toBe(KEPT_TOO_LITTLE);
    expect(warning?.message).toMatch(/11%/);
  });

  it('passes a short note kept whole and a normal article', () => {
    expect(assessCleaning([words(12)], [para(words(12))])).toEqual([]);
    expect(assessCleaning([words(10), words(200)], [para(words(200))])).toEqual([]);
    expect(assessCleaning([], [])).toEqual([]);
  });
});

describe('assessWordCounts (the cleaner counts each block once)', () => {
  it('gives the verdict of assessCleaning from the same counts', () => {
    const cases: [string[], string[]][] = [
      [['One two three four five six seven.'], ['One two three four five six seven.']],
      [['word '.repeat(200)], ['word word']],
      [['word '.repeat(200)], []],
      [['word '.repeat(200)], ['word '.repeat(30)]],
      [[], []],
      [['東京で会議が開かれた。'], ['東京で会議が開かれた。']],
    ];
    for (const [source, kept] of cases) {
      const blocks = kept.map((text) => ({ kind: 'paragraph' as const, text }));
      const count = (texts: string[]) => texts.reduce((n, t) => n + countWords(t), 0);
      expect(assessWordCounts(count(source), count(kept))).toEqual(assessCleaning(source, blocks));
    }
  });
});
