/**
 * Goals 2 and 4, regeneration and growth:
 *  - rendering the current feed (100 real FeedItems, RSS + Atom + JSON Feed) in-process;
 *  - for each corpus size: generate the corpus (scripts/generate-corpus.ts), one full build in a
 *    fresh child process, then change one article (the newest, so the feeds change too) and run an
 *    incremental build in another fresh process (it finds the change by comparing every file's
 *    size and mtime with the content index), then change it again HINTED_RUNS times, each time
 *    running a build told which file changed (`--changed`, as a file watcher or a deploy hook
 *    would) — wall time of the build and peak RSS of each (median of the `--changed` runs);
 *  - the growth table and the fitted exponent (log-log slope) of each column.
 *
 * Must not: run two builds at once (they would share the 2 cores and skew each other).
 * Tunables: BUILD_TIMEOUT_MS, MAX_HEAP_MB, the goal bounds below.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { changeArticle, DEFAULT_SEED, generateCorpus } from '../scripts/generate-corpus.ts';
import { createFeedLinks } from '../src/core/render/feed-links.ts';
import { renderAtom } from '../src/core/render/render-atom.ts';
import { renderJsonFeed } from '../src/core/render/render-json-feed.ts';
import { renderRss } from '../src/core/render/render-rss.ts';
import type { BuildChildResult } from './build-child.ts';
import { lastJson, REPO_ROOT, runChild, shellLine, tsNode } from './lib/child-process.ts';
import { generatedFeed } from './lib/feed-items.ts';
import { fmt, type GoalResult, log, mb, ms, type SectionResult, table } from './lib/report.ts';
import { logLogSlope, median, percentile } from './lib/stats.ts';
import type { WatchChildResult } from './watch-child.ts';

/**
 * Corpora above GUARANTEED_SIZE are optional (issue 7 asks for 100,000 "if it finishes in
 * reasonable time"): skipped when the growth so far predicts more than LARGE_TIMEOUT_MS, killed
 * at that limit. Sizes up to GUARANTEED_SIZE always run, with a generous safety limit.
 */
const GUARANTEED_SIZE = 10_000;
const LARGE_TIMEOUT_MS = 60 * 60 * 1000;
const BUILD_TIMEOUT_MS = 90 * 60 * 1000;
/** Heap ceiling for build children: high, so a build that needs more memory is measured, not killed at V8's default. */
const MAX_HEAP_MB = 16_384;
const RENDER_GOAL_MS = 25;
const INCREMENTAL_GOAL_MS = 200;
const INCREMENTAL_RSS_GOAL_MB = 1024;
/**
 * `--changed` builds per size, each after another revision of the same article: one sample on
 * this VM varies ±30 %, so the table reports the median run and lists every run.
 */
const HINTED_RUNS = 5;
/** Edits built in the one warm process of the serve-path measurement (after a first, cold build). */
const WATCHED_RUNS = 5;

/**
 * Writes the previous build left in the page cache go to disk first (`sync`), so a measured
 * incremental build does not share the disk and a core with the writeback of a full build's
 * gigabytes. Outside the timed region; a no-op where `sync` is missing.
 */
export function flushWrites(): void {
  try {
    execFileSync('sync', { stdio: 'ignore', timeout: 10 * 60 * 1000 });
  } catch {
    // Not on this platform: the measurement just includes whatever writeback is going on.
  }
}

/** The highest peak RSS of a size's `--changed` runs. */
function hintedPeakRss(r: SizeResult): number | undefined {
  return r.hintedRuns.length > 0 ? Math.max(...r.hintedRuns.map((run) => run.maxRssMB)) : undefined;
}

/** The run of median wall time (the lower middle one for an even count). */
function medianRun(runs: readonly BuildChildResult[]): BuildChildResult | null {
  const sorted = [...runs].sort((a, b) => a.ms - b.ms);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? null;
}

export interface RegenOptions {
  readonly sizes: readonly number[];
  readonly renderIterations: number;
  readonly keepDirs?: boolean;
  /** Run sizes even when the growth so far predicts they cannot finish in LARGE_TIMEOUT_MS. */
  readonly forceLarge?: boolean;
  /** Run the builds of this size under --cpu-prof, writing into profileDirs. */
  readonly profileSize?: number;
  readonly profileDirs?: ProfileDirs;
}

export interface SizeResult {
  readonly size: number;
  readonly corpusMB: number;
  readonly generateMs: number;
  readonly full: BuildChildResult | null;
  readonly fullError?: string;
  /** One changed article, found by the stat scan. */
  readonly incremental: BuildChildResult | null;
  readonly incrementalError?: string;
  /** One changed article, named with `--changed`: the run of median time among `hintedRuns`. */
  readonly hinted: BuildChildResult | null;
  /** Every `--changed` run, one revision of the same article each, in order. */
  readonly hintedRuns: readonly BuildChildResult[];
  /** The same kind of edit in one long-lived process, as `kiosque serve`'s content watcher runs it. */
  readonly watched: WatchChildResult | null;
}

export interface RenderResult {
  readonly firstMs: number;
  readonly medianMs: number;
  readonly p95Ms: number;
  readonly bytes: number;
}

export function buildArgv(
  content: string,
  out: string,
  nodeFlags: readonly string[] = [],
  changed: readonly string[] = [],
): string[] {
  return tsNode(
    join(REPO_ROOT, 'bench/build-child.ts'),
    ['--content', content, '--out', out, ...changed.flatMap((key) => ['--changed', key])],
    [`--max-old-space-size=${MAX_HEAP_MB}`, ...nodeFlags],
  );
}

export async function runBuildChild(
  content: string,
  out: string,
  nodeFlags: readonly string[] = [],
  timeoutMs = BUILD_TIMEOUT_MS,
  changed: readonly string[] = [],
): Promise<BuildChildResult> {
  const result = await runChild(buildArgv(content, out, nodeFlags, changed), { timeoutMs });
  if (result.timedOut) throw new Error(`did not finish within ${timeoutMs / 60000} min`);
  const parsed = lastJson<BuildChildResult>(result);
  if (!parsed.ok) throw new Error(`build failed: ${parsed.error ?? 'unknown'}`);
  return parsed;
}

/** `bench/watch-child.ts`: `rounds` edits of one article built in one warm process. */
export async function runWatchChild(
  content: string,
  out: string,
  article: number,
  firstRevision: number,
  timeoutMs = BUILD_TIMEOUT_MS,
): Promise<WatchChildResult> {
  const argv = tsNode(
    join(REPO_ROOT, 'bench/watch-child.ts'),
    [
      '--content',
      content,
      '--out',
      out,
      '--article',
      String(article),
      '--first-revision',
      String(firstRevision),
      '--rounds',
      String(WATCHED_RUNS),
    ],
    [`--max-old-space-size=${MAX_HEAP_MB}`],
  );
  const result = await runChild(argv, { timeoutMs });
  if (result.timedOut) throw new Error(`watched builds did not finish within ${timeoutMs / 60000} min`);
  const parsed = lastJson<WatchChildResult>(result);
  if (!parsed.ok) throw new Error(`watched build failed: ${parsed.error ?? 'unknown'}`);
  return parsed;
}

export async function measureRender(iterations: number): Promise<RenderResult> {
  const feed = await generatedFeed(DEFAULT_SEED, 100);
  const links = createFeedLinks(feed.site);
  // Fresh item objects for every call (copied outside the timed region): the renderers memoise
  // an item's fragments per object within a run (src/core/render/item-fragments.ts), and a
  // benchmark that re-rendered the same objects would time cache hits, not rendering.
  const renderAll = (doc: typeof feed): number =>
    renderRss(doc, links).length + renderAtom(doc, links).length + renderJsonFeed(doc, links).length;
  const fresh = (): typeof feed => ({ ...feed, items: feed.items.map((item) => ({ ...item })) });
  let doc = fresh();
  let t = performance.now();
  const bytes = renderAll(doc);
  const firstMs = performance.now() - t;
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    doc = fresh();
    t = performance.now();
    renderAll(doc);
    times.push(performance.now() - t);
  }
  return { firstMs, medianMs: median(times), p95Ms: percentile(times, 95), bytes };
}

/** Where to write `--cpu-prof` profiles of this size's builds, when it is the profiled size. */
export interface ProfileDirs {
  readonly full: string;
  readonly incremental: string;
}

export async function measureSize(
  size: number,
  work: string,
  keep: boolean,
  profile?: ProfileDirs,
): Promise<SizeResult> {
  const timeout = size > GUARANTEED_SIZE ? LARGE_TIMEOUT_MS : BUILD_TIMEOUT_MS;
  const prof = (dir: string | undefined): string[] => (dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : []);
  const corpus = join(work, `corpus-${size}`);
  const out = join(work, `out-${size}`);
  let t = performance.now();
  const summary = await generateCorpus({ seed: DEFAULT_SEED, count: size, dir: corpus });
  const generateMs = performance.now() - t;
  log(
    `regen ${size}: corpus ${(summary.bytes / 1e6).toFixed(1)} MB in ${Math.round(generateMs)} ms; full build…`,
  );
  let full: BuildChildResult | null = null;
  let incremental: BuildChildResult | null = null;
  let hinted: BuildChildResult | null = null;
  const hintedRuns: BuildChildResult[] = [];
  let watched: WatchChildResult | null = null;
  const errors: { fullError?: string; incrementalError?: string } = {};
  try {
    t = performance.now();
    full = await runBuildChild(corpus, out, prof(profile?.full), timeout);
    log(`regen ${size}: full ${ms(full.ms)}, peak RSS ${mb(full.maxRssMB)}; incremental…`);
    await changeArticle({ seed: DEFAULT_SEED, dir: corpus, index: size - 1, revision: 1 });
    flushWrites();
    incremental = await runBuildChild(corpus, out, prof(profile?.incremental), timeout);
    log(`regen ${size}: incremental ${ms(incremental.ms)}, peak RSS ${mb(incremental.maxRssMB)}; hinted…`);
    for (let revision = 2; revision < 2 + HINTED_RUNS; revision++) {
      const changedKey = await changeArticle({ seed: DEFAULT_SEED, dir: corpus, index: size - 1, revision });
      flushWrites();
      const run = await runBuildChild(corpus, out, [], timeout, [changedKey]);
      hintedRuns.push(run);
      log(
        `regen ${size}: hinted incremental (revision ${revision}) ${ms(run.ms)}, ${run.changedDocuments} documents, peak RSS ${mb(run.maxRssMB)}`,
      );
    }
    hinted = medianRun(hintedRuns);
    flushWrites();
    watched = await runWatchChild(corpus, out, size - 1, 2 + HINTED_RUNS, timeout);
    log(
      `regen ${size}: in the serve process ${watched.ms.map((v, i) => `${ms(v)} / ${watched?.changedDocuments[i]} documents`).join(', ')}`,
    );
  } catch (error) {
    const message = (error as Error).message.slice(0, 300);
    if (full === null) errors.fullError = message;
    else errors.incrementalError = message;
    log(`regen ${size}: ${message}`);
  } finally {
    if (!keep) {
      rmSync(corpus, { recursive: true, force: true });
      rmSync(out, { recursive: true, force: true });
    }
  }
  return {
    size,
    corpusMB: summary.bytes / 1e6,
    generateMs,
    full,
    incremental,
    hinted,
    hintedRuns,
    watched,
    ...errors,
  };
}

export function growthMarkdown(results: readonly SizeResult[]): string {
  const cols: { name: string; get: (r: SizeResult) => number | undefined }[] = [
    { name: 'full build ms', get: (r) => r.full?.ms },
    { name: 'full peak RSS MB', get: (r) => r.full?.maxRssMB },
    {
      name: 'full CPU ms (user+sys)',
      get: (r) => (r.full ? r.full.userCpuMs + r.full.systemCpuMs : undefined),
    },
    { name: 'incremental (scan) ms', get: (r) => r.incremental?.ms },
    { name: 'incremental (scan) peak RSS MB', get: (r) => r.incremental?.maxRssMB },
    { name: 'incremental (--changed) ms', get: (r) => r.hinted?.ms },
    { name: 'incremental (--changed) peak RSS MB', get: (r) => hintedPeakRss(r) },
    { name: 'incremental (serve process) ms', get: (r) => (r.watched ? median(r.watched.ms) : undefined) },
  ];
  const rows = results.map((r) => [
    fmt(r.size, 0),
    fmt(r.corpusMB, 1),
    r.full ? ms(r.full.ms) : `did not finish: ${r.fullError ?? ''}`,
    r.full ? mb(r.full.maxRssMB) : '—',
    r.full ? ms(r.full.userCpuMs + r.full.systemCpuMs) : '—',
    r.full ? `${(r.full.ms / r.size).toFixed(2)} ms` : '—',
    r.full ? fmt(r.full.changedDocuments, 0) : '—',
    r.incremental ? ms(r.incremental.ms) : (r.incrementalError ?? '—'),
    r.incremental ? mb(r.incremental.maxRssMB) : '—',
    r.incremental ? `${r.incremental.changedDocuments}` : '—',
    r.hinted ? `${ms(r.hinted.ms)} (${r.hinted.changedDocuments} docs)` : '—',
    r.hinted ? mb(hintedPeakRss(r) ?? 0) : '—',
    r.watched ? ms(median(r.watched.ms)) : '—',
  ]);
  const runs = results
    .filter((r) => r.hintedRuns.length > 0)
    .map(
      (r) =>
        `- ${fmt(r.size, 0)} articles: ${r.hintedRuns.map((run) => `${ms(run.ms)} / ${run.changedDocuments} docs`).join(' · ')}` +
        (r.watched
          ? `; in the serve process (first build after start ${ms(r.watched.firstMs)}, then): ${r.watched.ms.map((v, i) => `${ms(v)} / ${r.watched?.changedDocuments[i]} docs`).join(' · ')}`
          : ''),
    );
  const slopes = cols.map((c) => {
    const points = results.flatMap((r) => {
      const v = c.get(r);
      return v === undefined ? [] : [[r.size, v] as const];
    });
    return `${c.name}: **${fmt(logLogSlope(points), 2)}**`;
  });
  return [
    table(
      [
        'articles',
        'corpus MB',
        'full build',
        'full peak RSS',
        'full CPU',
        'full per article',
        'documents published',
        'incremental, scan (1 changed)',
        'scan peak RSS',
        'docs rewritten',
        `incremental, --changed (median of ${HINTED_RUNS})`,
        '--changed peak RSS (max)',
        `in the serve process (median of ${WATCHED_RUNS})`,
      ],
      rows,
    ),
    '',
    `Every --changed run (revisions 2–${HINTED_RUNS + 1} of the same article, each in a fresh process, in order; time / documents rewritten), then the serve-process runs (revisions ${HINTED_RUNS + 3}–${HINTED_RUNS + 2 + WATCHED_RUNS} built in one process after a first build of revision ${HINTED_RUNS + 2}, as \`kiosque serve\`'s content watcher builds them):`,
    ...runs,
    '',
    `Fitted exponent k (time or memory ∝ articles^k, least squares on log-log; 1 = linear, 0 = flat): ${slopes.join('; ')}.`,
    'Peak RSS includes the Node + tsx baseline of the child process (see "process baseline" below).',
  ].join('\n');
}

export async function runRegen(
  options: RegenOptions,
): Promise<{ section: SectionResult; sizes: SizeResult[] }> {
  log('regen: rendering 100 items in three formats');
  const render = await measureRender(options.renderIterations);
  const baseline = lastJson<BuildChildResult>(
    await runChild(tsNode(join(REPO_ROOT, 'bench/build-child.ts'), ['--noop'])),
  );
  const work = mkdtempSync(join(tmpdir(), 'kiosque-bench-regen-'));
  const sizes: SizeResult[] = [];
  const skipped: { size: number; note: string }[] = [];
  try {
    for (const size of options.sizes) {
      const last = sizes[sizes.length - 1];
      if (last?.full && size > GUARANTEED_SIZE && !options.forceLarge) {
        // Predict from the growth so far (never better than linear); skip a size that cannot
        // finish in the time limit rather than wait for the limit to kill it.
        const k = Math.max(
          1,
          logLogSlope(sizes.flatMap((r) => (r.full ? [[r.size, r.full.ms] as const] : []))) || 1,
        );
        const predicted = last.full.ms * (size / last.size) ** k;
        if (predicted > LARGE_TIMEOUT_MS) {
          const note = `skipped: predicted ${Math.round(predicted / 60000)} min from the ${fmt(last.size, 0)}-article build (exponent ${k.toFixed(2)}), over the ${LARGE_TIMEOUT_MS / 60000}-min limit`;
          log(`regen ${size}: ${note}`);
          skipped.push({ size, note });
          break;
        }
      }
      const profile = size === options.profileSize ? options.profileDirs : undefined;
      const result = await measureSize(size, work, options.keepDirs ?? false, profile);
      sizes.push(result);
      if (!result.full) {
        log(`regen: stopping the growth series at ${size} (the full build did not finish)`);
        break;
      }
    }
  } finally {
    if (!options.keepDirs) rmSync(work, { recursive: true, force: true });
  }
  const largest = [...sizes].reverse().find((s) => s.incremental !== null);
  const largestFull = [...sizes].reverse().find((s) => s.full);
  const goals: GoalResult[] = [
    {
      goal: '2 regeneration: current feed, 100 items × 3 formats',
      target: `≤ ${RENDER_GOAL_MS} ms`,
      measured: `${ms(render.medianMs)} median (first call ${ms(render.firstMs)})`,
      pass: render.medianMs <= RENDER_GOAL_MS,
    },
    {
      goal: `2 regeneration: incremental build, 1 changed article named by --changed${largest ? ` (${fmt(largest.size, 0)} articles)` : ''}`,
      target: `≤ ${INCREMENTAL_GOAL_MS} ms`,
      measured: largest?.hinted
        ? `${ms(largest.hinted.ms)} median of ${largest.hintedRuns.length} (${ms(Math.min(...largest.hintedRuns.map((r) => r.ms)))}–${ms(Math.max(...largest.hintedRuns.map((r) => r.ms)))})`
        : 'not measured',
      pass: largest?.hinted ? largest.hinted.ms <= INCREMENTAL_GOAL_MS : null,
      ...(largest && largest.size < 100_000 ? { note: 'goal is stated at 100,000 articles' } : {}),
    },
    {
      goal: `2 regeneration: incremental build, 1 changed article, in the serve process (content watcher)${largest ? ` (${fmt(largest.size, 0)} articles)` : ''}`,
      target: `≤ ${INCREMENTAL_GOAL_MS} ms`,
      measured: largest?.watched
        ? `${ms(median(largest.watched.ms))} median of ${largest.watched.ms.length} (${ms(Math.min(...largest.watched.ms))}–${ms(Math.max(...largest.watched.ms))})`
        : 'not measured',
      pass: largest?.watched ? median(largest.watched.ms) <= INCREMENTAL_GOAL_MS : null,
      ...(largest && largest.size < 100_000 ? { note: 'goal is stated at 100,000 articles' } : {}),
    },
    {
      goal: `2 regeneration: incremental build, 1 changed article found by the stat scan${largest ? ` (${fmt(largest.size, 0)} articles)` : ''}`,
      target: `≤ ${INCREMENTAL_GOAL_MS} ms`,
      measured: largest?.incremental ? ms(largest.incremental.ms) : 'not measured',
      pass: largest?.incremental ? largest.incremental.ms <= INCREMENTAL_GOAL_MS : null,
    },
    {
      goal: '2 regeneration: incremental build peak RSS (either kind)',
      target: `≤ ${fmt(INCREMENTAL_RSS_GOAL_MB, 0)} MB`,
      measured: largest?.incremental
        ? mb(
            Math.max(
              largest.incremental.maxRssMB,
              hintedPeakRss(largest) ?? 0,
              largest.watched?.maxRssMB ?? 0,
            ),
          )
        : 'not measured',
      pass: largest?.incremental
        ? Math.max(
            largest.incremental.maxRssMB,
            hintedPeakRss(largest) ?? 0,
            largest.watched?.maxRssMB ?? 0,
          ) <= INCREMENTAL_RSS_GOAL_MB
        : null,
    },
    {
      goal: '2 regeneration: full build at the largest size',
      target: 'reported',
      measured: largestFull?.full
        ? `${fmt(largestFull.size, 0)} articles: ${ms(largestFull.full.ms)}, ${mb(largestFull.full.maxRssMB)}`
        : 'did not finish',
      pass: largestFull?.full ? 'reported' : null,
    },
  ];
  const markdown = [
    '### Current feed render',
    `100 FeedItems made by the pipeline from generated articles; renderRss + renderAtom + renderJsonFeed (${fmt(render.bytes / 1024, 0)} KB of output). ` +
      `First call ${ms(render.firstMs)}; ${options.renderIterations} further calls: median ${ms(render.medianMs)}, p95 ${ms(render.p95Ms)}.`,
    '',
    '### Full and incremental builds (goal 2) and growth (goal 4)',
    `Each build in a fresh process (\`kiosque build\`'s code path: fs storage, node:zlib, the pipeline's regenerate), wall time around runBuild; ` +
      `incremental = the last generated article (the newest dated one; undated articles take their first-seen time and sort newer, so at 10,000 articles and more it sits in frozen archive pages) gets its last paragraph rewritten, then a build on the same output that finds it (scan: every file's size and mtime compared with the content index), then ${HINTED_RUNS} builds each after another revision, told the one key (--changed, as a watcher or deploy hook would); \`sync\` before each measured build, so the previous build's writeback is not measured. Process baseline (Node + tsx + modules, no build): peak RSS ${mb(baseline.maxRssMB)}.`,
    '',
    growthMarkdown(sizes),
    ...skipped.map((s) => `\n**${fmt(s.size, 0)} articles ${s.note}** (\`--force-large\` runs it anyway).`),
  ].join('\n');
  return {
    section: {
      title: 'Regeneration (goals 2 and 4)',
      markdown,
      goals,
      commands: [
        shellLine(tsNode(join(REPO_ROOT, 'scripts/generate-corpus.ts'), ['--count', 'N', '--dir', 'CORPUS'])),
        shellLine(buildArgv('CORPUS', 'OUT')),
        shellLine(
          tsNode(join(REPO_ROOT, 'scripts/generate-corpus.ts'), [
            '--count',
            'N',
            '--dir',
            'CORPUS',
            '--change',
            'N-1',
          ]),
        ),
        shellLine(buildArgv('CORPUS', 'OUT')),
        shellLine(buildArgv('CORPUS', 'OUT', [], ['<source>/<N-1>.<ext>'])),
      ],
    },
    sizes,
  };
}
