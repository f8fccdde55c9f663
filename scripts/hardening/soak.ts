/**
 * Full soak (issue 8, point 5): 60 s of saturation on /feed.xml while a regeneration publishes
 * every second; prints the counts and exits 1 on any error, any body that does not match its
 * ETag, or RSS that keeps growing. The ~5 s CI version is tests/hardening/soak.test.ts.
 *
 * Usage: node --import tsx scripts/hardening/soak.ts [seconds=60] [connections=64]
 * Must not: be imported by src/.
 */
import { runSoak } from './soak-run.ts';

const durationSeconds = Number(process.argv[2] ?? 60);
const connections = Number(process.argv[3] ?? 64);
const result = await runSoak({ durationSeconds, connections, checkers: 8, regenerateEveryMs: 1000 });
process.stdout.write(
  `${JSON.stringify({ ...result, checkedErrors: result.checkedErrors.slice(0, 20), mismatches: result.mismatches.slice(0, 20) }, null, 2)}\n`,
);
/** "Flat": RSS after the run within 64 MB of RSS after warm-up. */
const flat = result.rssMb.end - result.rssMb.afterWarmup < 64;
const ok =
  result.loadErrors === 0 &&
  result.loadNon2xx === 0 &&
  result.checkedErrors.length === 0 &&
  result.mismatches.length === 0 &&
  result.failedRegenerations === 0 &&
  flat;
process.stdout.write(ok ? 'SOAK OK\n' : 'SOAK FAILED\n');
process.exit(ok ? 0 : 1);
