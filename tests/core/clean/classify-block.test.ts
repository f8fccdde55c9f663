import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  classifyBlock,
  classifyMeasuredBlock,
  effectiveLength,
  linkDensityLimit,
  mayHaveDenseScript,
  urlDensity,
} from '../../../src/core/clean/classify-block.ts';
import { detectWarnings } from '../../../src/core/clean/detect-warnings.ts';
import { stopwordDensity } from '../../../src/core/clean/stopwords.ts';
import { splitTextBlocks } from '../../../src/core/load/parse-text.ts';

const PROSE =
  'The minister said on Monday that the new bridge would open to traffic in the spring, several months later than planned, because of the floods.';

describe('classifyBlock', () => {
  it('classifies prose, short lines, link lists and word lists', () => {
    expect(classifyBlock(PROSE, 'en', 0)).toBe('good');
    expect(classifyBlock('A short line.', 'en', 0)).toBe('short');
    expect(classifyBlock(PROSE, 'en', 0.9)).toBe('bad');
    expect(
      classifyBlock(
        'Politics Economy Sport Culture Science Technology Health Travel Food Weather Opinion',
        'en',
        0,
      ),
    ).toBe('bad');
  });

  it('judges languages without a stopword list on shape', () => {
    const ja =
      '東京都は月曜日、新しい橋の開通が洪水の影響で春まで遅れると発表した。関係者によると工事は順調に進んでいるという。さらに市は周辺道路の整備も進める方針だ。';
    expect(classifyBlock(ja, 'ja', 0)).toBe('good');
  });

  it('measures URL/e-mail/handle density', () => {
    expect(urlDensity('Write to news@example.org or @example https://example.org')).toBeGreaterThan(0.4);
    expect(urlDensity(PROSE)).toBe(0);
  });
});

describe('detectWarnings', () => {
  it('is empty for clean text', () => {
    expect(detectWarnings(['Un café à Paris — l’été.'])).toEqual([]);
  });
});

describe('mayHaveDenseScript / effectiveLength fast path', () => {
  const SCRIPT_CLASS = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;

  it('never says no to a Han, Hiragana or Katakana character (whole BMP and astral Han)', () => {
    const missed: number[] = [];
    for (let c = 0; c <= 0x10ffff; c++) {
      if (c >= 0xd800 && c <= 0xdfff) continue;
      const ch = String.fromCodePoint(c);
      if (SCRIPT_CLASS.test(ch) && !mayHaveDenseScript(ch)) missed.push(c);
    }
    expect(missed).toEqual([]);
  });

  it('rules out Latin text with typographic punctuation, and counts CJK three times', () => {
    expect(mayHaveDenseScript('« L’OTAN a menacé la Serbie… » — 3 €')).toBe(false);
    expect(effectiveLength('« L’OTAN »')).toBe(10);
    expect(effectiveLength('市は三日 ok')).toBe(7 + 2 * 4);
  });
});

describe('classifyMeasuredBlock (the cleaner measures each block once)', () => {
  it('gives the same class as classifyBlock on every block of the fixtures', () => {
    const dir = fileURLToPath(new URL('../../fixtures/clean/', import.meta.url));
    let n = 0;
    for (const name of readdirSync(dir)) {
      if (!name.includes('-')) continue;
      const input = readdirSync(`${dir}${name}`).find((f) => f.startsWith('input'));
      if (!input) continue;
      const lang = name.split('-')[0] ?? 'en';
      for (const { text } of splitTextBlocks(readFileSync(`${dir}${name}/${input}`, 'utf8'))) {
        for (const links of [0, 0.2, 0.5]) {
          const length = effectiveLength(text);
          const measured = classifyMeasuredBlock(
            {
              text,
              length,
              urlDensity: urlDensity(text),
              stopwordDensity: () => stopwordDensity(text, lang),
            },
            links,
            linkDensityLimit(length),
          );
          expect(measured).toBe(classifyBlock(text, lang, links));
          n++;
        }
      }
    }
    expect(n).toBeGreaterThan(300);
  });
});
