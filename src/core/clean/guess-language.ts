/**
 * A cheap first guess of a text sample's language, from the function words of the `stopword`
 * package's lists: the sample is mostly Latin letters, has enough words, and one language's
 * distinctive function words ("the", "les", "und") clearly outnumber every rival's.
 * Input: the detector's sample. Output: an ISO 639-1 code, or null when the guess is not sure
 * (another script, too few words, mixed or unlisted languages): franc then decides.
 *
 * Why: franc compares the sample's trigrams with every Latin-script language it knows, which
 * cost about half of plain-text cleaning; most articles are unambiguous long before that.
 * Must not: answer where franc might answer differently (the thresholds are calibrated for that,
 * see LANGUAGE_GUESS in rules.ts, where every tunable lives).
 */
import { LANGUAGE_GUESS } from './rules.ts';
import { letterTokenEnd, nextLetterToken } from './scan-text.ts';
import { shippedStopwords } from './stopwords.ts';
import { WordIndex } from './word-index.ts';

/** Function word → bit set of the rival languages whose list holds it (bit i = rivals[i]). */
function buildIndex(): WordIndex {
  const index = new Map<string, number>();
  LANGUAGE_GUESS.rivals.forEach((lang, bit) => {
    // The shipped lists, lower-cased here (stopwordsFor's sets hold the same words; building two
    // dozen of them was a third of a one-article build's cleaning).
    for (const shipped of shippedStopwords(lang) ?? []) {
      const word = shipped.toLowerCase();
      index.set(word, (index.get(word) ?? 0) | (1 << bit));
    }
  });
  return new WordIndex(index);
}

let index: WordIndex | undefined;
const ACCEPTED: ReadonlySet<string> = new Set(LANGUAGE_GUESS.accepted);

/**
 * True when Latin letters are more than half of the sample: franc then picks the Latin-script
 * trigram models (its script classes are disjoint, so no other script can count more).
 * A subset of franc's Latin class is enough for a "more than half" test.
 */
function isMostlyLatin(sample: string): boolean {
  let latin = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if (
      (c >= 0x61 && c <= 0x7a) ||
      (c >= 0x41 && c <= 0x5a) ||
      (c >= 0xc0 && c <= 0x24f && c !== 0xd7 && c !== 0xf7)
    )
      latin++;
  }
  return latin * 2 > sample.length;
}

/** ISO 639-1 code of `sample` when its function words leave no doubt, else null. */
export function guessLanguage(sample: string): string | null {
  if (!isMostlyLatin(sample)) return null;
  const words = index ?? buildIndex();
  index = words;
  const rivals = LANGUAGE_GUESS.rivals.length;
  const hits = new Int32Array(rivals);
  const distinctive = new Int32Array(rivals);
  // Hits per part of the sample too: a text half in one language and half in another is franc's call.
  const parts = LANGUAGE_GUESS.parts;
  const partHits = new Int32Array(rivals * parts);
  let n = 0;
  // Same tokens as stopwordDensity: letter runs of the lower-cased text.
  const lower = sample.toLowerCase();
  for (let i = nextLetterToken(lower, 0); i < lower.length; ) {
    const end = letterTokenEnd(lower, i);
    n++;
    let bits = words.get(lower, i, end);
    const part = Math.floor((i * parts) / lower.length) * rivals;
    i = nextLetterToken(lower, end);
    if (bits < 0) continue;
    // One bit set: the word belongs to one language only.
    if ((bits & (bits - 1)) === 0) {
      const b = 31 - Math.clz32(bits);
      distinctive[b] = (distinctive[b] ?? 0) + 1;
    }
    while (bits !== 0) {
      const b = 31 - Math.clz32(bits);
      hits[b] = (hits[b] ?? 0) + 1;
      partHits[part + b] = (partHits[part + b] ?? 0) + 1;
      bits &= ~(1 << b);
    }
  }
  if (n < LANGUAGE_GUESS.minTokens) return null;
  let best = 0;
  let runnerUp = -1;
  for (let i = 1; i < rivals; i++) {
    if ((distinctive[i] ?? 0) > (distinctive[best] ?? 0)) {
      runnerUp = best;
      best = i;
    } else if (runnerUp < 0 || (distinctive[i] ?? 0) > (distinctive[runnerUp] ?? 0)) runnerUp = i;
  }
  const lang = LANGUAGE_GUESS.rivals[best];
  if (lang === undefined || !ACCEPTED.has(lang)) return null;
  const top = distinctive[best] ?? 0;
  const second = distinctive[runnerUp] ?? 0;
  const share = hits[best] ?? 0;
  // The winner must also lead on all its function words, shared ones included.
  for (let p = 0; p < parts; p++) {
    const own = partHits[p * rivals + best] ?? 0;
    for (let i = 0; i < rivals; i++) if (i !== best && (partHits[p * rivals + i] ?? 0) >= own) return null;
  }
  if (share < LANGUAGE_GUESS.minShare * n) return null;
  if (top < LANGUAGE_GUESS.minDistinctiveShare * n) return null;
  if (second > LANGUAGE_GUESS.maxRunnerUpRatio * top) return null;
  return lang;
}
