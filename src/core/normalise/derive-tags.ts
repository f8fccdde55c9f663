/**
 * Derived tags: an article's cleaned blocks + its language → up to MAX_DERIVED_TAGS salient
 * named entities (people, places, organisations), used as tags next to the author's own.
 *
 * How (a deliberately simple, explainable heuristic, no model):
 * 1. Only body prose is read (paragraphs, quotes, list items); headings are skipped because
 *    English headings capitalise every word.
 * 2. Text is cut into sentences; words are letter runs, an elided article is stripped
 *    (`l'OTAN` → `OTAN`, `d'Europe` → `Europe`) and so is an English possessive (`NATO's`).
 * 3. A candidate is a run of capitalised words (first letter upper-case, ≥ 2 letters), joined
 *    across the lower-case CONNECTORS when another capitalised word follows (`Banque de
 *    France`, `Bank of England`), at most MAX_PHRASE_WORDS capitalised words, never across
 *    punctuation.
 * 4. Capitalisation at the start of a sentence says nothing: a phrase opening a sentence
 *    counts whole only if it is also seen mid-sentence; otherwise its first word is dropped
 *    (`Selon Belgrade` → `Belgrade`). A one-word candidate that is a stopword of the language
 *    (`stopword` lists via clean/stopwords.ts) or in NOT_ENTITIES (months, days) is dropped.
 * 5. A candidate becomes a tag when it occurs at least MIN_OCCURRENCES times and at least once
 *    mid-sentence; tags are ranked by occurrences, then first appearance.
 * Languages that capitalise every noun (German, Luxembourgish) get no derived tags; scripts
 * without case (Chinese, Arabic, Hindi…) naturally get none.
 *
 * Must not: read anything but its arguments; output changes only when the text does.
 * Tunables: the constants below.
 */
import { stopwordsFor } from '../clean/stopwords.ts';
import type { Block } from '../model.ts';

export const MAX_DERIVED_TAGS = 5;
const MIN_OCCURRENCES = 2;
const MAX_PHRASE_WORDS = 4;
/** Lower-case words that may sit inside a name: `Banque de France`, `Bank of England`. */
const CONNECTORS = new Set([
  'de',
  'du',
  'des',
  'la',
  'le',
  'van',
  'von',
  'der',
  'den',
  'di',
  'da',
  'del',
  'della',
  'of',
]);
/** Capitalised mid-sentence in English but not entities. */
const NOT_ENTITIES = new Set([
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday',
  'mr',
  'mrs',
  'ms',
  'dr',
  'prof',
  'm',
  'mme',
]);
/** Every noun is capitalised in these languages: capitalisation does not signal a name. */
const NOUN_CAPITALISING = new Set(['de', 'lb']);

const WORD = /[\p{L}\p{M}\p{N}]+(?:['’][\p{L}\p{M}]+)*(?:-[\p{L}\p{M}\p{N}]+)*/gu;
const ELISION = /^(?:[cdjlmnst]|qu|lorsqu|puisqu|jusqu)['’](?=\p{Lu})/iu;
const POSSESSIVE = /['’]s$/u;
/** Sentence ends: terminal punctuation (and closing quotes) followed by space, or a line break. */
const SENTENCE_END = /(?<=[.!?…])["»”’)]*\s+|\n+/u;

interface Word {
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

interface Candidate {
  count: number;
  mid: number;
  first: number;
  spellings: Map<string, number>;
}

function isCapitalised(word: string): boolean {
  return /^\p{Lu}/u.test(word) && (word.match(/\p{L}/gu)?.length ?? 0) >= 2;
}

function wordsOf(sentence: string): Word[] {
  const words: Word[] = [];
  for (const match of sentence.matchAll(WORD)) {
    const raw = match[0];
    const elided = ELISION.exec(raw)?.[0] ?? '';
    const text = raw.slice(elided.length).replace(POSSESSIVE, '');
    const start = (match.index ?? 0) + elided.length;
    words.push({ text, start, end: start + text.length });
  }
  return words;
}

/** Only spaces (or an elided article) between two words keep them in one phrase. */
function adjacent(sentence: string, a: Word, b: Word): boolean {
  return /^\s+(?:\p{L}{1,5}['’])?$/u.test(sentence.slice(a.end, b.start)) || a.end === b.start;
}

function phrasesOf(sentence: string): { text: string; atStart: boolean }[] {
  const words = wordsOf(sentence);
  const phrases: { text: string; atStart: boolean }[] = [];
  let i = 0;
  while (i < words.length) {
    const first = words[i];
    if (first === undefined || !isCapitalised(first.text)) {
      i++;
      continue;
    }
    let last = i;
    let capitals = 1;
    let j = i + 1;
    while (j < words.length && capitals < MAX_PHRASE_WORDS) {
      const prev = words[j - 1];
      const word = words[j];
      if (prev === undefined || word === undefined || !adjacent(sentence, prev, word)) break;
      if (isCapitalised(word.text)) {
        last = j;
        capitals++;
        j++;
        continue;
      }
      // A connector joins only when a capitalised word follows it directly.
      const next = words[j + 1];
      if (
        CONNECTORS.has(word.text) &&
        next !== undefined &&
        isCapitalised(next.text) &&
        adjacent(sentence, word, next)
      ) {
        j++;
        continue;
      }
      break;
    }
    const lastWord = words[last] ?? first;
    phrases.push({ text: sentence.slice(first.start, lastWord.end), atStart: i === 0 });
    i = last + 1;
  }
  return phrases;
}

/** The phrase without its first word (and a connector or elided article that follows it). */
function withoutHead(text: string): string {
  let rest = text.replace(/^\S+\s*/u, '');
  for (;;) {
    const next = rest
      .replace(/^(\p{Ll}+)\s+/u, (m, w: string) => (CONNECTORS.has(w) ? '' : m))
      .replace(/^\p{Ll}{1,5}['’]/u, '');
    if (next === rest) return rest;
    rest = next;
  }
}

interface Occurrence {
  readonly text: string;
  readonly atStart: boolean;
}

/** The derived tags of an article, most salient first. */
export function deriveTags(blocks: readonly Block[], language: string): string[] {
  const base = (language.toLowerCase().split(/[-_]/)[0] ?? '').trim();
  if (NOUN_CAPITALISING.has(base)) return [];
  const stopwords = stopwordsFor(base) ?? new Set<string>();
  const found: Occurrence[] = [];
  for (const block of blocks) {
    if (block.kind === 'heading') continue;
    const texts = block.kind === 'list' ? (block.items ?? [block.text]) : [block.text];
    for (const sentence of texts.flatMap((t) => t.split(SENTENCE_END))) found.push(...phrasesOf(sentence));
  }
  const keyOf = (text: string): string => text.toLowerCase().normalize('NFC');
  // Pass 1: what is known to be a name from mid-sentence evidence.
  const known = new Set<string>();
  for (const o of found) {
    if (!o.atStart) known.add(keyOf(o.text));
    else if (o.text.includes(' ')) known.add(keyOf(withoutHead(o.text)));
  }
  // Pass 2: a phrase opening a sentence counts whole only when it is known; otherwise its
  // first word is just sentence case ("Selon Belgrade" → "Belgrade", "Le Monde" stays whole).
  const candidates = new Map<string, Candidate>();
  found.forEach((o, position) => {
    let { text, atStart } = o;
    if (atStart && text.includes(' ') && !known.has(keyOf(text))) {
      text = withoutHead(text);
      atStart = false;
    }
    const lower = text.toLowerCase();
    if (text === '' || (!text.includes(' ') && (stopwords.has(lower) || NOT_ENTITIES.has(lower)))) return;
    const key = keyOf(text);
    let candidate = candidates.get(key);
    if (!candidate) {
      candidate = { count: 0, mid: 0, first: position, spellings: new Map() };
      candidates.set(key, candidate);
    }
    candidate.count++;
    if (!atStart) candidate.mid++;
    candidate.spellings.set(text, (candidate.spellings.get(text) ?? 0) + 1);
  });
  return [...candidates.values()]
    .filter((c) => c.count >= MIN_OCCURRENCES && c.mid >= 1)
    .sort((a, b) => b.count - a.count || a.first - b.first)
    .slice(0, MAX_DERIVED_TAGS)
    .map((c) => {
      let best = '';
      let bestCount = 0;
      for (const [spelling, n] of c.spellings) if (n > bestCount) [best, bestCount] = [spelling, n];
      return best;
    });
}
