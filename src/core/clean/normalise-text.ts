/**
 * Text normalisation shared by the cleaner's rules: one spelling for comparing blocks.
 * Input: a block's text. Output: display form (`tidyText`) or comparison key (`comparisonKey`).
 *
 * Must not: drop letters or reorder text; comparison keys are never shown to readers.
 * No tunables here (see rules.ts).
 */
import { needsTidy } from './scan-text.ts';

/** Runs of 2+ white-space characters, or any white space other than a plain space. */
const WHITESPACE_RUN = /\s{2,}|[^\S ]/gu;
const CURLY_APOSTROPHES = /[\u2018\u2019\u02BC\u2032]/gu;
/**
 * Invisible characters that change nothing a reader sees. Not ZWNJ/ZWJ (U+200C/U+200D): they
 * carry meaning (Persian and Indic spelling, emoji sequences: 👨‍👩‍👧 is one family, not three people).
 */
const SOFT_CHARACTERS = /[\u00AD\u200B\u2060\uFEFF]/gu;
/** Joiners are only dropped from comparison keys, which are never shown. */
const JOINERS = /[\u200C\u200D]/gu;

/** Display form: invisible characters dropped, white-space runs folded to one space, trimmed. */
export function tidyText(text: string): string {
  // Fast path: most blocks from the parsers are already tidy.
  if (!needsTidy(text)) return text;
  return text.replace(SOFT_CHARACTERS, '').replace(WHITESPACE_RUN, ' ').trim();
}

/** Matching form for the lexicon: tidy, with curly apostrophes folded to ASCII. */
export function lexiconForm(text: string): string {
  return tidyText(text).replace(CURLY_APOSTROPHES, "'");
}

/**
 * Comparison key: NFKC, apostrophes folded, lower-case, white space folded. Two blocks with the
 * same key are the same line of text (used for title duplicates and repeated chrome).
 */
export function comparisonKey(text: string): string {
  return lexiconForm(text.normalize('NFKC')).replace(JOINERS, '').toLowerCase();
}
