/**
 * CPU time of the Worker's scheduled run on the bundled seed corpus, measured on Node's V8 (the
 * engine workerd embeds) with process.cpuUsage(): inside workerd, Date.now()/performance.now()
 * only advance on I/O (Spectre mitigation), so CPU cannot be timed there.
 *
 *   node --import tsx scripts/measure-worker-cpu.ts [--runs 10]
 *
 * Runs the built, minified pipeline module the Worker uploads (src/entry/generated/
 * worker-pipeline.mjs, rebuilt first by scripts/build-worker-pipeline.mjs) through its
 * runEdgeBuild: bundled content, web-streams gzip, no brotli; published and state stores in memory
 * (on the edge, R2 I/O is wall time, not CPU time). Module loads are timed in plain Node children
 * (no tsx hooks), median of 5:
 *   startup module   dist/worker.js, if built (npm run build:worker): every cold start pays it;
 *   pipeline module  evaluated by `await import()` inside the first scheduled run of an isolate,
 *                    so it counts toward that invocation's CPU time.
 * Then three runs:
 *   cold/empty  fresh process, no state: the very first cron run after deploying;
 *   cold/state  fresh process, state from a previous run: a cron run landing on a new isolate;
 *   warm        the same isolate again, nothing changed (the common case every 15 minutes).
 * Must not: be used as a benchmark of anything else (one corpus, one machine).
 */

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { WorkerPipeline } from '../src/entry/worker.ts';

const ROOT = join(import.meta.dirname, '..');
const PIPELINE_MODULE = join(ROOT, 'src/entry/generated/worker-pipeline.mjs');
const STARTUP_MODULE = join(ROOT, 'dist/worker.js');

type Dump = Record<string, Record<string, string>>;

const cpuMs = (start: NodeJS.CpuUsage): number => {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
};

async function phase(mode: 'seed' | 'measure', dumpFile: string, runs: number): Promise<void> {
  const { runEdgeBuild } = (await import(pathToFileURL(PIPELINE_MODULE).href)) as WorkerPipeline;
  const { createMemoryStorage } = await import('../src/drivers/storage/memory.ts');
  const { CONTENT_BUNDLE } = await import('../src/entry/generated/content-bundle.ts');
  const { configFromWorkerVars, siteInfoFromConfig } = await import('../src/entry/worker-config.ts');

  const stores = { published: createMemoryStorage(), state: createMemoryStorage() };
  if (mode === 'measure') {
    const dump = JSON.parse(readFileSync(dumpFile, 'utf8')) as Dump;
    for (const [name, store] of Object.entries(stores)) {
      for (const [key, base64] of Object.entries(dump[name] ?? {})) {
        await store.put(key, new Uint8Array(Buffer.from(base64, 'base64')));
      }
    }
  }
  const config = configFromWorkerVars({ SITE_URL: 'https://kiosque.example' });
  const silent = { debug() {}, info() {}, warn() {}, error() {} };
  const input = {
    ...stores,
    clock: { now: () => new Date() },
    logger: silent,
    options: { site: siteInfoFromConfig(config), feedSize: config.feedSize },
  };
  const timings: number[] = [];
  for (let i = 0; i < (mode === 'seed' ? 1 : runs); i++) {
    const start = process.cpuUsage();
    const report = await runEdgeBuild(input);
    timings.push(cpuMs(start));
    if (!report.ok) throw new Error(`run failed: ${report.error}`);
  }
  if (mode === 'seed') {
    const dump: Dump = {};
    for (const [name, store] of Object.entries(stores)) {
      dump[name] = {};
      for (const key of await store.list('')) {
        dump[name][key] = Buffer.from((await store.get(key))?.body ?? []).toString('base64');
      }
    }
    writeFileSync(dumpFile, JSON.stringify(dump));
  }
  process.stdout.write(`${JSON.stringify({ mode, timings, files: CONTENT_BUNDLE.length })}\n`);
}

/** CPU ms to load and evaluate one built module in a plain Node process (median of `times`). */
function moduleLoadMs(file: string, times = 5): number {
  const code = [
    'const start = process.cpuUsage();',
    `await import(${JSON.stringify(pathToFileURL(file).href)});`,
    'const used = process.cpuUsage(start);',
    'process.stdout.write(String((used.user + used.system) / 1000));',
  ].join('\n');
  const samples: number[] = [];
  for (let i = 0; i < times; i++) {
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`loading ${file} failed:\n${result.stderr}`);
    samples.push(Number(result.stdout));
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)] ?? Number.NaN;
}

function child(mode: string, dumpFile: string, runs: number): { timings: number[]; files: number } {
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', import.meta.filename, '--phase', mode, dumpFile, String(runs)],
    { encoding: 'utf8' },
  );
  if (result.status !== 0) throw new Error(`${mode} phase failed:\n${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').pop() ?? '{}');
}

const argv = process.argv.slice(2);
if (argv[0] === '--phase') {
  await phase(argv[1] === 'seed' ? 'seed' : 'measure', argv[2] ?? '', Number(argv[3] ?? 1));
} else {
  const runs = argv[0] === '--runs' ? Math.max(2, Number(argv[1])) : 10;
  const dumpFile = join(tmpdir(), `kiosque-cpu-${process.pid}.json`);
  // The module the Worker uploads, from the current sources (written only when it changed).
  execFileSync(process.execPath, [join(ROOT, 'scripts/build-worker-pipeline.mjs')], { stdio: 'ignore' });
  try {
    const startupMs = existsSync(STARTUP_MODULE) ? moduleLoadMs(STARTUP_MODULE) : Number.NaN;
    const pipelineMs = moduleLoadMs(PIPELINE_MODULE);
    const seed = child('seed', dumpFile, 1);
    const measured = child('measure', dumpFile, runs);
    const warm = measured.timings.slice(1).sort((a, b) => a - b);
    const median = warm[Math.floor(warm.length / 2)] ?? Number.NaN;
    const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
    const cold = measured.timings[0] ?? Number.NaN;
    console.log(`corpus: ${seed.files} bundled files`);
    console.log(
      `startup module load (dist/worker.js, every cold start): ${Number.isNaN(startupMs) ? 'not built (npm run build:worker)' : fmt(startupMs)}`,
    );
    console.log(`pipeline module load (first scheduled run of an isolate): ${fmt(pipelineMs)}`);
    console.log(
      `scheduled run, cold isolate, empty state:      ${fmt(seed.timings[0] ?? Number.NaN)} + module load`,
    );
    console.log(
      `scheduled run, cold isolate, existing state:   ${fmt(cold)} + module load = ${fmt(cold + pipelineMs)}`,
    );
    console.log(`scheduled run, warm isolate, nothing changed:  ${fmt(median)} (median of ${warm.length})`);
  } finally {
    rmSync(dumpFile, { force: true });
  }
}
