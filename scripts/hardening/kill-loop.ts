/**
 * Full-length crash-safety loop: hundreds of builds SIGKILLed at random points (half by a timer,
 * half right before a random write to public/), each followed by the checks of crash-harness.ts.
 *
 * Usage: node --import tsx scripts/hardening/kill-loop.ts [iterations=300] [seed]
 * Exit code 1 when any check failed. The CI version (20 runs) is tests/hardening/crash-safety.test.ts.
 * Must not: be imported by src/.
 */
import { killLoop } from './crash-harness.ts';

const iterations = Number(process.argv[2] ?? 300);
const seed = Number(process.argv[3] ?? Date.now() % 100_000);
let state = seed >>> 0;
const random = (): number => {
  state = (state * 1664525 + 1013904223) >>> 0;
  return state / 2 ** 32;
};

const started = performance.now();
const result = await killLoop(iterations, random, (line) => process.stdout.write(`${line}\n`));
const summary = {
  iterations,
  seed,
  kills: result.kills,
  completedRuns: result.completedRuns,
  checks: result.checks,
  maxTempFiles: result.maxTempFiles,
  finalTempFiles: result.finalTempFiles,
  problems: result.problems.length,
  seconds: Math.round((performance.now() - started) / 1000),
};
process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
for (const problem of result.problems.slice(0, 50)) process.stdout.write(`PROBLEM ${problem}\n`);
process.exit(result.problems.length === 0 && result.finalTempFiles === 0 ? 0 : 1);
