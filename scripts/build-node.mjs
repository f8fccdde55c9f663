#!/usr/bin/env node
// Build of the Node runtime: src/ (what src/entry/cli.ts reaches) → lib/, plain ES modules that
// `npm start` and bin/kiosque.mjs run with no TypeScript runner, plus lib/build-inputs.json, the
// record of the inputs they were built from (bin/build-inputs.mjs).
//
//   node scripts/build-node.mjs              build (npm run build:node)
//   node scripts/build-node.mjs --if-stale   build only when lib/ is missing, out of date, or made
//                                            by another compiler version (npm's pretest)
//   node scripts/build-node.mjs --prepare    npm's prepare (npm install, npm ci): --if-stale, and
//                                            when no compiler is installed (npm ci --omit=dev),
//                                            succeed only if lib/ is current
//
// Compiler: tsc from typescript@7 (tsconfig.build.json), with `noCheck` (type errors are
// `npm run typecheck`'s job; with isolatedModules and verbatimModuleSyntax the emit does not
// depend on types) and `rewriteRelativeImportExtensions` (the sources import `./x.ts`). JSON
// modules are emitted by tsc; other files under src/ (none today: a stylesheet or template read
// through import.meta.url would be one) are copied beside the output. src/entry/generated/ holds
// the Worker's build products and is neither compiled nor copied.
//
// lib/ sits one level below the root, like src/, so a module's `new URL('../../package.json',
// import.meta.url)` names the same file from the sources and from the build.
//
// Safe to run concurrently and to interrupt: one build at a time (lib.lock/), each compiles into
// its own lib.building-<pid>/ and swaps it in by renames only when complete, so an interrupted or
// failed build leaves the previous lib/ in place. Sources that change during the compile fail
// the build (the record would otherwise vouch for bytes the output was not made from).
// Must not: write under src/, or be needed at run time.
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import {
  buildState,
  changedInputs,
  describeState,
  digestFile,
  LIB_DIR,
  RECORD_FILE,
  RECORD_SCHEMA,
  ROOT,
  readRecord,
} from '../bin/build-inputs.mjs';

const TSCONFIG = 'tsconfig.build.json';
/** Files outside src/ whose bytes change the output. */
const CONFIG_INPUTS = ['tsconfig.json', TSCONFIG];
/** Worker build products (scripts/build-worker-pipeline.mjs, bundle-content.ts): not the Node runtime's. */
const SKIPPED_SOURCE_DIR = 'src/entry/generated';
const TYPESCRIPT_SOURCE = /\.(?:[mc]?ts|tsx)$/;
/** An output → the source it was compiled from (JSON modules and copied assets keep their name). */
const SOURCE_OF_OUTPUT = [
  [/\.js$/, '.ts'],
  [/\.mjs$/, '.mts'],
  [/\.cjs$/, '.cts'],
];
const LOCK_DIR = `${LIB_DIR}.lock`;
const LOCK_WAIT_MS = 120_000;

/** A build that did not happen, with the reason; lib/ is left as it was. */
class BuildError extends Error {}

function parseArgs(argv) {
  const args = { ifStale: false, prepare: false };
  for (const flag of argv) {
    if (flag === '--if-stale') args.ifStale = true;
    else if (flag === '--prepare') args.prepare = args.ifStale = true;
    else {
      console.error(`usage: build-node [--if-stale | --prepare]; got ${flag}`);
      process.exit(2);
    }
  }
  return args;
}

/** The installed tsc: its version and script, or null (a production install has none). */
function findCompiler() {
  const require = createRequire(join(ROOT, 'package.json'));
  let manifestPath;
  try {
    manifestPath = require.resolve('typescript/package.json');
  } catch {
    return null;
  }
  const manifest = require(manifestPath);
  return { version: manifest.version, bin: join(dirname(manifestPath), manifest.bin.tsc) };
}

/** Every file under `dir` (relative to ROOT, posix separators), skipping SKIPPED_SOURCE_DIR. */
function filesUnder(dir) {
  const files = [];
  for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) {
      if (path !== SKIPPED_SOURCE_DIR) files.push(...filesUnder(path));
    } else if (entry.isFile()) files.push(path);
  }
  return files;
}

/** path → { size, mtimeMs, sha256 }, stat taken before the bytes are hashed. */
function snapshot(paths) {
  const inputs = new Map();
  for (const path of paths) {
    const file = join(ROOT, path);
    const { size, mtimeMs } = statSync(file);
    inputs.set(path, { size, mtimeMs, sha256: digestFile(file) });
  }
  return inputs;
}

function sleep(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/** Takes lib.lock/ (mkdir is atomic), waiting for a running build; a dead builder's lock is taken over. */
function lock() {
  const dir = join(ROOT, LOCK_DIR);
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      mkdirSync(dir);
      writeFileSync(join(dir, 'pid'), String(process.pid));
      return () => rmSync(dir, { recursive: true, force: true });
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
    }
    let owner = Number.NaN;
    try {
      owner = Number(readFileSync(join(dir, 'pid'), 'utf8'));
    } catch {}
    // A lock without a pid yet is a builder between mkdir and write: wait for it.
    if (Number.isInteger(owner) && owner > 0 && !isAlive(owner)) {
      rmSync(dir, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new BuildError(`${LOCK_DIR}/ held by process ${owner} for over ${LOCK_WAIT_MS / 1000} s`);
    }
    sleep(100);
  }
}

/** The output file (relative to the output folder) → the source path it came from. */
function sourceOf(output) {
  for (const [pattern, extension] of SOURCE_OF_OUTPUT) {
    if (pattern.test(output)) return `src/${output.replace(pattern, extension)}`;
  }
  return `src/${output}`;
}

/** Compiles into a fresh folder, copies assets, writes the record, swaps the folder in. */
function build(compiler) {
  const started = Date.now();
  // Before the first byte is read: the record's racy-file rule is relative to this moment.
  const hashedAt = started;
  const sources = filesUnder('src');
  const before = snapshot([...sources, ...CONFIG_INPUTS]);
  // Under the lock no other build is running: folders of one that was killed are leftovers.
  for (const name of readdirSync(ROOT)) {
    if (name.startsWith(`${LIB_DIR}.building-`) || name.startsWith(`${LIB_DIR}.old-`))
      rmSync(join(ROOT, name), { recursive: true, force: true });
  }
  const staging = `${LIB_DIR}.building-${process.pid}`;
  const stagingDir = join(ROOT, staging);
  const compiled = spawnSync(process.execPath, [compiler.bin, '-p', TSCONFIG, '--outDir', staging], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  try {
    if (compiled.status !== 0) {
      throw new BuildError(`tsc failed (${compiled.error?.message ?? `exit ${compiled.status}`})`);
    }
    finish(compiler, { started, hashedAt, sources, before, staging });
  } finally {
    rmSync(stagingDir, { recursive: true, force: true });
  }
}

/** Copies the assets, writes the record and swaps the staging folder in as lib/. */
function finish(compiler, { started, hashedAt, sources, before, staging }) {
  const stagingDir = join(ROOT, staging);
  const emitted = filesUnder(staging).map((path) => path.slice(staging.length + 1));
  // Everything under src/ that is not TypeScript: JSON modules tsc emitted are there already.
  const assets = sources.filter((path) => !TYPESCRIPT_SOURCE.test(path));
  for (const asset of assets) {
    const target = join(stagingDir, asset.slice('src/'.length));
    if (existsSync(target)) continue;
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(join(ROOT, asset), target);
  }
  const inputs = new Set([...CONFIG_INPUTS, ...assets]);
  for (const output of emitted) {
    if (output.endsWith('.map')) continue;
    const source = sourceOf(output);
    if (!before.has(source)) throw new BuildError(`${staging}/${output} has no source at ${source}`);
    inputs.add(source);
  }
  const record = {
    schema: RECORD_SCHEMA,
    compiler: `typescript@${compiler.version}`,
    builtAt: new Date().toISOString(),
    hashedAt,
    inputs: Object.fromEntries([...inputs].sort().map((path) => [path, before.get(path)])),
  };
  const changed = changedInputs(record);
  if (changed.length > 0)
    throw new BuildError(`${changed.join(', ')} changed during the build; run it again`);
  writeFileSync(join(stagingDir, RECORD_FILE), `${JSON.stringify(record, null, 2)}\n`);
  const libDir = join(ROOT, LIB_DIR);
  const retired = join(ROOT, `${LIB_DIR}.old-${process.pid}`);
  if (existsSync(libDir)) renameSync(libDir, retired);
  renameSync(stagingDir, libDir);
  rmSync(retired, { recursive: true, force: true });
  console.log(
    `build-node: ${LIB_DIR}/ built from ${inputs.size - CONFIG_INPUTS.length} files of src/ (${assets.length} copied as they are) with typescript@${compiler.version} in ${Date.now() - started} ms`,
  );
}

const args = parseArgs(process.argv.slice(2));
const compiler = findCompiler();
if (compiler === null) {
  const state = buildState();
  if (args.prepare && state.kind === 'current') {
    console.log(`build-node: ${LIB_DIR}/ is up to date; no compiler needed`);
    process.exit(0);
  }
  console.error(
    `build-node: this install has no TypeScript compiler (npm ci --omit=dev?) and ${state.kind === 'current' ? `${LIB_DIR}/ cannot be rebuilt` : describeState(state)}.\nInstall with the dev dependencies (npm ci builds ${LIB_DIR}/), then remove them with npm prune --omit=dev; or build ${LIB_DIR}/ elsewhere and ship it with the checkout. See docs/deploy-node.md.`,
  );
  process.exit(1);
}
try {
  const unlock = lock();
  try {
    const current =
      args.ifStale &&
      buildState().kind === 'current' &&
      readRecord()?.compiler === `typescript@${compiler.version}`;
    if (current) console.log(`build-node: ${LIB_DIR}/ is up to date`);
    else build(compiler);
  } finally {
    unlock();
  }
} catch (error) {
  if (!(error instanceof BuildError)) throw error;
  console.error(`build-node: ${error.message}; ${LIB_DIR}/ unchanged`);
  process.exitCode = 1;
}
