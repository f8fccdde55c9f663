/**
 * Cleans one parsed article: keeps its main content blocks, removes page chrome, and says why.
 * Input: ParsedDocument + CleanOptions. Output: CleanDocument (blocks, removed[], warnings[],
 * inferred title/lead/author/publisher/date/language).
 *
 * Passes, in order (each removal is recorded with its rule and a human reason):
 *  1. hard rules per block: no text, repeated across the source, chrome lexicon, link/URL density;
 *  2. bylines, author bios, date lines and trailing credits in the head/tail zones;
 *  3. the title line (explicit metadata title, an <h1>, or the first headline-shaped line of the
 *     head zone), its site-name suffix, and every later copy of it;
 *  4. jusText-style classification (length, stopword density, sentence shape) and a context pass:
 *     short blocks between good prose stay, short blocks at the edges go;
 *  5. sub-headings (short headline-shaped lines between paragraphs) become `heading` blocks;
 *  6. lead, derived title (when no title line exists), warnings;
 *  7. images, video and audio, judged on the text's result (judge-media.ts): never the reverse.
 *
 * Must not: mutate its input, read the clock, or hold a tunable or a pattern (rules.ts does).
 */
import type {
  ArticleMetadata,
  Block,
  BlockKind,
  CleanDocument,
  InferredMetadata,
  ParsedDocument,
  RawBlock,
  Removal,
  StructureDecision,
} from '../model.ts';
import { statedLanguage } from '../text/normalise-language.ts';
import { chooseLanguage } from './choose-language.ts';
import {
  type BlockClass,
  classifyMeasuredBlock,
  effectiveLength,
  linkDensityLimit,
  urlDensity,
} from './classify-block.ts';
import {
  findDate,
  isAuthorBioHeader,
  isPersonName,
  matchByline,
  matchCredit,
  matchDateLine,
  matchDateline,
} from './credits.ts';
import { detectLanguage } from './detect-language.ts';
import { detectWarnings } from './detect-warnings.ts';
import { FURNITURE_RULES, judgeMedia, type MediaDecision, type RawBlockState } from './judge-media.ts';
import { guardedShare, guardReason } from './main-prose-guard.ts';
import { matchChrome } from './match-chrome.ts';
import { comparisonKey, tidyText } from './normalise-text.ts';
import { assessWordCounts, countWords } from './quality-gate.ts';
import {
  CLAUSE_END_PATTERN,
  HEADING_START_PATTERN,
  NO_TEXT_PATTERN,
  SENTENCE_END_PATTERN,
  THRESHOLDS,
} from './rules.ts';
import { stopwordDensity } from './stopwords.ts';
import { labelValueRuns, placeZones, removeTailRail, sentenceRuns } from './text-zones.ts';
import { deriveTitle, looksLikeTitle, stripSiteSuffix } from './title.ts';

export interface CleanOptions {
  /** ISO 639-1 code used when neither metadata nor detection gives a language. */
  readonly defaultLanguage: string;
  /** Comparison keys of blocks repeated across this document's source (learnRepeatedBlocks). */
  readonly repeatedBlocks?: ReadonlySet<string>;
}

/** Working state of one candidate block. */
interface Candidate {
  readonly text: string;
  /** Comparison key, computed only for blocks short enough to be a title or learned chrome. */
  readonly key: string | null;
  readonly hint: BlockKind;
  readonly level?: number;
  readonly items?: readonly string[];
  readonly ordered?: boolean;
  readonly linkDensity: number;
  /** Length for the length thresholds: characters, CJK ideographs and kana counted three times. */
  readonly size: number;
  /** Words, as the quality gate counts them (counted once, for the source and the kept side). */
  readonly words: number;
  /** Share of URL-ish tokens (asked by the hard rules and by classification). */
  readonly urlDensity: number;
  /** Stopword density in the article's language, measured on first use (see densityOf). */
  density?: number | null;
  /** Link density above which this block is navigation (see linkLimitOf). */
  readonly linkLimit: number;
  /** In the head/tail zone: by position, then re-placed around what the hard rules left (text-zones.ts). */
  atHead: boolean;
  atTail: boolean;
  removal?: Removal;
  /** The chrome-lexicon entry that removed the block (the tail-rail rule reads it). */
  lexiconId?: string;
  cls: BlockClass;
  /** Why a kept block stayed (the explain trace; removals carry their own reason). */
  why?: string;
  /** Set for the title line: counts as good prose for its neighbours, never kept in the body. */
  isTitle?: boolean;
  /** Share of the text held, when the main-prose guard refused the link-density rule (explain). */
  guarded?: number;
  /** Set for the lines of a label/value grid kept as one block: never promoted to a sub-heading. */
  grid?: boolean;
}

/** Longer blocks can be neither a title copy nor learned chrome, so they need no comparison key. */
const KEYED_MAX_CHARS = Math.max(THRESHOLDS.titleMaxChars + 60, THRESHOLDS.repeatedBlockMaxChars);

type Mutable<T> = { -readonly [K in keyof T]?: T[K] };

const remove = (c: Candidate, rule: string, reason: string): void => {
  c.removal = { text: c.text, rule, reason };
};
const kept = (c: Candidate): boolean => c.removal === undefined;

/**
 * Link density above which a block is navigation. In HTML, a sentence dense in function words
 * is prose citing its sources ("…, according to <a>the state agency</a>."), so it may carry as
 * many links as long prose does; menus and teasers are neither sentences nor stopword-dense.
 */
function linkLimitOf(
  text: string,
  size: number,
  linkDensity: number,
  structured: boolean,
  lang: string,
): number {
  const base = linkDensityLimit(size);
  if (!structured || linkDensity <= base || !SENTENCE_END_PATTERN.test(text)) return base;
  const density = stopwordDensity(text, lang);
  return density !== null && density >= THRESHOLDS.stopwordsHigh ? THRESHOLDS.maxLinkDensityLong : base;
}

/** The candidate's stopword density in `lang`, measured once (every pass asks for the same language). */
function densityOf(c: Candidate, lang: string): number | null {
  if (c.density === undefined) c.density = stopwordDensity(c.text, lang);
  return c.density;
}

/**
 * classifyBlock on the candidate's cached measures. A block the main-prose guard kept from the
 * link-density rule is judged on its words only: its links were already weighed and overruled.
 */
function classifyCandidate(c: Candidate, lang: string): BlockClass {
  return classifyMeasuredBlock(
    { text: c.text, length: c.size, urlDensity: c.urlDensity, stopwordDensity: () => densityOf(c, lang) },
    c.linkDensity,
    c.guarded === undefined ? c.linkLimit : Number.POSITIVE_INFINITY,
  );
}

/** A parsed block with its tidy text and effective length, measured once for every pass. */
interface MeasuredBlock {
  readonly block: RawBlock;
  readonly text: string;
  readonly size: number;
}

function toCandidates(measured: readonly MeasuredBlock[], structured: boolean, lang: string): Candidate[] {
  const texts = measured.filter((m) => m.text.length > 0);
  const n = texts.length;
  return texts.map(({ block: b, text, size }, i) => ({
    text,
    key: text.length <= KEYED_MAX_CHARS ? comparisonKey(text) : null,
    hint: b.hint,
    ...(b.level !== undefined ? { level: b.level } : {}),
    ...(b.items ? { items: b.items.map(tidyText) } : {}),
    ...(b.ordered !== undefined ? { ordered: b.ordered } : {}),
    linkDensity: b.linkDensity ?? 0,
    size,
    words: countWords(text),
    urlDensity: urlDensity(text),
    linkLimit: linkLimitOf(text, size, b.linkDensity ?? 0, structured, lang),
    atHead: i < THRESHOLDS.headZoneBlocks,
    atTail: i >= n - THRESHOLDS.tailZoneBlocks,
    cls: 'short',
  }));
}

/** Pass 1: rules that judge a block on its own. */
function applyHardRules(blocks: Candidate[], repeated: ReadonlySet<string> | undefined): void {
  const totalSize = blocks.reduce((n, c) => n + c.size, 0);
  for (const c of blocks) {
    if (!kept(c)) continue;
    if (NO_TEXT_PATTERN.test(c.text)) {
      remove(c, 'no-text', 'no letters or digits (stray punctuation or a separator)');
      continue;
    }
    if (c.key !== null && repeated?.has(c.key)) {
      remove(c, 'repeated-across-source', 'same line appears in other articles of this source');
      continue;
    }
    const chrome = matchChrome(c.text, c.atHead || c.atTail);
    if (chrome) {
      remove(c, 'chrome-lexicon', `${chrome.reason} [${chrome.id}]`);
      c.lexiconId = chrome.id;
      continue;
    }
    // Main-prose guard: show notes, link-rich essays — the block holding most of the text stays.
    if (c.linkDensity > c.linkLimit) {
      const share = guardedShare(c.size, totalSize);
      if (share === null) {
        remove(c, 'link-density', linkDensityReason(c));
        continue;
      }
      c.guarded = share;
    }
    if (c.urlDensity > THRESHOLDS.maxUrlDensity) {
      remove(c, 'url-density', 'mostly URLs, e-mail addresses or social handles');
    }
  }
}

const linkDensityReason = (c: Candidate): string =>
  `${Math.round(c.linkDensity * 100)}% of the text is links (navigation)`;

/** The last index of a kept block long enough to be prose (credits come after it). */
function lastProseIndex(blocks: readonly Candidate[]): number {
  for (let i = blocks.length - 1; i >= 0; i--) {
    const c = blocks[i];
    if (c && kept(c) && c.size >= THRESHOLDS.lengthLow) return i;
  }
  return -1;
}

/** Pass 2: bylines, bios, date lines and trailing credits at the edges. */
function applyCreditRules(blocks: Candidate[], inferred: Mutable<InferredMetadata>): void {
  const lastProse = lastProseIndex(blocks);
  blocks.forEach((c, i) => {
    if (!kept(c) || !(c.atHead || c.atTail)) return;
    const byline = matchByline(c.text);
    if (byline) {
      inferred.author ??= byline;
      // "Par Jean Martin, le 7 décembre 2026 à 08h15": the byline's date is the publication date.
      const bylineDate = findDate(c.text)?.iso;
      if (bylineDate) inferred.date ??= bylineDate;
      remove(c, 'byline', `byline naming the author (${byline})${bylineDate ? ' and the date' : ''}`);
      return;
    }
    const date = matchDateLine(c.text);
    if (date) {
      inferred.date ??= date;
      remove(c, 'date-line', 'publication date line (moved to the date)');
      return;
    }
    if (!c.atTail) return;
    if (isAuthorBioHeader(c.text)) {
      remove(c, 'author-bio', '"about the author" section');
      const next = blocks[i + 1];
      if (next && kept(next)) remove(next, 'author-bio', 'author biography');
      return;
    }
    // A lone name followed by a paragraph that starts with that name: signature + bio.
    const next = blocks.slice(i + 1).find(kept);
    if (
      isPersonName(c.text) &&
      next?.text.startsWith(c.text) &&
      /^[\s,]/u.test(next.text.slice(c.text.length))
    ) {
      inferred.author ??= c.text;
      remove(c, 'byline', `author name (${c.text})`);
      remove(next, 'author-bio', `biography of the author ${c.text}`);
      return;
    }
    if (i > lastProse) {
      const credit = matchCredit(c.text);
      if (credit) {
        inferred.publisher ??= credit;
        remove(c, 'trailing-credit', `credit line naming the supplier (${credit})`);
      }
    }
  });
}

/** Whether a block repeats one of the title keys, with or without a site-name suffix. */
function isCopyOf(c: Candidate, keys: ReadonlySet<string>): boolean {
  if (c.key === null) return false;
  if (keys.has(c.key)) return true;
  const stripped = stripSiteSuffix(c.text);
  return stripped.site !== undefined && keys.has(comparisonKey(stripped.title));
}

/** Pass 3: find the title line, strip its site suffix, remove it and its copies. */
function applyTitleRules(blocks: Candidate[], metadata: ArticleMetadata): { title?: string; site?: string } {
  const metaTitle = metadata.title ? stripSiteSuffix(tidyText(metadata.title)) : undefined;
  const metaKeys = metaTitle
    ? new Set([comparisonKey(metaTitle.title), comparisonKey(metadata.title ?? '')])
    : null;

  let titleBlock: Candidate | undefined;
  const head = blocks.filter((c) => kept(c) && c.atHead);
  if (metaKeys) {
    titleBlock = blocks.find((c) => kept(c) && isCopyOf(c, metaKeys));
  }
  titleBlock ??= head.find((c) => c.hint === 'heading' && (c.level ?? 1) <= 1);
  if (!titleBlock && !metaTitle) {
    for (const c of blocks) {
      if (!kept(c)) continue;
      if (!c.atHead) break;
      if (looksLikeTitle(c.text)) {
        titleBlock = c;
        break;
      }
      // Prose before any headline-shaped line: the article has no title line.
      if (c.size >= THRESHOLDS.lengthLow) break;
    }
  }

  const split = titleBlock ? stripSiteSuffix(titleBlock.text) : metaTitle;
  if (!split) return {};
  if (titleBlock) {
    titleBlock.isTitle = true;
    remove(titleBlock, 'title', 'the article title (moved to the title)');
    // Short non-prose lines above the title are kickers and page chrome.
    for (const c of blocks) {
      if (c === titleBlock) break;
      if (kept(c) && c.atHead && c.size < THRESHOLDS.lengthLow)
        remove(c, 'above-title', 'short line above the title');
    }
  }
  const keys = new Set([
    comparisonKey(split.title),
    ...(titleBlock?.key ? [titleBlock.key] : []),
    ...(metaKeys ?? []),
  ]);
  for (const c of blocks) {
    if (kept(c) && isCopyOf(c, keys)) {
      remove(c, 'title-duplicate', 'repeats the title');
    }
  }
  return { title: split.title, ...(split.site ? { site: split.site } : {}) };
}

/** The nearest non-short neighbour's class in one direction ('bad' at the document edge). */
function neighbourClass(blocks: readonly Candidate[], from: number, step: 1 | -1): BlockClass {
  for (let i = from + step; i >= 0 && i < blocks.length; i += step) {
    const c = blocks[i];
    if (!c) break;
    if (c.isTitle) return 'good';
    if (!kept(c)) return 'bad';
    if (c.cls !== 'short') return c.cls === 'near-good' ? 'near-good' : c.cls;
  }
  return 'bad';
}

function isHeadingShaped(text: string): boolean {
  return (
    text.length <= THRESHOLDS.headingMaxChars &&
    text.split(' ').length <= THRESHOLDS.headingMaxWords &&
    !CLAUSE_END_PATTERN.test(text) &&
    !/[!]$/u.test(text) &&
    HEADING_START_PATTERN.test(text)
  );
}

/** Good or near-good: prose a short block may sit next to. */
const isProseClass = (k: BlockClass): boolean => k === 'good' || k === 'near-good';

/** Pass 4: classify, then decide short and near-good blocks by their neighbours. */
function applyClassification(blocks: Candidate[], lang: string, structured: boolean): void {
  for (const c of blocks) {
    if (!kept(c)) continue;
    c.cls = classifyCandidate(c, lang);
    c.why = `classified ${c.cls} on its own (length, function words, sentence shape, links)`;
    // HTML path: the block already sits inside the container that won the page's scoring, so
    // without links it is prose-like even when its words are not (recipes, scores, tour dates).
    if (structured && c.linkDensity <= THRESHOLDS.htmlPlainLinkDensity && c.size >= THRESHOLDS.lengthLow) {
      if (c.cls === 'bad') c.cls = 'near-good';
      else if (c.cls === 'near-good') c.cls = 'good';
      if (c.cls !== 'short') c.why = `${c.cls}: inside the winning HTML container, almost no links`;
    }
  }

  keepGrids(blocks);
  // Short blocks first (jusText order), on the classes of their non-short neighbours.
  const runs = sentenceRuns(blocks);
  const decided = blocks.map((c, i): BlockClass => {
    if (!kept(c) || c.cls !== 'short') return c.cls;
    const prev = neighbourClass(blocks, i, -1);
    const next = neighbourClass(blocks, i, 1);
    if (isProseClass(prev) && isProseClass(next)) {
      c.why = 'short line between prose blocks (context)';
      return 'good';
    }
    // A short sentence right after prose ("Affaire à suivre.") ends the article.
    const density = densityOf(c, lang);
    if (
      isProseClass(prev) &&
      SENTENCE_END_PATTERN.test(c.text) &&
      (density ?? 1) >= THRESHOLDS.stopwordsLow
    ) {
      c.why = 'short sentence right after prose (context)';
      return 'near-good';
    }
    // Points of a list (steps, tips) after prose: a run of short sentences, whatever their words.
    if (isProseClass(prev) && runs.has(i)) {
      c.why = 'run of short sentences after prose: a list of points (sentence-run)';
      return 'good';
    }
    // A heading right before prose opens a section.
    if (isProseClass(next) && (c.hint === 'heading' || isHeadingShaped(c.text)) && prev !== 'bad') {
      c.why = 'heading right before prose (context)';
      return 'good';
    }
    return 'bad';
  });
  decided.forEach((cls, i) => {
    const c = blocks[i];
    if (c) c.cls = cls;
  });

  // Near-good blocks stay when next to good prose.
  blocks.forEach((c, i) => {
    if (!kept(c) || c.cls !== 'near-good') return;
    const prev = neighbourClass(blocks, i, -1);
    const next = neighbourClass(blocks, i, 1);
    c.cls = prev === 'good' || next === 'good' ? 'good' : 'bad';
    if (c.cls === 'good') c.why = `${c.why ?? 'near-good'}; kept next to good prose (context)`;
  });
  // A document of near-good blocks only (short notes) has no good anchor: keep its near-good prose.
  if (!blocks.some((c) => kept(c) && c.cls === 'good')) {
    for (const c of blocks) {
      if (kept(c) && c.size >= THRESHOLDS.lengthLow && classifyCandidate(c, lang) !== 'bad') {
        c.cls = 'good';
        c.why = 'near-good prose of a document without any good block (short note)';
      }
    }
  }

  for (const c of blocks) {
    if (!kept(c) || c.cls === 'good') continue;
    if (c.size < THRESHOLDS.lengthLow)
      remove(c, 'short-at-edge', 'short line outside the article prose (menu, label or caption)');
    else remove(c, 'low-content', 'reads like a list of words, not prose (few function words)');
  }
}

/** Whether the nearest block before `i` that is not a short kept line is kept prose (not the title). */
function followsProse(blocks: readonly Candidate[], i: number): boolean {
  for (let j = i - 1; j >= 0; j--) {
    const c = blocks[j];
    if (!c || !kept(c)) return false;
    if (c.cls !== 'short') return isProseClass(c.cls);
  }
  return false;
}

/**
 * Label/value grids (text-zones.ts labelValueRuns): a run of `Label : value` lines right after
 * the article's prose (nothing removed in between) is judged as one block and kept whole, like a
 * table in HTML; its lines carry no function words and would each go as short or low-content.
 */
function keepGrids(blocks: Candidate[]): void {
  for (const run of labelValueRuns(blocks)) {
    if (!followsProse(blocks, run[0] ?? 0)) continue;
    for (const i of run) {
      const c = blocks[i];
      if (!c) continue;
      c.cls = 'good';
      c.grid = true;
      c.why = `label/value grid of ${run.length} lines right after the article prose, judged as one block (label-value-grid)`;
    }
  }
}

/** Pass 5: shape kept candidates into Blocks, promoting sub-headings. */
function toBlocks(blocks: readonly Candidate[]): Block[] {
  const body = blocks.filter(kept);
  return body.map((c, i): Block => {
    if (c.hint === 'heading')
      return { kind: 'heading', text: c.text, level: Math.min(6, Math.max(2, c.level ?? 2)) };
    if (c.hint === 'list') {
      return {
        kind: 'list',
        text: c.text,
        items: c.items ?? c.text.split('\n'),
        ...(c.ordered !== undefined ? { ordered: c.ordered } : {}),
      };
    }
    if (c.hint === 'quote') return { kind: 'quote', text: c.text };
    const prev = body[i - 1];
    const next = body[i + 1];
    const between =
      prev !== undefined &&
      next !== undefined &&
      prev.hint !== 'heading' &&
      next.size >= THRESHOLDS.lengthLow &&
      !isHeadingShaped(next.text);
    if (i > 0 && between && !c.grid && isHeadingShaped(c.text) && c.size < THRESHOLDS.lengthHigh) {
      return { kind: 'heading', text: c.text, level: 2 };
    }
    return { kind: 'paragraph', text: c.text };
  });
}

/** One candidate block and what the cleaner decided about it (for `kiosque clean --explain`). */
export interface BlockDecision {
  readonly text: string;
  readonly decision: 'kept' | 'removed';
  /** Kept: the block's final kind. Removed: what the markup or loader said it was. */
  readonly kind: BlockKind;
  /** Removed: the rule that removed it. Kept: `content`. */
  readonly rule: string;
  readonly reason: string;
  /**
   * The signals behind the decision: `class` is the jusText class after the context pass, `rule`
   * when a rule removed the block before classification, `loader` when the HTML loader dropped it.
   */
  readonly score: {
    readonly class: BlockClass | 'rule' | 'loader';
    readonly chars: number;
    readonly linkDensity: number;
    /** Share of function words of the article's language; null when it does not apply. */
    readonly stopwordDensity: number | null;
  };
}

export interface ExplainedDocument {
  readonly document: CleanDocument;
  readonly decisions: readonly BlockDecision[];
  /** One decision per image, video or audio of the article area. */
  readonly media: readonly MediaDecision[];
  /** Removals the main-prose guard refused and elements winner growth added (loader, then cleaner). */
  readonly structure: readonly StructureDecision[];
}

/** Cleans one article. Same result as `explainDocument(...).document`, without the trace. */
export function cleanDocument(parsed: ParsedDocument, options: CleanOptions): CleanDocument {
  return runClean(parsed, options).document;
}

/**
 * Cleans one article and explains every candidate block: kept or removed, kind, signals, and
 * the rule or context that decided it. The trace is built only here, so normal runs pay nothing.
 */
export function explainDocument(parsed: ParsedDocument, options: CleanOptions): ExplainedDocument {
  const { document, blocks, language, media } = runClean(parsed, options);
  const keptKinds = document.blocks.map((b) => b.kind);
  let k = 0;
  const fromLoader: BlockDecision[] = (parsed.dropped ?? []).map((r) => ({
    text: r.text,
    decision: 'removed',
    kind: 'paragraph',
    rule: r.rule,
    reason: r.reason,
    score: { class: 'loader', chars: r.text.length, linkDensity: 1, stopwordDensity: null },
  }));
  const decisions = blocks.map((c): BlockDecision => {
    const byClass = !c.removal || c.removal.rule === 'short-at-edge' || c.removal.rule === 'low-content';
    const score = {
      class: byClass ? c.cls : ('rule' as const),
      chars: c.text.length,
      linkDensity: Math.round(c.linkDensity * 100) / 100,
      stopwordDensity: roundOrNull(densityOf(c, language)),
    };
    if (c.removal)
      return {
        text: c.text,
        decision: 'removed',
        kind: c.hint,
        rule: c.removal.rule,
        reason: c.removal.reason,
        score,
      };
    const kind = keptKinds[k++] ?? c.hint;
    const guard = c.guarded === undefined ? '' : '; the main-prose guard refused link-density';
    const reason = `${c.why ?? 'kept'}${guard}`;
    return { text: c.text, decision: 'kept', kind, rule: 'content', reason, score };
  });
  const structure = [...(parsed.structure ?? []), ...textGuardDecisions(blocks)];
  return { document, decisions: [...fromLoader, ...decisions], media, structure };
}

const GUARD_PREVIEW_CHARS = 200;

/** The text path's guard refusals (link-density), as explain-trace decisions. */
function textGuardDecisions(blocks: readonly Candidate[]): StructureDecision[] {
  const out: StructureDecision[] = [];
  blocks.forEach((c, i) => {
    if (c.guarded === undefined) return;
    const text =
      c.text.length > GUARD_PREVIEW_CHARS ? `${c.text.slice(0, GUARD_PREVIEW_CHARS - 1)}…` : c.text;
    out.push({
      rule: 'main-prose-guard',
      element: `text block ${i + 1}`,
      text,
      subject: 'link-density',
      share: Math.round(c.guarded * 100) / 100,
      reason: guardReason('link-density', linkDensityReason(c), c.guarded, "the article's text"),
    });
  });
  return out;
}

const roundOrNull = (x: number | null): number | null => (x === null ? null : Math.round(x * 100) / 100);

/**
 * The first blocks joined by newlines, up to the detector's sample size: the same prefix as
 * joining them all, without copying a whole article to read its first few hundred characters.
 */
function languageSample(texts: readonly string[]): string {
  const limit = THRESHOLDS.languageSampleChars;
  let sample = '';
  for (const t of texts) {
    sample = sample.length === 0 ? t : `${sample}\n${t}`;
    if (sample.length >= limit) break;
  }
  return sample;
}

/** What the cleaner decided for each raw block (in the loader's order), as the media judge reads it. */
function rawBlockStates(measured: readonly MeasuredBlock[], blocks: readonly Candidate[]): RawBlockState[] {
  let i = 0;
  return measured.map((m): RawBlockState => {
    if (m.text.length === 0) return 'empty';
    const c = blocks[i++];
    if (!c || c.isTitle) return c ? 'title' : 'empty';
    if (kept(c)) return 'kept';
    return FURNITURE_RULES.has(c.removal?.rule ?? '') ? 'furniture' : 'removed';
  });
}

function runClean(
  parsed: ParsedDocument,
  options: CleanOptions,
): {
  document: CleanDocument;
  blocks: readonly Candidate[];
  language: string;
  media: readonly MediaDecision[];
} {
  const inferred: Mutable<InferredMetadata> = {};
  const measured = parsed.blocks.map((block): MeasuredBlock => {
    const text = tidyText(block.text);
    return { block, text, size: effectiveLength(text) };
  });
  const prose = measured.filter((m) => m.size >= THRESHOLDS.lengthLow).map((m) => m.text);
  // The stated language, as a known BCP 47 tag ("deutsch, german" → de; "lang=" → none).
  const stated = statedLanguage(parsed.metadata.lang)?.split('-')[0];
  const sample = languageSample(prose.length > 0 ? prose : measured.map((m) => m.text));
  const { language } = chooseLanguage(
    sample,
    detectLanguage(sample, stated ?? options.defaultLanguage),
    stated,
  );
  inferred.language = language;
  const blocks = toCandidates(measured, parsed.raw.format === 'html', language);

  applyHardRules(blocks, options.repeatedBlocks);
  // Zones re-placed around the chrome: edge-only lexicon entries get a second look.
  if (placeZones(blocks)) applyHardRules(blocks, options.repeatedBlocks);
  applyCreditRules(blocks, inferred);
  const { title, site } = applyTitleRules(blocks, parsed.metadata);
  removeTailRail(blocks);
  applyClassification(blocks, language, parsed.raw.format === 'html');

  const body = toBlocks(blocks);
  const lead = body.find((b) => b.kind === 'paragraph' || b.kind === 'quote');
  if (lead) inferred.lead = lead.text;
  if (title) inferred.title = title;
  else if (lead) inferred.title = deriveTitle(lead.text);
  // A trailing agency credit names the supplier better than the site's own name.
  if (!inferred.publisher && site) inferred.publisher = site;
  if (!inferred.date && lead) {
    const date = matchDateline(lead.text);
    if (date) inferred.date = date;
  }

  const warnings = [
    ...detectWarnings([...(inferred.title ? [inferred.title] : []), ...body.map((b) => b.text)]),
    ...assessWordCounts(
      blocks.reduce((n, c) => n + c.words, 0),
      blocks.reduce((n, c) => (kept(c) ? n + c.words : n), 0),
    ),
  ];
  const removed: Removal[] = [...(parsed.dropped ?? [])];
  for (const c of blocks) if (c.removal) removed.push(c.removal);
  const document: CleanDocument = {
    raw: parsed.raw,
    metadata: parsed.metadata,
    inferred,
    blocks: body,
    removed,
    warnings,
  };
  if (!parsed.media || parsed.media.length === 0) return { document, blocks, language, media: [] };
  const judged = judgeMedia(parsed.media, rawBlockStates(measured, blocks));
  const withMedia: CleanDocument = {
    ...document,
    warnings: [...warnings, ...judged.warnings],
    ...(judged.media.length > 0 ? { media: judged.media } : {}),
  };
  return { document: withMedia, blocks, language, media: judged.decisions };
}
