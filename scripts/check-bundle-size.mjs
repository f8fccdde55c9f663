#!/usr/bin/env node
// Worker bundle budget: the modules `wrangler deploy --dry-run --outdir dist` wrote → each one's raw
// and gzipped size, how it is loaded, a per-package breakdown, and exit 1 when the STARTUP size is
// over budget.
//
//   node scripts/check-bundle-size.mjs [--dir dist] [--budget-kib 150] [--top 25] [--base-dir src/entry]
//
// The Worker is uploaded as several ES modules (wrangler.toml `find_additional_modules`): the main
// module (the top-level .js wrangler bundled from `main`) and modules it reaches. A module the main
// one imports statically is parsed and evaluated on every cold start, so it counts toward the
// startup size with the main module; a module reached only through `import()` is loaded when that
// code runs (the pipeline, on the first cron run of an isolate) and is reported, not budgeted.
// The total (what is uploaded) is reported too. Sizes are gzip level 9 of each module on its own;
// Cloudflare's limits apply to the compressed upload (Free 3 MiB, Paid 10 MiB), our budget is far
// tighter to keep cold starts fast.
//
// The breakdown attributes every output byte to its source through the module's source map (in
// dist, or next to the module's source under --base-dir when wrangler did not copy the map) and
// gzips each package's bytes on their own, so the parts add up to a bit more than the whole.
// Must not: build (run wrangler first) or need anything beyond Node's standard library.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { gzipSync } from 'node:zlib';

const DEFAULT_BUDGET_KIB = 150;

function parseArgs(argv) {
  const args = { dir: 'dist', budgetKib: DEFAULT_BUDGET_KIB, top: 25, baseDir: 'src/entry' };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (flag === '--dir' && value) args.dir = argv[++i];
    else if (flag === '--budget-kib' && value) args.budgetKib = Number(argv[++i]);
    else if (flag === '--top' && value) args.top = Number(argv[++i]);
    else if (flag === '--base-dir' && value) args.baseDir = argv[++i];
    else {
      console.error(
        `usage: check-bundle-size [--dir dist] [--budget-kib 150] [--top 25] [--base-dir src/entry]; got ${flag}`,
      );
      process.exit(2);
    }
  }
  if (!Number.isFinite(args.budgetKib) || args.budgetKib <= 0) {
    console.error(`--budget-kib must be a positive number, got ${args.budgetKib}`);
    process.exit(2);
  }
  return args;
}

const gzipSize = (text) => gzipSync(Buffer.from(text), { level: 9 }).byteLength;
const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;

/**
 * node_modules/a/… → a, node_modules/@s/b/… → @s/b, src/core/load/x.ts → src/core/load, and a
 * package's own source-map URL (https://raw.githubusercontent.com/owner/repo/sha/…) → repo.
 */
function groupOf(source) {
  const github = /^https:\/\/raw\.githubusercontent\.com\/[^/]+\/([^/]+)\//.exec(source);
  if (github?.[1]) return github[1];
  const inModules = source.lastIndexOf('node_modules/');
  if (inModules !== -1) {
    const parts = source.slice(inModules + 'node_modules/'.length).split('/');
    return parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1]}` : (parts[0] ?? source);
  }
  const src = source.indexOf('src/');
  if (src !== -1) {
    const parts = source.slice(src).split('/');
    return parts.length > 3 ? parts.slice(0, 3).join('/') : parts.slice(0, -1).join('/') || source;
  }
  return source;
}

/** A map's source, relative to the map's folder → a path relative to the working directory. */
function sourcePath(source, mapDir) {
  if (/^[a-z]+:/i.test(source)) return source;
  return relative(process.cwd(), resolve(mapDir, source)).split(sep).join('/');
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const BASE64_VALUE = new Map([...BASE64].map((ch, i) => [ch, i]));

/** Decodes one source-map segment's VLQ fields. */
function decodeSegment(segment) {
  const values = [];
  let value = 0;
  let shift = 0;
  for (const ch of segment) {
    const digit = BASE64_VALUE.get(ch);
    if (digit === undefined) throw new Error(`bad source map character ${ch}`);
    value += (digit & 31) << shift;
    if (digit & 32) shift += 5;
    else {
      values.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return values;
}

/** Output text grouped by package, through the source map (v3, no index maps). */
function textByGroup(code, map, mapDir) {
  const groups = new Map();
  const add = (group, text) => groups.set(group, (groups.get(group) ?? '') + text);
  const lines = code.split('\n');
  const mapLines = map.mappings.split(';');
  let source = 0;
  for (let l = 0; l < lines.length; l++) {
    const line = lines[l] ?? '';
    let column = 0;
    let lastColumn = 0;
    let lastGroup = '(unmapped)';
    for (const segment of (mapLines[l] ?? '').split(',')) {
      if (segment === '') continue;
      const fields = decodeSegment(segment);
      column += fields[0] ?? 0;
      add(lastGroup, line.slice(lastColumn, column));
      lastColumn = column;
      if (fields.length >= 4) {
        source += fields[1] ?? 0;
        lastGroup = groupOf(sourcePath(map.sources[source] ?? '(unknown)', mapDir));
      } else lastGroup = '(unmapped)';
    }
    add(lastGroup, `${line.slice(lastColumn)}\n`);
  }
  return groups;
}

const MODULE_FILE = /\.(?:m?js|cjs)$/;

/** Every module file under `dir`, as names relative to it (the names the upload uses). */
function moduleNames(dir, prefix = '') {
  const names = [];
  for (const entry of readdirSync(join(dir, prefix), { withFileTypes: true })) {
    const name = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) names.push(...moduleNames(dir, name));
    else if (MODULE_FILE.test(entry.name)) names.push(name);
  }
  return names;
}

/** Relative specifiers a module imports: `static` (import/export … from) and `dynamic` (import()). */
function importsOf(code) {
  const statics = new Set();
  const dynamics = new Set();
  for (const match of code.matchAll(
    /\b(?:import|export)\s*(?:[\w$*\s{},]*?from\s*)?["'](\.{1,2}\/[^"']+)["']/g,
  )) {
    if (match[1]) statics.add(match[1]);
  }
  for (const match of code.matchAll(/\bimport\s*\(\s*["'](\.{1,2}\/[^"']+)["']\s*\)/g)) {
    if (match[1]) dynamics.add(match[1]);
  }
  return { statics, dynamics };
}

/** `./generated/x.mjs` imported from `worker.js` → `generated/x.mjs` (module names are posix paths). */
function resolveName(from, specifier) {
  const parts = from.split('/').slice(0, -1);
  for (const part of specifier.split('/')) {
    if (part === '..') parts.pop();
    else if (part !== '.') parts.push(part);
  }
  return parts.join('/');
}

/** The module's source map: in dist, else next to the identical file under the base dir. */
function mapFor(name, code, args) {
  const inDist = join(args.dir, `${name}.map`);
  if (existsSync(inDist)) return inDist;
  const source = join(args.baseDir, name);
  const besideSource = `${source}.map`;
  if (existsSync(besideSource) && existsSync(source) && readFileSync(source, 'utf8') === code)
    return besideSource;
  return null;
}

function printBreakdown(name, code, args) {
  const mapFile = mapFor(name, code, args);
  if (!mapFile) {
    console.log(`${name}: no source map, no breakdown\n`);
    return;
  }
  const groups = textByGroup(code, JSON.parse(readFileSync(mapFile, 'utf8')), dirname(mapFile));
  const rows = [...groups]
    .map(([group, text]) => ({ group, raw: Buffer.byteLength(text), gzip: gzipSize(text) }))
    .sort((a, b) => b.gzip - a.gzip);
  console.log(`${name}, by part:`);
  console.log(`  ${'part'.padEnd(34)}${'raw'.padStart(12)}${'gzip alone'.padStart(12)}`);
  for (const row of rows.slice(0, args.top)) {
    console.log(`  ${row.group.padEnd(34)}${kib(row.raw).padStart(12)}${kib(row.gzip).padStart(12)}`);
  }
  if (rows.length > args.top) console.log(`  … and ${rows.length - args.top} smaller parts`);
  console.log('');
}

const args = parseArgs(process.argv.slice(2));
if (!existsSync(args.dir)) {
  console.error(`no ${args.dir}: run npm run build:worker first`);
  process.exit(2);
}
const names = moduleNames(args.dir);
// wrangler writes the bundled `main` at the top of the outdir; uploaded extra modules keep their
// paths under base_dir (e.g. generated/worker-pipeline.mjs).
const mains = names.filter((name) => !name.includes('/') && name.endsWith('.js'));
if (mains.length !== 1) {
  console.error(`expected one main module (a top-level .js) in ${args.dir}, found ${mains.length}: ${mains}`);
  process.exit(2);
}
const mainName = mains[0];
const modules = new Map(
  names.map((name) => {
    const code = readFileSync(join(args.dir, name), 'utf8');
    return [name, { code, raw: Buffer.byteLength(code), gzip: gzipSize(code), ...importsOf(code) }];
  }),
);

// Startup = the main module and everything it reaches through static imports.
const startup = new Set([mainName]);
const queue = [mainName];
while (queue.length > 0) {
  const name = queue.shift();
  for (const specifier of modules.get(name)?.statics ?? []) {
    const target = resolveName(name, specifier);
    if (modules.has(target) && !startup.has(target)) {
      startup.add(target);
      queue.push(target);
    }
  }
}
const loadedBy = (target) =>
  [...modules]
    .filter(([name, m]) => [...m.dynamics].some((specifier) => resolveName(name, specifier) === target))
    .map(([name]) => name);

for (const name of [mainName, ...names.filter((n) => n !== mainName)]) {
  printBreakdown(name, modules.get(name).code, args);
}

console.log(`${'module'.padEnd(36)}${'raw'.padStart(12)}${'gzipped'.padStart(12)}  loaded`);
for (const name of [mainName, ...names.filter((n) => n !== mainName)]) {
  const m = modules.get(name);
  let how;
  if (name === mainName) how = 'at startup (main module)';
  else if (startup.has(name)) how = 'at startup (static import)';
  else {
    const by = loadedBy(name);
    how = by.length > 0 ? `lazily, import() from ${by.join(', ')}` : 'never imported by another module';
  }
  console.log(`${name.padEnd(36)}${kib(m.raw).padStart(12)}${kib(m.gzip).padStart(12)}  ${how}`);
}
const sum = (list, key) => list.reduce((total, name) => total + modules.get(name)[key], 0);
const startupGzip = sum([...startup], 'gzip');
const budget = args.budgetKib * 1024;
console.log('');
console.log(
  `total upload: ${modules.size} modules, ${kib(sum(names, 'raw'))} raw, ${kib(sum(names, 'gzip'))} gzipped (each module gzipped alone)`,
);
console.log(
  `startup: ${[...startup].join(' + ')}: ${kib(sum([...startup], 'raw'))} raw, ${kib(startupGzip)} gzipped (budget ${kib(budget)} gzipped)`,
);
if (startupGzip > budget) {
  console.log(`OVER BUDGET by ${kib(startupGzip - budget)}`);
  process.exitCode = 1;
} else console.log('within budget');
