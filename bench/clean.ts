/**
 * Goal 3, cleaning, in-process on one core (the cleaner is synchronous JavaScript):
 *  - plain text: MB/s of UTF-8 input through cleanCorpus (parse, learn source chrome, clean) on
 *    the generator's plain-text articles;
 *  - HTML: ms per page for a synthetic ~80 KB news page (bench/fixtures/news-page.ts), and, when
 *    ../shared/eval/aeb-dev is present, the median over its real pages (read at bench time only).
 *
 * Must not: copy the evaluation pages anywhere.
 * Tunables: the goal bounds below; sample sizes come from run.ts.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DEFAULT_SEED, sourceOfIndex } from '../scripts/generate-corpus.ts';
import { cleanCorpus } from '../src/core/corpus/clean-corpus.ts';
import type { RawDocument } from '../src/core/model.ts';
import { buildNewsPage } from './fixtures/news-page.ts';
import { REPO_ROOT } from './lib/child-process.ts';
import { generatedRawDocuments } from './lib/feed-items.ts';
import { fmt, type GoalResult, log, ms, type SectionResult, table } from './lib/report.ts';
import { median, percentile } from './lib/stats.ts';

const TEXT_GOAL_MB_S = 10;
const HTML_GOAL_MS = 10;
export const AEB_DIR = join(REPO_ROOT, '../shared/eval/aeb-dev/html');

export interface CleanOptions {
  readonly textArticles: number;
  readonly textRepeats: number;
  readonly htmlRuns: number;
  readonly aebPages: number;
}

function textDocuments(count: number): RawDocument[] {
  const out: RawDocument[] = [];
  for (let i = 0; out.length < count; i++) {
    if (sourceOfIndex(i).format === 'txt') out.push(...generatedRawDocuments(DEFAULT_SEED, 1, i));
  }
  return out;
}

function htmlDoc(body: string, id: string): RawDocument {
  return { sourceId: `${id}.html`, file: `${id}.html`, source: id, format: 'html', body };
}

function timeClean(docs: readonly RawDocument[]): number {
  const t = performance.now();
  const result = cleanCorpus(docs, 'fr');
  const elapsed = performance.now() - t;
  if (result.documents.length === 0) throw new Error('the cleaner returned nothing');
  return elapsed;
}

export function runClean(options: CleanOptions): SectionResult {
  const encoder = new TextEncoder();
  log(`clean: ${options.textArticles} plain-text articles × ${options.textRepeats}`);
  const texts = textDocuments(options.textArticles);
  const textBytes = texts.reduce((s, d) => s + encoder.encode(d.body).byteLength, 0);
  timeClean(texts.slice(0, 50)); // warm-up: JIT and lazy module state
  const textTimes: number[] = [];
  for (let i = 0; i < options.textRepeats; i++) textTimes.push(timeClean(texts));
  const mbPerS = textBytes / 1e6 / (median(textTimes) / 1000);

  log(`clean: synthetic 80 KB page × ${options.htmlRuns}`);
  const page = buildNewsPage();
  const pageBytes = encoder.encode(page).byteLength;
  for (let i = 0; i < 5; i++) timeClean([htmlDoc(page, `warm${i}`)]);
  const pageTimes: number[] = [];
  for (let i = 0; i < options.htmlRuns; i++) pageTimes.push(timeClean([htmlDoc(page, `p${i}`)]));

  let aeb = '';
  let aebMedian = Number.NaN;
  if (existsSync(AEB_DIR) && options.aebPages > 0) {
    const files = readdirSync(AEB_DIR)
      .filter((f) => f.endsWith('.html.gz'))
      .sort()
      .slice(0, options.aebPages);
    log(`clean: ${files.length} pages of ../shared/eval/aeb-dev`);
    const pages = files.map((f) => gunzipSync(readFileSync(join(AEB_DIR, f))).toString('utf8'));
    const sizes = pages.map((p) => encoder.encode(p).byteLength);
    const times = pages.map((p, i) => timeClean([htmlDoc(p, `aeb${i}`)]));
    const per80k = times.map((t, i) => (t / (sizes[i] ?? 1)) * 80 * 1024);
    aebMedian = median(times);
    aeb = table(
      ['set', 'pages', 'median size', 'median ms', 'p90 ms', 'max ms', 'median ms per 80 KB'],
      [
        [
          'aeb-dev (../shared, read at bench time)',
          String(pages.length),
          `${fmt(median(sizes) / 1024, 0)} KB`,
          ms(aebMedian),
          ms(percentile(times, 90)),
          ms(Math.max(...times)),
          ms(median(per80k)),
        ],
      ],
    );
  }

  const goals: GoalResult[] = [
    {
      goal: '3 cleaning: plain text throughput per core',
      target: `≥ ${TEXT_GOAL_MB_S} MB/s`,
      measured: `${fmt(mbPerS, 2)} MB/s`,
      pass: mbPerS >= TEXT_GOAL_MB_S,
    },
    {
      goal: '3 cleaning: 80 KB HTML page',
      target: `≤ ${HTML_GOAL_MS} ms`,
      measured: `${ms(median(pageTimes))} median (synthetic)${Number.isFinite(aebMedian) ? `; aeb-dev median ${ms(aebMedian)}` : ''}`,
      pass: median(pageTimes) <= HTML_GOAL_MS,
    },
  ];
  const markdown = [
    table(
      ['input', 'size', 'runs', 'median', 'p90', 'throughput'],
      [
        [
          `${texts.length} generated plain-text articles (cleanCorpus)`,
          `${fmt(textBytes / 1e6, 2)} MB`,
          String(textTimes.length),
          ms(median(textTimes)),
          ms(percentile(textTimes, 90)),
          `${fmt(mbPerS, 2)} MB/s`,
        ],
        [
          'synthetic news page (bench/fixtures/news-page.ts)',
          `${fmt(pageBytes / 1024, 1)} KB`,
          String(pageTimes.length),
          ms(median(pageTimes)),
          ms(percentile(pageTimes, 90)),
          `${fmt(pageBytes / 1e6 / (median(pageTimes) / 1000), 2)} MB/s`,
        ],
      ],
    ),
    '',
    aeb,
  ].join('\n');
  return {
    title: 'Cleaning (goal 3)',
    markdown,
    goals,
    commands: ['(in-process) cleanCorpus from src/core/corpus/clean-corpus.ts'],
  };
}
