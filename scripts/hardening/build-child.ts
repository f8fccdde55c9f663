/**
 * One regeneration in its own process, for the crash-safety loops (kill-loop.ts and
 * tests/hardening/crash-safety.test.ts): `<root>` holds content/, public/ and state/.
 * Edits `content/changing.txt` first (so every run changes bytes), then runs `regenerate`
 * with the fs drivers.
 *
 * Usage: node --import tsx scripts/hardening/build-child.ts <root> <run-number> [kill-at-put]
 * With `kill-at-put` = k the process SIGKILLs itself right before its k-th write to public/
 * (a deterministic "random point during publishing"); without it the parent kills it on a timer.
 * Prints `ready` once imports are done and `done <run> puts=<writes to public/>` after a completed run.
 * KIOSQUE_CRASH_DRIVER=real: public/ keeps the driver's `copy` (hard links) and its default temp
 * rules (no staleTempMs/sweepIntervalMs of 0), as a real deployment runs; used to measure temp
 * files left after kill rounds (issue 24 item 1).
 * Must not: be imported by src/ (test tooling only).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { regenerate } from '../../src/core/orchestrate/regenerate.ts';
import { createNodeCompressor } from '../../src/drivers/compressor/node-zlib.ts';
import { createFsStorage } from '../../src/drivers/storage/fs.ts';
import type { Storage } from '../../src/ports/storage.ts';

const [root, runArg, killArg] = process.argv.slice(2);
if (!root || !runArg) {
  process.stderr.write('usage: build-child.ts <root> <run-number> [kill-at-put]\n');
  process.exit(2);
}
const run = Number(runArg);
const killAtPut = killArg === undefined ? Number.POSITIVE_INFINITY : Number(killArg);

/** Counts writes and SIGKILLs this process before the chosen one. */
let puts = 0;
const real = process.env.KIOSQUE_CRASH_DRIVER === 'real';
function killing(inner: Storage): Storage {
  const copy = inner.copy?.bind(inner);
  return {
    ...(real && copy
      ? {
          async copy(from: string, to: string) {
            puts++;
            if (puts === killAtPut) process.kill(process.pid, 'SIGKILL');
            return copy(from, to);
          },
        }
      : {}),
    get: (key) => inner.get(key),
    list: (prefix) => inner.list(prefix),
    delete: (key) => inner.delete(key),
    async put(key, body) {
      puts++;
      if (puts === killAtPut) process.kill(process.pid, 'SIGKILL');
      await inner.put(key, body);
    },
  };
}

const silent = { debug() {}, info() {}, warn() {}, error() {} };
process.stdout.write('ready\n');
writeFileSync(
  join(root, 'content/changing.txt'),
  `Run ${run} of the crash loop\n\nThis article changes on every run: revision ${run}. ${'Filler sentence for a body long enough to compress. '.repeat(20 + (run % 7))}\n`,
);
const report = await regenerate(
  {
    content: createFsStorage(join(root, 'content')),
    published: killing(
      createFsStorage(join(root, 'public'), real ? {} : { staleTempMs: 0, sweepIntervalMs: 0 }),
    ),
    state: createFsStorage(join(root, 'state')),
    clock: { now: () => new Date(Date.UTC(2026, 0, 1) + run * 60_000) },
    logger: silent,
    compressor: createNodeCompressor(),
  },
  {
    site: {
      title: 'Crash loop',
      description: 'Killed at random',
      baseUrl: 'https://crash.example',
      language: 'en',
      ttlMinutes: 15,
    },
    feedSize: 50,
  },
);
process.stdout.write(report.ok ? `done ${run} puts=${puts}\n` : `failed ${report.error ?? ''}\n`);
