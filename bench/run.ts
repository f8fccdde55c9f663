/**
 * `npm run bench`: measures kiosque against the goals of issue 7 and writes the figures.
 *
 *   npm run bench                         full run → bench/RESULTS.md (≈ 30 min on 2 cores)
 *   npm run bench -- --quick              smoke run (< 60 s target) → <tmp>/kiosque-bench-RESULTS.md
 *   npm run bench -- --only serving,clean run some sections: serving | regen (= growth) | settings | latency |
 *                                         clean | profile
 *   npm run bench -- --max-size 10000     cap the corpus sizes (quick caps at 1,000)
 *   npm run bench -- --min-size 100000    skip the smaller sizes (one large size on its own)
 *   npm run bench -- --out FILE           write the results elsewhere
 *   npm run bench -- --force-large        run sizes the growth so far predicts will exceed 60 min
 *
 * Sections: serving (goal 1), regen + growth (goals 2 and 4), settings (issue 19: what a settings
 * change costs, bench/settings-change.ts), latency (issue 22: write → served in `kiosque serve`,
 * bench/publish-latency.ts), clean (goal 3), profile (the
 * `--cpu-prof` diagnosis of the largest practical build). The hand-written diagnosis lives in
 * bench/diagnosis.md and is copied into RESULTS.md under the measured figures, so a re-run
 * refreshes the numbers without losing the analysis.
 *
 * Must not: assert timings (this is a measuring instrument; CI runs --quick to prove it works),
 * or leave corpora or servers behind. Tunables: SETTINGS below.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runClean } from './clean.ts';
import { cpuModel, REPO_ROOT, TASKSET } from './lib/child-process.ts';
import { consoleTable, type GoalResult, log, passMark, type SectionResult, table } from './lib/report.ts';
import { profileDirsFor, profileSection, runProfile } from './profile.ts';
import { runPublishLatency } from './publish-latency.ts';
import { flushWrites, runRegen } from './regen.ts';
import { runServing } from './serving.ts';
import { runSettingsChange } from './settings-change.ts';

const SECTIONS = ['serving', 'regen', 'settings', 'latency', 'clean', 'profile'] as const;
type Section = (typeof SECTIONS)[number];

const SETTINGS = {
  full: {
    serving: { rounds: 5, seconds: 5, warmupSeconds: 2 },
    sizes: [100, 1_000, 10_000, 100_000],
    renderIterations: 200,
    clean: { textArticles: 2000, textRepeats: 5, htmlRuns: 50, aebPages: 1000 },
    profileSize: 10_000,
    settingsSizes: [10_000, 100_000],
    latencySizes: [100, 10_000, 100_000],
    latencyRounds: 5,
  },
  quick: {
    // One-second runs with no warm-up: proves the harness works; figures are indicative only.
    serving: { rounds: 2, seconds: 1, warmupSeconds: 0 },
    sizes: [25, 50],
    renderIterations: 20,
    clean: { textArticles: 200, textRepeats: 2, htmlRuns: 10, aebPages: 10 },
    profileSize: 100,
    settingsSizes: [50],
    latencySizes: [25],
    latencyRounds: 2,
  },
} as const;
const QUICK_MAX_SIZE = 1_000;

function parseCli(): {
  quick: boolean;
  only: Set<Section>;
  maxSize: number;
  minSize: number;
  out: string | null;
  forceLarge: boolean;
} {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      'max-size': { type: 'string' },
      'min-size': { type: 'string' },
      out: { type: 'string' },
      'force-large': { type: 'boolean', default: false },
    },
  });
  const only = new Set<Section>();
  for (const name of (values.only ?? '').split(/[,|]/).filter(Boolean)) {
    const section = name === 'growth' ? 'regen' : name;
    if (!(SECTIONS as readonly string[]).includes(section)) {
      throw new Error(
        `--only: unknown section "${name}" (known: serving, regen, growth, settings, latency, clean, profile)`,
      );
    }
    only.add(section as Section);
  }
  // Quick skips the profile unless asked for: it needs a build of its own.
  if (only.size === 0) for (const s of SECTIONS) if (!(values.quick && s === 'profile')) only.add(s);
  const cap = values.quick ? QUICK_MAX_SIZE : Number.POSITIVE_INFINITY;
  const maxSize = Math.min(cap, values['max-size'] ? Number(values['max-size']) : Number.POSITIVE_INFINITY);
  if (Number.isNaN(maxSize) || maxSize < 1) throw new Error('--max-size must be a positive number');
  const minSize = values['min-size'] ? Number(values['min-size']) : 0;
  if (Number.isNaN(minSize) || minSize < 0) throw new Error('--min-size must be a number');
  return {
    quick: values.quick ?? false,
    only,
    maxSize,
    minSize,
    out: values.out ?? null,
    forceLarge: values['force-large'] ?? false,
  };
}

function gitDescribe(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    }).trim();
    return dirty ? `${head} + uncommitted changes in src/` : head;
  } catch {
    return 'unknown';
  }
}

function machineMarkdown(
  startedAt: Date,
  durationS: number,
  argv: readonly string[],
  loadBefore: readonly number[],
): string {
  const load = (l: readonly number[]) => l.map((x) => x.toFixed(2)).join(' / ');
  const cores = cpus();
  return table(
    ['', ''],
    [
      ['CPU', `${cpuModel(cores[0]?.model ?? 'unknown')} × ${cores.length} cores`],
      ['memory', `${Math.round(totalmem() / 2 ** 30)} GB`],
      ['node', process.version],
      ['OS', `${process.platform} ${process.arch}`],
      ['pinning', TASKSET ? `taskset (${TASKSET})` : 'taskset not found: processes unpinned'],
      ['date', startedAt.toISOString()],
      // Other processes on the machine skew absolute figures; same-run ratios are robust to it.
      ['load average (1/5/15 min)', `at start ${load(loadBefore)}; at end ${load(loadavg())}`],
      ['kiosque', gitDescribe()],
      [
        'command',
        `\`npm run bench${argv.length ? ` -- ${argv.join(' ')}` : ''}\` (${Math.round(durationS)} s)`,
      ],
    ],
  );
}

async function main(): Promise<void> {
  const options = parseCli();
  const settings = options.quick ? SETTINGS.quick : SETTINGS.full;
  const startedAt = new Date();
  const loadBefore = loadavg();
  const sections: SectionResult[] = [];
  const run = async (name: Section, fn: () => Promise<SectionResult> | SectionResult): Promise<void> => {
    if (!options.only.has(name)) return;
    const t = performance.now();
    try {
      sections.push(await fn());
    } catch (error) {
      log(`${name} failed: ${(error as Error).stack ?? String(error)}`);
      // A missed goal is a figure; a section that cannot run is a broken bench (CI fails on it).
      process.exitCode = 1;
      sections.push({
        title: name,
        markdown: `**Section failed:** ${(error as Error).message}`,
        goals: [{ goal: name, target: '', measured: 'section failed', pass: false }],
        commands: [],
      });
    }
    log(`${name} done in ${Math.round((performance.now() - t) / 1000)} s`);
  };

  await run('serving', () => runServing(settings.serving));
  const profileSize = Math.min(settings.profileSize, options.maxSize);
  let profiled: SectionResult | null = null;
  await run('regen', async () => {
    const sizes: number[] = [...settings.sizes].filter((s) => s <= options.maxSize && s >= options.minSize);
    // The profiled size's builds run under --cpu-prof inside the growth series, so the
    // largest builds are not run twice (profiling costs a few percent of wall time).
    const profileDirs =
      options.only.has('profile') && sizes.includes(profileSize) ? profileDirsFor(profileSize) : undefined;
    const regen = await runRegen({
      sizes,
      renderIterations: settings.renderIterations,
      forceLarge: options.forceLarge,
      ...(profileDirs ? { profileSize, profileDirs } : {}),
    });
    const at = regen.sizes.find((r) => r.size === profileSize);
    if (profileDirs && at?.full && at.incremental) {
      profiled = profileSection(
        profileSize,
        at.full,
        profileDirs.full,
        at.incremental,
        profileDirs.incremental,
      );
    }
    return regen.section;
  });
  // The regen section deletes its output (over 20 GB at 100,000 articles) just before: let the
  // filesystem finish that before cleaning is timed on the same cores.
  flushWrites();
  await run('settings', () =>
    runSettingsChange(
      settings.settingsSizes.filter((size) => size <= options.maxSize && size >= options.minSize),
    ),
  );
  flushWrites();
  await run('latency', () =>
    runPublishLatency(
      settings.latencySizes.filter((size) => size <= options.maxSize && size >= options.minSize),
      settings.latencyRounds,
    ),
  );
  flushWrites();
  await run('clean', () => runClean(settings.clean));
  await run('profile', () => profiled ?? runProfile(profileSize));

  const durationS = (Date.now() - startedAt.getTime()) / 1000;
  const goals: GoalResult[] = sections.flatMap((s) => s.goals);
  const goalRows = goals.map((g) => [
    g.goal,
    g.target,
    g.measured,
    passMark(g.pass) + (g.note ? ` (${g.note})` : ''),
  ]);
  const diagnosisFile = join(REPO_ROOT, 'bench/diagnosis.md');
  const argv = process.argv.slice(2);
  const markdown = [
    '# kiosque benchmark results',
    '',
    options.quick
      ? '_Quick smoke run: one-second load runs, small corpora. Figures are indicative only._'
      : '_Written by `npm run bench`; the diagnosis at the end is bench/diagnosis.md, kept by hand._',
    '',
    '## Machine',
    machineMarkdown(startedAt, durationS, argv, loadBefore),
    '',
    '## Results against the goals (issue 7)',
    table(['goal', 'target', 'measured', 'result'], goalRows),
    '',
    ...sections.flatMap((s) => [`## ${s.title}`, s.markdown, '']),
    '## Commands',
    '```sh',
    `npm run bench${argv.length ? ` -- ${argv.join(' ')}` : ''}`,
    ...sections.flatMap((s) => s.commands),
    '```',
    '',
    ...(existsSync(diagnosisFile) ? [readFileSync(diagnosisFile, 'utf8').trim(), ''] : []),
  ].join('\n');
  const partial = options.quick || argv.some((a) => a.startsWith('--only') || a.startsWith('--max-size'));
  const out =
    options.out ??
    (partial ? join(tmpdir(), 'kiosque-bench-RESULTS.md') : join(REPO_ROOT, 'bench/RESULTS.md'));
  writeFileSync(out, markdown);
  process.stdout.write(`\n${consoleTable(['goal', 'target', 'measured', 'result'], goalRows)}\n\n`);
  process.stdout.write(`results: ${out} (${Math.round(durationS)} s)\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});
