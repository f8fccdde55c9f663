#!/usr/bin/env node
/**
 * `npm test`: the Node suite (`npm run test:node`), then the Worker suite inside workerd
 * (`npm run test:worker`), the second even when the first fails, then ONE summary of both
 * (files and tests passed / failed / skipped per suite), then each failed test with the first
 * lines of its error, last, so a log cut to its tail still names it. Exit status: 0 only when
 * both passed.
 *
 * Each suite runs through its own npm script, so what `test:node` and `test:worker` say stays the
 * one definition; this script only adds vitest's JSON reporter (beside the default one) to count
 * the results. Arguments are passed to both suites (`npm test -- -t stable`); a filter that
 * matches no file of one suite does not fail it. Plain Node, no dependency. See docs/testing.md.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SUITES = [
  { name: 'node', script: 'test:node' },
  { name: 'worker', script: 'test:worker' },
];

const args = process.argv.slice(2);
const work = mkdtempSync(join(tmpdir(), 'kiosque-test-all-'));

/** npm as the running `npm test` invoked it, else the npm on PATH. */
function npm(scriptArgs) {
  const cli = process.env.npm_execpath;
  if (cli && /\.c?js$/.test(cli))
    return spawnSync(process.execPath, [cli, ...scriptArgs], { stdio: 'inherit' });
  return spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', scriptArgs, {
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
}

/** The failed tests of a report: file, full name and the first lines of the first failure. */
function failures(report) {
  const out = [];
  for (const file of report.testResults ?? []) {
    const failedTests = (file.assertionResults ?? []).filter((a) => a.status === 'failed');
    if (file.status === 'failed' && failedTests.length === 0)
      out.push({ file: file.name, name: '(the file failed to run)', message: file.message ?? '' });
    for (const a of failedTests)
      out.push({ file: file.name, name: a.fullName ?? a.title, message: a.failureMessages?.[0] ?? '' });
  }
  return out;
}

/** Counts from vitest's JSON report (Jest's shape): files and tests by outcome. */
function count(report) {
  const files = { passed: 0, failed: 0, skipped: 0 };
  const tests = { passed: 0, failed: 0, skipped: 0 };
  for (const file of report.testResults ?? []) {
    const outcomes = (file.assertionResults ?? []).map((a) => a.status);
    for (const status of outcomes) {
      if (status === 'passed') tests.passed++;
      else if (status === 'failed') tests.failed++;
      else tests.skipped++; // skipped, pending, todo, disabled
    }
    if (file.status === 'failed' || outcomes.includes('failed')) files.failed++;
    else if (outcomes.length > 0 && outcomes.every((s) => s !== 'passed')) files.skipped++;
    else files.passed++;
  }
  return { files, tests };
}

const results = [];
for (const suite of SUITES) {
  const output = join(work, `${suite.name}.json`);
  console.log(`\n== npm run ${suite.script}`);
  const started = Date.now();
  const run = npm([
    'run',
    suite.script,
    '--',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${output}`,
    ...(args.length > 0 ? ['--passWithNoTests', ...args] : []),
  ]);
  const seconds = Math.round((Date.now() - started) / 1000);
  const code = run.status ?? 1;
  let counts = null;
  let failed = [];
  try {
    const report = JSON.parse(readFileSync(output, 'utf8'));
    counts = count(report);
    failed = failures(report);
  } catch {
    // No report: the suite could not start (config error, workerd missing); its exit code says so.
  }
  results.push({ ...suite, code, seconds, counts, failed, signal: run.signal, error: run.error });
}
rmSync(work, { recursive: true, force: true });

const line = (c) => `${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped`;
console.log('\n== npm test summary');
for (const r of results) {
  const what = r.counts
    ? `files ${line(r.counts.files)} | tests ${line(r.counts.tests)}`
    : `no results (${r.error ? r.error.message : r.signal ? `killed by ${r.signal}` : 'the suite did not report'})`;
  console.log(
    `${r.code === 0 ? 'PASS' : 'FAIL'} ${r.name.padEnd(6)} ${what} | exit ${r.code} | ${r.seconds} s`,
  );
}
// The failures again, last, so a log that keeps only its tail (a CI page) still names them.
const cwd = `${process.cwd()}/`;
for (const r of results) {
  for (const f of r.failed) {
    const where = f.file.startsWith(cwd) ? f.file.slice(cwd.length) : f.file;
    const first = f.message
      .split('\n')
      .filter((l) => l.trim() !== '')
      .slice(0, 6);
    console.log(`  ✗ [${r.name}] ${where} > ${f.name}`);
    for (const l of first) console.log(`      ${l.slice(0, 300)}`);
  }
}
const failed = results.filter((r) => r.code !== 0).map((r) => r.name);
console.log(failed.length === 0 ? 'npm test: both suites passed' : `npm test: FAILED (${failed.join(', ')})`);
process.exitCode = failed.length === 0 ? 0 : 1;
