/**
 * The Article Extraction Benchmark's metric: 4-token shingles of `[\p{L}\p{N}_]+` tokens compared
 * as multisets per page; each page's TP/FP/FN normalised to sum 1; precision and recall are means
 * over pages and F1 the harmonic mean of those two means (scrapinghub/article-extraction-benchmark).
 * Input: predicted and expected texts. Output: per-page scores and their aggregate.
 *
 * Must not: read files or time anything (eval.ts does).
 */

const TOKEN = /[\p{L}\p{N}_]+/gu;
const SHINGLE = 4;

/** Multiset of 4-token shingles (texts with fewer tokens give one shingle of all of them). */
export function shingles(text: string): Map<string, number> {
  const tokens = text.match(TOKEN) ?? [];
  const out = new Map<string, number>();
  const n = Math.max(1, tokens.length - SHINGLE + 1);
  if (tokens.length === 0) return out;
  for (let i = 0; i < n; i++) {
    const key = tokens.slice(i, i + SHINGLE).join(' ');
    out.set(key, (out.get(key) ?? 0) + 1);
  }
  return out;
}

export interface PageScore {
  readonly tp: number;
  readonly fp: number;
  readonly fn: number;
}

/** TP/FP/FN of one page, normalised to sum 1 so that long pages weigh no more than short ones. */
export function scorePage(predicted: string, expected: string): PageScore {
  const p = shingles(predicted);
  const e = shingles(expected);
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const [k, n] of p) {
    const m = e.get(k) ?? 0;
    tp += Math.min(n, m);
    fp += Math.max(0, n - m);
  }
  for (const [k, m] of e) fn += Math.max(0, m - (p.get(k) ?? 0));
  const total = tp + fp + fn;
  return total > 0 ? { tp: tp / total, fp: fp / total, fn: fn / total } : { tp, fp, fn };
}

/** Per-page precision as the benchmark defines it (1 when nothing is wrong, 0 when nothing is right). */
export function pagePrecision({ tp, fp, fn }: PageScore): number {
  if (fp === 0 && fn === 0) return 1;
  if (tp === 0 && fp === 0) return 0;
  return tp / (tp + fp);
}

export function pageRecall({ tp, fp, fn }: PageScore): number {
  if (fp === 0 && fn === 0) return 1;
  if (tp === 0 && fn === 0) return 0;
  return tp / (tp + fn);
}

export interface Aggregate {
  readonly pages: number;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
}

const mean = (xs: readonly number[]): number => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : 0);

/**
 * Precision is the mean over pages that predicted something (tp + fp > 0), recall the mean over
 * pages that expect something (tp + fn > 0), F1 the harmonic mean of the two means — exactly as
 * the benchmark's evaluate.py. An empty prediction therefore costs recall, not precision; eval.ts
 * reports the number of empty predictions next to the scores so that cannot hide.
 */
export function aggregate(scores: readonly PageScore[]): Aggregate {
  const precision = mean(scores.filter((s) => s.tp + s.fp > 0).map(pagePrecision));
  const recall = mean(scores.filter((s) => s.tp + s.fn > 0).map(pageRecall));
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { pages: scores.length, precision, recall, f1 };
}
