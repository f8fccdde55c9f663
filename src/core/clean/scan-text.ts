/**
 * Character scanners for the cleaner's hot loops: word counts, letter tokens, white-space tidiness
 * and a lower bound of a comparison key's length, each in one pass over the string's code units
 * with no intermediate arrays (and no regular expression, except where one measured faster).
 * Input: strings. Output: counts, callbacks per token, booleans.
 *
 * Why: the cleaner asks these questions of every block, several times; `text.match(/…+/gu)`
 * builds an array of every word just to count it, which was the largest cost after language
 * detection. Each scanner here is exactly equivalent to the regular expression named in its
 * comment (the Unicode classes are read from the same `\p{…}` expressions, one 256-code-unit
 * page at a time, the first time a page is seen).
 * Must not: hold tunables (rules.ts does) or approximate: callers rely on identical results.
 */

const LETTER = 1;
const MARK = 2;
const NUMBER = 4;

const IS_LETTER = /^\p{L}$/u;
const IS_MARK = /^\p{M}$/u;
const IS_NUMBER = /^\p{N}$/u;

function classOf(ch: string): number {
  return (
    (IS_LETTER.test(ch) ? LETTER : 0) | (IS_MARK.test(ch) ? MARK : 0) | (IS_NUMBER.test(ch) ? NUMBER : 0)
  );
}

/** Classes of BMP code units, one page of 256 filled on first use (surrogates stay 0). */
const pages: (Uint8Array | undefined)[] = new Array(256);

function bmpPage(high: number): Uint8Array {
  let page = pages[high];
  if (page) return page;
  page = new Uint8Array(256);
  const base = high << 8;
  if (base < 0xd800 || base > 0xdfff) {
    for (let i = 0; i < 256; i++) page[i] = classOf(String.fromCharCode(base + i));
  }
  pages[high] = page;
  return page;
}

const astral = new Map<number, number>();

function astralClass(codePoint: number): number {
  let cls = astral.get(codePoint);
  if (cls === undefined) {
    cls = classOf(String.fromCodePoint(codePoint));
    astral.set(codePoint, cls);
  }
  return cls;
}

/** Bit set on classAt's answer when the code point takes two code units (a surrogate pair). */
const PAIR = 8;

/** U+0000–U+00FF (ASCII and the Latin-1 letters of most European text), read once at load. */
const LATIN1 = bmpPage(0);

/**
 * Class bits of the code point at `i`, plus PAIR when it is a surrogate pair. Lone surrogates
 * belong to no class (as in `u`-mode regular expressions).
 */
function classAt(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c < 0x100) return LATIN1[c] ?? 0;
  if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
    const d = text.charCodeAt(i + 1);
    if (d >= 0xdc00 && d <= 0xdfff) return astralClass(((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000) | PAIR;
    return 0;
  }
  return bmpPage(c >> 8)[c & 0xff] ?? 0;
}

/** Index of the first code point at or after `from` whose class meets `mask`, else text.length. */
function runStart(text: string, from: number, mask: number): number {
  const n = text.length;
  for (let i = from; i < n; i++) {
    const c = text.charCodeAt(i);
    // Latin-1 needs no surrogate check: one table read per character.
    const cls = c < 0x100 ? (LATIN1[c] ?? 0) : classAt(text, i);
    if ((cls & mask) !== 0) return i;
    if ((cls & PAIR) !== 0) i++;
  }
  return n;
}

/** Index just past the run of code points of class `mask` that starts at `from`. */
function runEnd(text: string, from: number, mask: number): number {
  const n = text.length;
  let i = from;
  while (i < n) {
    const c = text.charCodeAt(i);
    const cls = c < 0x100 ? (LATIN1[c] ?? 0) : classAt(text, i);
    if ((cls & mask) === 0) return i;
    i += (cls & PAIR) !== 0 ? 2 : 1;
  }
  return n;
}

/** How many matches `/[\p{L}\p{N}]+/gu` finds in `text`. */
export function countLetterNumberRuns(text: string): number {
  const n = text.length;
  let runs = 0;
  let inRun = false;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    let cls: number;
    if (c < 0x100) cls = LATIN1[c] ?? 0;
    else {
      cls = classAt(text, i);
      if ((cls & PAIR) !== 0) i++;
    }
    const inside = (cls & (LETTER | NUMBER)) !== 0;
    if (inside && !inRun) runs++;
    inRun = inside;
  }
  return runs;
}

/**
 * The matches of `/[\p{L}\p{M}]+/gu` in `text`, one at a time: `nextLetterToken(text, end)`
 * with the previous token's end (0 to begin) gives the next token's start, and
 * `letterTokenEnd(text, start)` its end. A loop instead of a callback keeps callers monomorphic.
 */
export function nextLetterToken(text: string, from: number): number {
  return runStart(text, from, LETTER | MARK);
}

export function letterTokenEnd(text: string, start: number): number {
  return runEnd(text, start, LETTER | MARK);
}

/** Calls `onToken` with each match of `/[\p{L}\p{M}]+/gu` in `text`, in order. */
export function forEachLetterToken(text: string, onToken: (token: string) => void): void {
  for (let i = nextLetterToken(text, 0); i < text.length; ) {
    const end = letterTokenEnd(text, i);
    onToken(text.slice(i, end));
    i = nextLetterToken(text, end);
  }
}

/** `/\s/u` for one UTF-16 code unit (every white-space character is in the BMP). */
function isSpace(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  if (c < 0xa0) return false;
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/**
 * Inside a text: white space other than the plain space, two spaces in a row, or an invisible
 * soft character. A run `\s{2,}` is either two spaces or holds white space other than a space.
 */
const UNTIDY_INSIDE = /[^\S ]| {2}|[\u00AD\u200B\u2060\uFEFF]/u;

/**
 * Whether `/\s{2,}|[^\S ]|^\s|\s$|[\u00AD\u200B\u2060\uFEFF]/u` matches: white space other than
 * single inner spaces, or an invisible soft character (normalise-text.ts tidies such text).
 * The ends are read directly (white space is never a surrogate pair); for the inside, one
 * regular expression without anchors or repetition runs faster than a loop over the code units.
 */
export function needsTidy(text: string): boolean {
  const n = text.length;
  if (n === 0) return false;
  return isSpace(text.charCodeAt(0)) || isSpace(text.charCodeAt(n - 1)) || UNTIDY_INSIDE.test(text);
}

/**
 * A lower bound of `comparisonKey(text).length` (normalise-text.ts), exceeding `limit` only when
 * the key certainly does. It counts printable ASCII other than the space and the letters
 * U+00C0–U+024F other than × and ÷: under NFKC each of these stays at least one character that no
 * neighbour absorbs (they are starters that compose with no preceding character), it is neither
 * white space nor an invisible character, and lower-casing never shortens it. Stops counting
 * past `limit`.
 */
export function keyLengthAtLeast(text: string, limit: number): number {
  let n = 0;
  for (let i = 0; i < text.length && n <= limit; i++) {
    const c = text.charCodeAt(i);
    if ((c > 0x20 && c < 0x7f) || (c >= 0xc0 && c <= 0x24f && c !== 0xd7 && c !== 0xf7)) n++;
  }
  return n;
}
