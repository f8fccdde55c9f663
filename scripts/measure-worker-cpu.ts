/**
 * CPU time of the Worker's scheduled run on the bundled seed corpus, measured on Node's V8 (the
 * engine workerd embeds) with process.cpuUsage(): inside workerd, Date.now()/performance.now()
 * only advance on I/O (Spectre mitigation), so CPU cannot be timed there.
 *
 *   node --import tsx scripts/measure-worker-cpu.ts [--runs 10]
 *
 * Same wiring as src/entry/worker.ts: bundled content, web-streams gzip, no brotli; published and
 * state stores in memory (on the edge, R2 I/O is wall time, not CPU time). Three cases:
 *   cold/empty  fresh process, no state: the very first cron run after deploying;
 *   cold/state  fresh process, state from a previous run: a cron run landing on a new isolate;
 *   warm        the same isolate again, nothing changed (the common case every 15 minutes).
 * Must not: be used as a benchmark of anything else (one corpus, one machine).
 */

import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

type Dump = Record<string, Record<string, string>>;

const cpuMs = (start: NodeJS.CpuUsage): number => {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
};

async function phase(mode: 'seed' | 'measure', dumpFile: string, runs: number): Promise<void> {
  const importStart = process.cpuUsage();
  const { regenerate } = await import('../src/core/pipeline/regenerate.ts');
  const { createWebStreamsCompressor } = await import('../src/drivers/compressor/web-streams.ts');
  const { createBundledStorage } = await import('../src/drivers/storage/bundled.ts');
  const { createMemoryStorage } = await import('../src/drivers/storage/memory.ts');
  const { CONTENT_BUNDLE } = await import('../src/entry/generated/content-bundle.ts');
  const { configFromWorkerVars, siteInfoFromConfig } = await import('../src/entry/worker-config.ts');
  const importMs = cpuMs(importStart);

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
  const deps = {
    content: createBundledStorage(CONTENT_BUNDLE),
    ...stores,
    clock: { now: () => new Date() },
    logger: silent,
    compressor: createWebStreamsCompressor(),
  };
  const options = { site: siteInfoFromConfig(config), feedSize: config.feedSize };
  const timings: number[] = [];
  for (let i = 0; i < (mode === 'seed' ? 1 : runs); i++) {
    const start = process.cpuUsage();
    const report = await regenerate(deps, options);
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
  process.stdout.write(`${JSON.stringify({ mode, importMs, timings, files: CONTENT_BUNDLE.length })}\n`);
}

function child(
  mode: string,
  dumpFile: string,
  runs: number,
): { importMs: number; timings: number[]; files: number } {
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
  try {
    const seed = child('seed', dumpFile, 1);
    const measured = child('measure', dumpFile, runs);
    const warm = measured.timings.slice(1).sort((a, b) => a - b);
    const median = warm[Math.floor(warm.length / 2)] ?? Number.NaN;
    const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
    console.log(`corpus: ${seed.files} bundled files`);
    console.log(`module load (startup, not billed to the cron): ${fmt(seed.importMs)}`);
    console.log(`scheduled run, cold isolate, empty state:      ${fmt(seed.timings[0] ?? Number.NaN)}`);
    console.log(`scheduled run, cold isolate, existing state:   ${fmt(measured.timings[0] ?? Number.NaN)}`);
    console.log(`scheduled run, warm isolate, nothing changed:  ${fmt(median)} (median of ${warm.length})`);
  } finally {
    rmSync(dumpFile, { force: true });
  }
}
