/**
 * Language of an article's text as an ISO 639-1 code, via franc-min (trigrams) + iso-639-3.
 * Input: text and a fallback code. Output: e.g. `fr`; the fallback when the text is too short
 * or franc cannot decide.
 *
 * A cheap guess from function words (guess-language.ts) answers first when it is sure; franc
 * decides every other sample, so the guess only saves time.
 *
 * Must not: read metadata (the caller decides what wins). Sample sizes live in rules.ts.
 */
import { franc } from 'franc-min';
// The 639-3 → 639-1 map alone (the package index also loads every language's record: 3.4 MB of heap).
import { iso6393To1 } from 'iso-639-3/iso6393-to-1.js';
import { guessLanguage } from './guess-language.ts';
import { THRESHOLDS } from './rules.ts';

/** franc answers some macrolanguage members that have no 639-1 code of their own. */
const MACRO_TO_1: Readonly<Record<string, string>> = {
  cmn: 'zh',
  arb: 'ar',
  pes: 'fa',
  zlm: 'ms',
  azj: 'az',
  uzn: 'uz',
  ekk: 'et',
  lvs: 'lv',
  swh: 'sw',
  npi: 'ne',
  ory: 'or',
  khk: 'mn',
  plt: 'mg',
  ydd: 'yi',
  gaz: 'om',
  nob: 'no',
};

/** ISO 639-1 code of `text`'s language, or `fallback` when undetermined. */
export function detectLanguage(text: string, fallback: string): string {
  const sample = text.slice(0, THRESHOLDS.languageSampleChars);
  if (sample.trim().length < THRESHOLDS.languageMinChars) return fallback;
  const guess = guessLanguage(sample);
  if (guess !== null) return guess;
  const code3 = franc(sample, { minLength: THRESHOLDS.languageMinChars });
  if (code3 === 'und') return fallback;
  return iso6393To1[code3] ?? MACRO_TO_1[code3] ?? fallback;
}
