/**
 * Stopword sets per language (from the `stopword` package) and stopword density of a text.
 * Input: text + ISO 639-1 language. Output: share of tokens that are stopwords, or null when the
 * language has no list or the script has no word spaces (ja, zh, th: density is meaningless there).
 *
 * Must not: guess the language (detect-language.ts does). Thresholds live in rules.ts.
 */
import * as sw from 'stopword';
import { forEachLetterToken, letterTokenEnd, nextLetterToken } from './scan-text.ts';
import { WordIndex } from './word-index.ts';

/** ISO 639-1 → the package's per-language list. Only languages the package ships. */
const LISTS: Readonly<Record<string, readonly string[]>> = {
  af: sw.afr,
  ar: sw.ara,
  bg: sw.bul,
  bn: sw.ben,
  br: sw.bre,
  ca: sw.cat,
  cs: sw.ces,
  da: sw.dan,
  de: sw.deu,
  el: sw.ell,
  en: sw.eng,
  eo: sw.epo,
  es: sw.spa,
  et: sw.est,
  eu: sw.eus,
  fa: sw.fas,
  fi: sw.fin,
  fr: sw.fra,
  ga: sw.gle,
  gl: sw.glg,
  gu: sw.guj,
  ha: sw.hau,
  he: sw.heb,
  hi: sw.hin,
  hr: sw.hrv,
  hu: sw.hun,
  hy: sw.hye,
  id: sw.ind,
  it: sw.ita,
  ko: sw.kor,
  ku: sw.kur,
  la: sw.lat,
  lt: sw.lit,
  lv: sw.lav,
  mr: sw.mar,
  ms: sw.msa,
  nb: sw.nob,
  nl: sw.nld,
  no: sw.nob,
  pl: sw.pol,
  pt: sw.por,
  ro: sw.ron,
  ru: sw.rus,
  sk: sw.slk,
  sl: sw.slv,
  so: sw.som,
  st: sw.sot,
  sv: sw.swe,
  sw: sw.swa,
  tl: sw.tgl,
  tr: sw.tur,
  uk: sw.ukr,
  ur: sw.urd,
  vi: sw.vie,
  yo: sw.yor,
  zu: sw.zul,
};

/**
 * Languages where token-based density does not apply: written without spaces between words
 * (ja, zh, th…), or spaced but with function words glued to the word as particles (ko: "학교에서"
 * is one token), so running prose scores as low as a menu would.
 */
const UNSPACED = new Set(['ja', 'zh', 'th', 'my', 'lo', 'km', 'ko']);

/**
 * A language's stopwords, as a set and as an index that looks tokens up without slicing them.
 * The index is built on the first density question: the language guess reads the sets of a
 * dozen rival languages, and a one-article run would otherwise build a dozen unused indexes.
 */
interface StopwordList {
  readonly words: ReadonlySet<string>;
  index(): WordIndex;
}

/** Lists by base language, built on first use. */
const byBase = new Map<string, StopwordList>();
/** Answers by language tag as asked ("fr", "fr-CA"): the cleaner asks once per block. */
const byTag = new Map<string, StopwordList | null>();
/** Tags come from metadata too; past this many distinct ones, answers are no longer remembered. */
const MAX_TAGS = 256;

function buildList(lang: string): StopwordList | null {
  const base = (lang.toLowerCase().split(/[-_]/)[0] ?? '').trim();
  if (UNSPACED.has(base)) return null;
  const hit = byBase.get(base);
  if (hit) return hit;
  const list = LISTS[base];
  if (!list) return null;
  const words = new Set(list.map((w) => w.toLowerCase()));
  let index: WordIndex | undefined;
  const entry: StopwordList = {
    words,
    index: () => {
      index ??= new WordIndex([...words].map((w) => [w, 1] as const));
      return index;
    },
  };
  byBase.set(base, entry);
  return entry;
}

function listFor(lang: string): StopwordList | null {
  const known = byTag.get(lang);
  if (known !== undefined) return known;
  const entry = buildList(lang);
  if (byTag.size < MAX_TAGS) byTag.set(lang, entry);
  return entry;
}

/**
 * The package's list for a bare ISO 639-1 code as shipped (not lower-cased or de-duplicated), or
 * null: for the language guess, which indexes two dozen lists once and needs no set of each.
 */
export function shippedStopwords(lang: string): readonly string[] | null {
  return LISTS[lang] ?? null;
}

/** The stopword set for an ISO 639-1 code (region subtags ignored), or null when none ships. */
export function stopwordsFor(lang: string): ReadonlySet<string> | null {
  return listFor(lang)?.words ?? null;
}

/** Letter-only tokens of a text, lower-cased ("l'OTAN" → "l", "otan"): `/[\p{L}\p{M}]+/gu` matches. */
export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  forEachLetterToken(text.toLowerCase(), (t) => tokens.push(t));
  return tokens;
}

/** Density is measured on at most this many characters: enough words for a stable share, and fast. */
const SAMPLE_CHARS = 800;

/**
 * Share of tokens that are stopwords of `lang`, in [0, 1]; null when the language has no
 * list (the caller then ignores this feature), 0 for text without words.
 */
export function stopwordDensity(text: string, lang: string): number | null {
  const list = listFor(lang);
  if (!list) return null;
  const index = list.index();
  const sample = text.length > SAMPLE_CHARS ? text.slice(0, SAMPLE_CHARS) : text;
  const lower = sample.toLowerCase();
  let tokens = 0;
  let hits = 0;
  for (let i = nextLetterToken(lower, 0); i < lower.length; ) {
    const end = letterTokenEnd(lower, i);
    tokens++;
    if (index.get(lower, i, end) >= 0) hits++;
    i = nextLetterToken(lower, end);
  }
  return tokens === 0 ? 0 : hits / tokens;
}
