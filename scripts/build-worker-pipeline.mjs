#!/usr/bin/env node
// Build step for the Worker's second module: src/entry/worker-pipeline.ts (regenerate, cleaner,
// parsers, renderers, the bundled content/) → src/entry/generated/worker-pipeline.mjs, one
// minified ES module with a source map next to it. wrangler then uploads it beside the startup
// module (wrangler.toml `find_additional_modules` + `[[rules]]`) and leaves worker.ts's
// `import('./generated/worker-pipeline.mjs')` external, so only `scheduled` loads it.
//
//   node scripts/build-worker-pipeline.mjs [--out FILE]
//
// Run by wrangler.toml's `[build] command` (so `npm run build:worker`, `wrangler dev` and
// `wrangler deploy` rebuild it) and by vitest.workers.config.ts before the workerd tests. The
// output is gitignored: a clean clone regenerates it. Uses the esbuild that the pinned wrangler
// bundles with, with wrangler's own settings (target es2024, workerd/worker/browser conditions),
// so both modules are built the same way.
// Must not: write when nothing changed (wrangler dev watches the file and would rebuild in a loop),
// or bundle anything the fetch path needs (worker.ts keeps that in the startup module).
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, relative, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const ENTRY = join(ROOT, 'src/entry/worker-pipeline.ts');
const DEFAULT_OUT = join(ROOT, 'src/entry/generated/worker-pipeline.mjs');

// wrangler pins its esbuild exactly; resolving it through wrangler keeps the two builds in step.
const requireFromWrangler = createRequire(createRequire(import.meta.url).resolve('wrangler/package.json'));
const esbuild = await import(requireFromWrangler.resolve('esbuild'));

/** Writes `text` to `file` only when it differs, through a rename so readers never see half a file. */
function writeIfChanged(file, text) {
  if (existsSync(file) && readFileSync(file, 'utf8') === text) return false;
  mkdirSync(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, text);
  renameSync(temp, file);
  return true;
}

export async function buildWorkerPipeline(out = DEFAULT_OUT) {
  const result = await esbuild.build({
    entryPoints: [ENTRY],
    outfile: out,
    bundle: true,
    format: 'esm',
    target: 'es2024',
    platform: 'browser',
    conditions: ['workerd', 'worker', 'browser'],
    minify: true,
    sourcemap: 'external',
    define: { 'process.env.NODE_ENV': '"production"' },
    legalComments: 'none',
    write: false,
    logLevel: 'warning',
  });
  let changed = false;
  for (const file of result.outputFiles) {
    const text = file.path.endsWith('.map')
      ? file.text
      : `${file.text}//# sourceMappingURL=${basename(out)}.map\n`;
    changed = writeIfChanged(file.path, text) || changed;
  }
  return { out, changed };
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const args = process.argv.slice(2);
  const outIndex = args.indexOf('--out');
  const out = outIndex === -1 ? DEFAULT_OUT : resolve(args[outIndex + 1] ?? DEFAULT_OUT);
  const { changed } = await buildWorkerPipeline(out);
  console.log(`${relative(ROOT, out)}: ${changed ? 'written' : 'unchanged'}`);
}
