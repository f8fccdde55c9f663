/**
 * Bench scenario: publish on change (issue 22). Starts `kiosque serve` (127.0.0.1, port 0, a
 * schedule that never fires) over the seed content/ plus `--extra N` articles from the corpus
 * generator, waits for its startup run to finish, then, per round, writes one new article and polls
 * /feed.json until the item is served: the latency from the write to served bytes (debounce +
 * incremental run + reload). Prints one JSON line.
 *
 *   node --import tsx bench/publish-latency.ts [--rounds 5] [--extra 0]   one size, standalone
 *   npm run bench -- --only latency                                      the section, each size
 *                                                                         in a child process
 *
 * The measured articles are dated 2026-12-07, after every generated one (the generator dates two
 * articles an hour from 2020-01-01: 100,000 reach 2025-09), so each reaches /feed.json.
 * Must not: assert timings, or leave its temp folder or server behind.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_SEED, generateCorpus } from '../scripts/generate-corpus.ts';
import { parseConfig } from '../src/config.ts';
import { startNodeServer } from '../src/entry/node-server.ts';
import type { Logger } from '../src/ports/logger.ts';
import { lastJson, REPO_ROOT, runChild, tsNode } from './lib/child-process.ts';
import { fmt, log, ms, type SectionResult, table } from './lib/report.ts';

/** The seed articles in content/ (the corpus every size starts from). */
const SEED_ARTICLES = 5;
/** The first build at 100,000 articles takes about 9 min on 2 cores; leave room on a busy machine. */
const TIMEOUT_MS = 60 * 60 * 1000;

/** A silent logger that tells when a run has finished (its last line: published or failed). */
function runWatcher(): { logger: Logger; runDone: () => Promise<void> } {
  let finished: (() => void) | null = null;
  const done = () => {
    finished?.();
    finished = null;
  };
  const logger: Logger = {
    debug() {},
    info(message) {
      if (message === 'build published') done();
    },
    warn(message) {
      if (message.startsWith('regeneration skipped')) done();
    },
    error(message) {
      if (message === 'regeneration failed') done();
    },
  };
  return { logger, runDone: () => new Promise<void>((resolve) => (finished = resolve)) };
}

export interface LatencyResult {
  readonly scenario: 'publish-latency';
  readonly articles: number;
  readonly rounds: number;
  /**
   * The server's first build, start to its last step. The feeds are served earlier (from its
   * manifest swap); the route copies and sweep after the swap still run, and a change written
   * meanwhile waits for them (never two runs at once), so rounds start after it.
   */
  readonly firstBuildMs: number;
  readonly latencyMs: readonly number[];
  readonly medianMs: number;
}

function article(title: string, date: string): string {
  return `---\ntitle: ${title}\ndate: ${date}\n---\n\n${title} : un paragraphe assez long pour passer le nettoyage, écrit par le banc d’essai de publication sur modification, avec quelques mots de plus pour faire bonne mesure.\n`;
}

const pause = (msDelay: number) => new Promise((resolve) => setTimeout(resolve, msDelay));

/** Serve `dir/content`, then `rounds` write-to-served measurements. */
async function measure(dir: string, rounds: number): Promise<Omit<LatencyResult, 'articles'>> {
  const config = {
    ...parseConfig({
      port: 0,
      host: '127.0.0.1',
      schedule: '0 0 1 1 *',
      site: { baseUrl: 'http://127.0.0.1' },
    }),
    contentDir: join(dir, 'content'),
    outDir: join(dir, 'feeds'),
    stateDir: join(dir, 'feeds/.state'),
  };
  const started = performance.now();
  const { logger, runDone } = runWatcher();
  const firstRun = runDone();
  const server = await startNodeServer(config, logger);
  try {
    await firstRun;
    const firstBuildMs = Math.round(performance.now() - started);
    while ((await fetch(`${server.url}/healthz`)).status !== 200) await pause(50);
    await pause(500);
    const latencyMs: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const title = `Mesure de latence numéro ${round}`;
      const t0 = performance.now();
      const date = `2026-12-07T12:00:${String(round).padStart(2, '0')}Z`;
      writeFileSync(join(dir, 'content', `latency-${round}.md`), article(title, date));
      while (!(await (await fetch(`${server.url}/feed.json`)).text()).includes(title)) await pause(20);
      latencyMs.push(Math.round(performance.now() - t0));
    }
    const sorted = [...latencyMs].sort((a, b) => a - b);
    const medianMs = sorted[Math.floor(sorted.length / 2)] ?? 0;
    return { scenario: 'publish-latency', rounds, firstBuildMs, latencyMs, medianMs };
  } finally {
    await server.close();
  }
}

/** One size, in this process: the seeds plus `extra` generated articles. */
export async function measurePublishLatency(extra: number, rounds: number): Promise<LatencyResult> {
  const dir = mkdtempSync(join(tmpdir(), 'kiosque-bench-latency-'));
  try {
    cpSync(join(REPO_ROOT, 'content'), join(dir, 'content'), { recursive: true });
    if (extra > 0)
      await generateCorpus({ seed: DEFAULT_SEED, count: extra, dir: join(dir, 'content', 'generated') });
    return { ...(await measure(dir, rounds)), articles: SEED_ARTICLES + extra };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `npm run bench -- --only latency`: each size in a fresh child process, as a report section. */
export async function runPublishLatency(sizes: readonly number[], rounds: number): Promise<SectionResult> {
  const results: LatencyResult[] = [];
  for (const size of sizes) {
    const extra = Math.max(0, size - SEED_ARTICLES);
    const argv = tsNode(join(REPO_ROOT, 'bench/publish-latency.ts'), [
      '--extra',
      String(extra),
      '--rounds',
      String(rounds),
    ]);
    const child = await runChild(argv, { timeoutMs: TIMEOUT_MS });
    if (child.timedOut) throw new Error(`${size} articles: did not finish within ${TIMEOUT_MS / 60000} min`);
    const result = lastJson<LatencyResult>(child);
    log(
      `latency ${fmt(result.articles, 0)} articles: median ${ms(result.medianMs)} (${result.latencyMs.join(' / ')} ms)`,
    );
    results.push(result);
  }
  const rows = results.map((r) => [
    fmt(r.articles, 0),
    ms(r.firstBuildMs),
    ms(r.medianMs),
    r.latencyMs.map((v) => `${v}`).join(' / '),
  ]);
  const largest = results[results.length - 1];
  return {
    title: 'Publish on change (issue 22)',
    markdown: [
      '`kiosque serve` over the seeds plus generated articles (schedule that never fires); per round one new ' +
        'article is written to content/ and /feed.json is polled every 20 ms until it lists it: the time from ' +
        'the write to served bytes (watcher debounce + incremental build + reload). Each size in a fresh process.',
      '',
      table(
        [
          'articles',
          'first build (start → end of the startup run)',
          'write → served (median)',
          'each round, ms',
        ],
        rows,
      ),
    ].join('\n'),
    goals: largest
      ? [
          {
            goal: `publish on change: write → served at ${fmt(largest.articles, 0)} articles`,
            target: 'reported',
            measured: `${ms(largest.medianMs)} median of ${largest.rounds}`,
            pass: 'reported',
          },
        ]
      : [],
    commands: ['node --import tsx bench/publish-latency.ts --extra N --rounds 5'],
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: { rounds: { type: 'string', default: '5' }, extra: { type: 'string', default: '0' } },
  });
  const result = await measurePublishLatency(Number(values.extra), Number(values.rounds));
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
