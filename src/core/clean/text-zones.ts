/**
 * Head/tail zone rules for scraped text: where the edges are once the obvious chrome is gone,
 * the teaser rail after a "related" heading, runs of short sentences that form a list, and runs
 * of `Label : value` lines that form a grid.
 * Input: the cleaner's candidate blocks (structural view). Output: mutated zone flags (and whether
 * any moved) / removals / a set of indexes; each decision carries its rule name for `--explain`.
 *
 * Must not: hold a threshold or pattern (rules.ts, TEXT_ZONES), or look at one site's wording.
 */
import type { Removal } from '../model.ts';
import { matchChrome } from './match-chrome.ts';
import {
  HEADING_START_PATTERN,
  LABEL_VALUE_LINE,
  LABEL_VALUE_MAX_LABEL_CHARS,
  LABEL_VALUE_PAGE_LABEL,
  SENTENCE_END_PATTERN,
  TEXT_ZONES,
  THRESHOLDS,
} from './rules.ts';

/** What these rules read and write on a candidate block. */
export interface ZoneBlock {
  readonly text: string;
  readonly size: number;
  atHead: boolean;
  atTail: boolean;
  removal?: Removal;
  /** The chrome-lexicon entry that removed the block, when one did. */
  lexiconId?: string;
}

/**
 * Re-place the head and tail zones around the blocks the hard rules left: a title below four
 * lines of skip links, menu titles and breadcrumbs is still in the head zone.
 */
export function placeZones(blocks: readonly ZoneBlock[]): boolean {
  const left = blocks.filter((b) => b.removal === undefined);
  let moved = false;
  left.forEach((b, i) => {
    const head = b.atHead || i < THRESHOLDS.headZoneBlocks;
    const tail = b.atTail || i >= left.length - THRESHOLDS.tailZoneBlocks;
    moved ||= head !== b.atHead || tail !== b.atTail;
    b.atHead = head;
    b.atTail = tail;
  });
  return moved;
}

/** Whether blocks `i` and `i - 1` were both removed by share-bar entries (a share bar, not one label). */
function endsShareBar(blocks: readonly ZoneBlock[], i: number): boolean {
  const isBar = (b: ZoneBlock | undefined): boolean =>
    b?.lexiconId !== undefined && TEXT_ZONES.shareBarIds.includes(b.lexiconId);
  return isBar(blocks[i]) && isBar(blocks[i - 1]) && !isBar(blocks[i + 1]);
}

/**
 * The teaser rail: in the tail zone, the blocks after a "related" heading (or after a share bar of
 * two or more labels: the article is over) are teasers of other stories, as long as at most
 * `railMaxProseBlocks` prose-length blocks follow it.
 */
export function removeTailRail(blocks: readonly ZoneBlock[]): void {
  const start = blocks.findLastIndex(
    (b, i) =>
      b.atTail &&
      b.lexiconId !== undefined &&
      (TEXT_ZONES.railHeadingIds.includes(b.lexiconId) || endsShareBar(blocks, i)),
  );
  if (start < 0) return;
  const after = blocks.slice(start + 1).filter((b) => b.removal === undefined);
  const prose = after.filter((b) => b.size >= THRESHOLDS.lengthLow).length;
  if (prose === 0 || prose > TEXT_ZONES.railMaxProseBlocks) return;
  for (const b of after) {
    b.removal = {
      text: b.text,
      rule: 'tail-rail',
      reason: 'teaser under a "related" heading at the page end',
    };
  }
}

/** A short block shaped like a point of a list: a capitalised sentence of a few words. */
function isShortSentence(b: ZoneBlock): boolean {
  return (
    b.removal === undefined &&
    b.size < THRESHOLDS.lengthLow &&
    SENTENCE_END_PATTERN.test(b.text) &&
    HEADING_START_PATTERN.test(b.text) &&
    (b.text.split(' ').length >= TEXT_ZONES.sentenceRunMinWords || b.size >= b.text.length * 2)
  );
}

/** Indexes of short blocks that belong to a run of at least `sentenceRunMin` short sentences. */
export function sentenceRuns(blocks: readonly ZoneBlock[]): ReadonlySet<number> {
  const out = new Set<number>();
  let run: number[] = [];
  const flush = (): void => {
    if (run.length >= TEXT_ZONES.sentenceRunMin) for (const i of run) out.add(i);
    run = [];
  };
  blocks.forEach((b, i) => {
    if (isShortSentence(b)) run.push(i);
    else if (b.removal === undefined) flush();
  });
  flush();
  return out;
}

/** Whether a block reads as one `Label : value` line of a grid (rules.ts LABEL_VALUE_LINE). */
export function isLabelValueLine(text: string): boolean {
  if (!LABEL_VALUE_LINE.test(text)) return false;
  const colon = text.search(/[:：]/u);
  return colon > 0 && colon <= LABEL_VALUE_MAX_LABEL_CHARS;
}

const LABEL_COLON = /[:：]/u;
const HAS_DIGIT = /\p{N}/u;

/**
 * Whether `Label : value` lines are a data grid: enough values hold a number, and no label is
 * page chrome by the lexicon (a share or follow label, a reading time…).
 */
function isDataGrid(texts: readonly string[]): boolean {
  let numeric = 0;
  for (const text of texts) {
    const colon = text.search(LABEL_COLON);
    if (matchChrome(text.slice(0, colon).trim(), true)) return false;
    if (HAS_DIGIT.test(text.slice(colon + 1))) numeric++;
  }
  return numeric >= texts.length * TEXT_ZONES.labelValueMinNumericShare;
}

/**
 * The lines of a grid of words at the start of a run of `Label : value` lines (rules.ts
 * TEXT_ZONES.labelValueWordRunMin): those before the first page label (a tag or credit line),
 * when there are enough, no label is chrome or said twice, and every value is a few words.
 * Null otherwise.
 */
function wordGrid(run: readonly number[], texts: readonly string[]): number[] | null {
  const labels = new Set<string>();
  let end = 0;
  for (const text of texts) {
    const colon = text.search(LABEL_COLON);
    const label = text.slice(0, colon).trim();
    if (LABEL_VALUE_PAGE_LABEL.test(label)) break;
    const key = label.toLowerCase();
    const words = text
      .slice(colon + 1)
      .trim()
      .split(/\s+/u).length;
    if (matchChrome(label, true) || labels.has(key) || words > TEXT_ZONES.labelValueWordMaxWords) return null;
    labels.add(key);
    end++;
  }
  return end >= TEXT_ZONES.labelValueWordRunMin ? run.slice(0, end) : null;
}

/**
 * Runs of at least `labelValueRunMin` consecutive kept `Label : value` blocks that carry data (a
 * recipe's times, a match sheet, a spec; see isDataGrid), or a grid of words at the start of such
 * a run (wordGrid), each as its list of indexes. A removed block ends a run: chrome the hard rules
 * removed (a reading-time badge, a share label) is never part of a grid.
 */
export function labelValueRuns(blocks: readonly ZoneBlock[]): number[][] {
  const runs: number[][] = [];
  let run: number[] = [];
  const flush = (): void => {
    const texts = run.map((i) => blocks[i]?.text ?? '');
    if (run.length >= TEXT_ZONES.labelValueRunMin && isDataGrid(texts)) runs.push(run);
    else {
      const words = wordGrid(run, texts);
      if (words) runs.push(words);
    }
    run = [];
  };
  blocks.forEach((b, i) => {
    if (b.removal === undefined && isLabelValueLine(b.text)) run.push(i);
    else flush();
  });
  flush();
  return runs;
}
