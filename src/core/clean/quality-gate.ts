/**
 * Quality gate of one cleaned article: did the cleaner keep enough of it to be worth publishing?
 * Input: the candidate texts the cleaner started from and the body blocks it kept.
 * Output: zero or one Warning (`cleaning-kept-nothing` or `cleaning-kept-too-little`).
 *
 * Why: a page whose layout fooled the extractor loses its article silently; a warning surfaces it
 * in `kiosque clean`, in the item's warnings and in the build status (/healthz). The pipeline
 * holds back items that kept nothing (see regenerate.ts); others are published but flagged.
 * Must not: change the blocks. Thresholds live in rules.ts (QUALITY_GATE).
 */
import type { Block, Warning } from '../model.ts';
import { mayHaveDenseScript } from './classify-block.ts';
import { KEPT_NOTHING, KEPT_TOO_LITTLE, QUALITY_GATE } from './rules.ts';
import { countLetterNumberRuns } from './scan-text.ts';

const WORD = /[\p{L}\p{N}]+/gu;
/** Han and kana: scripts written without spaces, where a "word" is about two characters. */
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/gu;

/** Words of a text; in Chinese and Japanese, two characters count as one word. */
export function countWords(text: string): number {
  // Most text has no CJK: count runs of letters and digits without building the match array.
  if (!mayHaveDenseScript(text)) return countLetterNumberRuns(text);
  const cjk = text.match(CJK)?.length ?? 0;
  const words = text.replace(CJK, ' ').match(WORD)?.length ?? 0;
  return words + Math.ceil(cjk / 2);
}

export function assessCleaning(sourceTexts: readonly string[], kept: readonly Block[]): Warning[] {
  return assessWordCounts(
    sourceTexts.reduce((n, t) => n + countWords(t), 0),
    kept.reduce((n, b) => n + countWords(b.text), 0),
  );
}

/**
 * The same verdict from word counts the caller already has (the cleaner counts each block's
 * words once, for both the source and the kept side).
 */
export function assessWordCounts(sourceWords: number, keptWords: number): Warning[] {
  if (sourceWords === 0) return [];
  if (keptWords === 0)
    return [{ code: KEPT_NOTHING, message: `cleaning kept nothing of ${sourceWords} words of source text` }];
  const share = keptWords / sourceWords;
  if (keptWords < QUALITY_GATE.minKeptWords && sourceWords > keptWords)
    return [
      {
        code: KEPT_TOO_LITTLE,
        message: `cleaning kept only ${keptWords} words (minimum ${QUALITY_GATE.minKeptWords}) of ${sourceWords}`,
      },
    ];
  if (share < QUALITY_GATE.minKeptShare && sourceWords >= QUALITY_GATE.shareMinSourceWords)
    return [
      {
        code: KEPT_TOO_LITTLE,
        message: `cleaning kept ${Math.round(share * 100)}% of the source text (${keptWords} of ${sourceWords} words)`,
      },
    ];
  return [];
}
