/**
 * jusText-style classification of one block by its own features, before context.
 * Input: text, detected language, link density. Output: 'good' | 'near-good' | 'short' | 'bad'.
 *
 * - bad: mostly links, URLs/handles, or prose without the function words of its language;
 * - short: under `lengthLow` (decided later by its neighbours);
 * - good: long and stopword-dense, or sentence-shaped and stopword-dense;
 * - near-good: in between (kept when next to good prose).
 *
 * Must not: look at neighbours or positions (clean-document.ts runs the context pass).
 * Thresholds live in rules.ts.
 */
import { SENTENCE_END_PATTERN, THRESHOLDS, URLISH_TOKEN_PATTERN } from './rules.ts';
import { stopwordDensity } from './stopwords.ts';

const URLISH_CHARS = /[@#/]|^www\./;
const URLISH_ANYWHERE = /[@#/]|www\./;

export type BlockClass = 'good' | 'near-good' | 'short' | 'bad';

const DENSE_SCRIPT = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/gu;
/**
 * Every Han, Hiragana and Katakana character is at or above U+2E80 (astral ones are surrogate
 * pairs, also above it), so this plain code-unit range rules most text out far faster than the
 * script-property class, which is among the cleaner's hottest regexes.
 */
const MAYBE_DENSE_SCRIPT = /[\u2E80-\uFFFF]/;

/** False when `text` certainly has no Han, Hiragana or Katakana (cheap pre-check). */
export function mayHaveDenseScript(text: string): boolean {
  return MAYBE_DENSE_SCRIPT.test(text);
}

/**
 * Length used against the length thresholds. A Chinese or Japanese character carries about as
 * much as three Latin ones (a 50-character Japanese sentence is a full sentence, not a menu
 * label), so ideographs and kana count three times.
 */
export function effectiveLength(text: string): number {
  if (!MAYBE_DENSE_SCRIPT.test(text)) return text.length;
  const dense = text.match(DENSE_SCRIPT)?.length ?? 0;
  return text.length + THRESHOLDS.denseScriptWeight * dense;
}

/** Share of white-space separated tokens that are URLs, e-mails, @handles or #hashtags. */
export function urlDensity(text: string): number {
  if (!URLISH_ANYWHERE.test(text)) return 0;
  const tokens = text.split(' ');
  if (tokens.length === 0) return 0;
  let n = 0;
  for (const t of tokens) {
    // Cheap pre-check: every URL-ish token has one of these characters or starts with "www".
    if (!URLISH_CHARS.test(t)) continue;
    if (URLISH_TOKEN_PATTERN.test(t.replace(/[.,;:!?)]+$/u, ''))) n++;
  }
  return n / tokens.length;
}

/** Link density above which a block is navigation: stricter for short blocks. */
export function linkDensityLimit(length: number): number {
  return length >= THRESHOLDS.lengthHigh ? THRESHOLDS.maxLinkDensityLong : THRESHOLDS.maxLinkDensity;
}

/** `linkLimit` overrides the length-based limit (the HTML path allows more links in real sentences). */
export function classifyBlock(
  text: string,
  lang: string,
  linkDensity: number,
  linkLimit?: number,
): BlockClass {
  const length = effectiveLength(text);
  return classifyMeasuredBlock(
    { text, length, urlDensity: urlDensity(text), stopwordDensity: () => stopwordDensity(text, lang) },
    linkDensity,
    linkLimit ?? linkDensityLimit(length),
  );
}

/** What classification reads of a block, measured once by the caller (the cleaner caches them). */
export interface BlockMeasures {
  readonly text: string;
  /** effectiveLength(text) */
  readonly length: number;
  /** urlDensity(text) */
  readonly urlDensity: number;
  /** stopwordDensity(text, lang), asked only when the length calls for it. */
  readonly stopwordDensity: () => number | null;
}

/** classifyBlock on measures the caller already holds; same result. */
export function classifyMeasuredBlock(m: BlockMeasures, linkDensity: number, linkLimit: number): BlockClass {
  const { text, length } = m;
  if (linkDensity > linkLimit) return 'bad';
  if (m.urlDensity > THRESHOLDS.maxUrlDensity) return 'bad';
  if (length < THRESHOLDS.lengthLow) return 'short';
  const sentence = SENTENCE_END_PATTERN.test(text);
  // Languages without a stopword list (or without word spaces) are judged on shape alone.
  const density = m.stopwordDensity() ?? (sentence || length > THRESHOLDS.lengthHigh ? 1 : 0);
  if (density >= THRESHOLDS.stopwordsHigh) {
    return length > THRESHOLDS.lengthHigh || sentence ? 'good' : 'near-good';
  }
  if (density >= THRESHOLDS.stopwordsLow) return 'near-good';
  return 'bad';
}
