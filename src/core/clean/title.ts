/**
 * Title helpers: recognise a title line, strip a site-name suffix, derive a title from prose.
 * Input: lines of text. Output: strings (or null).
 *
 * Must not: look at block positions (clean-document.ts decides where a title may be).
 * Thresholds and separators live in rules.ts.
 */
import {
  CLAUSE_END_PATTERN,
  HEADING_START_PATTERN,
  SITE_NAME_MAX_WORDS,
  SITE_NAME_WORD_PATTERN,
  THRESHOLDS,
  TITLE_SUFFIX_SEPARATOR,
} from './rules.ts';

/** Han, kana, Thai: scripts written without spaces, where one "word" can be a whole headline. */
const UNSPACED_SCRIPT = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]{4}/u;

/** Whether a line reads like a headline: bounded length, no clause-ending punctuation. */
export function looksLikeTitle(text: string): boolean {
  return (
    text.length >= THRESHOLDS.titleMinChars &&
    text.length <= THRESHOLDS.titleMaxChars &&
    !CLAUSE_END_PATTERN.test(text) &&
    HEADING_START_PATTERN.test(text) &&
    (text.split(' ').length >= 2 || UNSPACED_SCRIPT.test(text))
  );
}

export interface SplitTitle {
  readonly title: string;
  /** The site name that followed the title ("Title — Site"), when there was one. */
  readonly site?: string;
}

/**
 * "Title — Site Name" / "Title | Site" → { title, site }. Only a short, capitalised last
 * segment counts as a site name, so "War in Ukraine - live updates" keeps its tail.
 */
export function stripSiteSuffix(line: string): SplitTitle {
  const parts = line.split(TITLE_SUFFIX_SEPARATOR);
  if (parts.length < 2) return { title: line };
  const site = (parts[parts.length - 1] ?? '').trim();
  const title = line
    .slice(0, line.length - site.length)
    .replace(/\s*(?:[|·•»—–]|-{1,2}|::)\s*$/u, '')
    .trim();
  const words = site.split(/\s+/);
  const isSite =
    words.length <= SITE_NAME_MAX_WORDS &&
    words.every((w) => SITE_NAME_WORD_PATTERN.test(w)) &&
    title.length > site.length;
  return isSite ? { title, site } : { title: line };
}

const SENTENCE_BREAK = /(?<=[.!?…。！？])[\s"'»”’]*\s(?=["«“‘(\p{Lu}\p{Lo}\p{N}])/u;
const TRAILING_JOINERS = /[\s,;:–—-]+$/u;

/**
 * A title from the article's own words: the first sentence of `text`, shortened at a word
 * boundary to at most `derivedTitleMaxChars` (an ellipsis marks the cut). Every word kept is
 * a word of the source text, so the title never says what the article does not.
 */
export function deriveTitle(text: string): string {
  const max = THRESHOLDS.derivedTitleMaxChars;
  const first = (text.split(SENTENCE_BREAK)[0] ?? text).trim();
  const sentence = first.replace(/[.。]+$/u, '').trim();
  if (sentence.length <= max) return sentence;
  const words = sentence.split(' ');
  let out = '';
  for (const w of words) {
    const next = out ? `${out} ${w}` : w;
    // Room for the ellipsis even once NFKC-normalised to "...".
    if (next.length > max - 3) break;
    out = next;
  }
  if (!out) out = sentence.slice(0, max - 3);
  return `${out.replace(TRAILING_JOINERS, '')}…`;
}
