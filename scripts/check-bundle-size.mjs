#!/usr/bin/env node
// Worker bundle budget: dist/worker.js (from `wrangler deploy --dry-run --outdir dist`) → its raw
// and gzipped size, a per-package breakdown, and exit 1 when the gzipped size is over budget.
//
//   node scripts/check-bundle-size.mjs [--dir dist] [--budget-kib 150] [--top 25]
//
// The breakdown attributes every output byte to its source through worker.js.map and gzips each
// package's bytes on their own (so the parts add up to a bit more than the whole: gzip shares
// its dictionary across modules). Cloudflare compresses uploads with gzip too; its limits apply
// to that figure (Free 3 MiB, Paid 10 MiB), our budget is far tighter to keep cold starts fast.
// Must not: build (run wrangler first) or need anything beyond Node's standard library.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const DEFAULT_BUDGET_KIB = 150;

function parseArgs(argv) {
  const args = { dir: 'dist', budgetKib: DEFAULT_BUDGET_KIB, top: 25 };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (flag === '--dir' && value) args.dir = argv[++i];
    else if (flag === '--budget-kib' && value) args.budgetKib = Number(argv[++i]);
    else if (flag === '--top' && value) args.top = Number(argv[++i]);
    else {
      console.error(`usage: check-bundle-size [--dir dist] [--budget-kib 150] [--top 25]; got ${flag}`);
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
function textByGroup(code, map) {
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
        lastGroup = groupOf(map.sources[source] ?? '(unknown)');
      } else lastGroup = '(unmapped)';
    }
    add(lastGroup, `${line.slice(lastColumn)}\n`);
  }
  return groups;
}

const args = parseArgs(process.argv.slice(2));
const script = readdirSync(args.dir).find((name) => name.endsWith('.js'));
if (!script) {
  console.error(`no .js bundle in ${args.dir}: run npm run build:worker first`);
  process.exit(2);
}
const code = readFileSync(join(args.dir, script), 'utf8');
const raw = Buffer.byteLength(code);
const gzipped = gzipSize(code);
const budget = args.budgetKib * 1024;

const mapFile = join(args.dir, `${script}.map`);
if (existsSync(mapFile)) {
  const groups = textByGroup(code, JSON.parse(readFileSync(mapFile, 'utf8')));
  const rows = [...groups]
    .map(([group, text]) => ({ group, raw: Buffer.byteLength(text), gzip: gzipSize(text) }))
    .sort((a, b) => b.gzip - a.gzip);
  console.log(`${'part'.padEnd(34)}${'raw'.padStart(12)}${'gzip alone'.padStart(12)}`);
  for (const row of rows.slice(0, args.top)) {
    console.log(`${row.group.padEnd(34)}${kib(row.raw).padStart(12)}${kib(row.gzip).padStart(12)}`);
  }
  if (rows.length > args.top) console.log(`… and ${rows.length - args.top} smaller parts`);
  console.log('');
}
console.log(`${script}: ${kib(raw)} raw, ${kib(gzipped)} gzipped (budget ${kib(budget)} gzipped)`);
if (gzipped > budget) {
  console.log(`OVER BUDGET by ${kib(gzipped - budget)}`);
  process.exitCode = 1;
} else console.log('within budget');
