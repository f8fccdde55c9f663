/**
 * One kiosque build in its own process, the way `kiosque build` runs it (Node drivers: fs storage,
 * node:zlib, system clock), with a silent logger. Prints one JSON line: the build's wall time
 * (measured around `runBuild`, module loading excluded), the process's peak RSS and CPU time
 * (CPU includes the libuv threads that compress), and the build report's counts.
 *
 * Usage: node --import tsx bench/build-child.ts --content DIR --out DIR [--changed KEY]…
 *        (`--changed`: the content keys that changed, as `kiosque build --changed` passes them;
 *        `--site-url URL`, `--feed-limits 10,30`: settings other than the defaults)
 *        node --import tsx bench/build-child.ts --noop   (baseline: modules loaded, no build)
 *
 * Must not: print anything else on stdout (the parent parses the last line).
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runBuild } from '../src/entry/node-runtime.ts';
import { benchBuild } from './lib/build-setup.ts';

export interface BuildChildResult {
  readonly ok: boolean;
  readonly error?: string;
  /** Wall time of runBuild. */
  readonly ms: number;
  /**
   * From the process's start to the build's (Node start-up, module loading: tsx here, the built
   * lib/ for `kiosque build`): what a fresh process pays whatever changed; not part of `ms`.
   */
  readonly startupMs: number;
  readonly maxRssMB: number;
  readonly heapUsedMB: number;
  readonly userCpuMs: number;
  readonly systemCpuMs: number;
  readonly items: number;
  readonly added: number;
  readonly updated: number;
  readonly unchanged: number;
  readonly failed: number;
  readonly changedDocuments: number;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      content: { type: 'string' },
      out: { type: 'string' },
      noop: { type: 'boolean' },
      changed: { type: 'string', multiple: true },
      'site-url': { type: 'string' },
      'feed-limits': { type: 'string' },
    },
  });
  const usage = (): BuildChildResult => {
    const ru = process.resourceUsage();
    return {
      ok: true,
      ms: 0,
      startupMs: performance.now(),
      maxRssMB: ru.maxRSS / 1024,
      heapUsedMB: process.memoryUsage().heapUsed / 2 ** 20,
      userCpuMs: ru.userCPUTime / 1000,
      systemCpuMs: ru.systemCPUTime / 1000,
      items: 0,
      added: 0,
      updated: 0,
      unchanged: 0,
      failed: 0,
      changedDocuments: 0,
    };
  };
  if (values.noop) {
    process.stdout.write(`${JSON.stringify(usage())}\n`);
    return;
  }
  if (!values.content || !values.out) throw new Error('--content DIR and --out DIR are required');
  const outDir = resolve(values.out);
  mkdirSync(outDir, { recursive: true });
  // Settings changed from the defaults: what a settings change costs (bench/settings-change.ts).
  const { config: base } = benchBuild(resolve(values.content), outDir);
  const { config, deps } = benchBuild(resolve(values.content), outDir, {
    ...(values['site-url'] ? { site: { ...base.site, baseUrl: values['site-url'] } } : {}),
    ...(values['feed-limits'] ? { feedLimits: values['feed-limits'].split(',').map(Number) } : {}),
  });
  const started = performance.now();
  const startupMs = started;
  const report = await runBuild(config, deps, values.changed ? { changedKeys: values.changed } : {});
  const ms = performance.now() - started;
  const result: BuildChildResult = {
    ...usage(),
    ok: report.ok,
    ...(report.error ? { error: report.error } : {}),
    ms,
    startupMs,
    items: report.itemCount,
    added: report.added.length,
    updated: report.updated.length,
    unchanged: report.unchanged,
    failed: report.failed.length,
    changedDocuments: report.changedDocuments.length,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`build-child: ${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});
