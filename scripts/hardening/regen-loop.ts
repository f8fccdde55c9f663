/**
 * A builder process for the soak: edits `content/soak.txt` and runs `regenerate` (fs drivers)
 * every `everyMs` for `seconds`, publishing into `<root>/public` that another process serves.
 * Prints one JSON line at the end: {"regenerations", "failed", "maxMs"}.
 *
 * Usage: node --import tsx scripts/hardening/regen-loop.ts <root> <seconds> [everyMs=1000]
 * Must not: be imported by src/.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { regenerate } from '../../src/core/orchestrate/regenerate.ts';
import { createNodeCompressor } from '../../src/drivers/compressor/node-zlib.ts';
import { createFsStorage } from '../../src/drivers/storage/fs.ts';

const [root, secondsArg, everyArg] = process.argv.slice(2);
if (!root || !secondsArg) {
  process.stderr.write('usage: regen-loop.ts <root> <seconds> [everyMs]\n');
  process.exit(2);
}
const deadline = Date.now() + Number(secondsArg) * 1000;
const everyMs = Number(everyArg ?? 1000);
const silent = { debug() {}, info() {}, warn() {}, error() {} };
const deps = {
  content: createFsStorage(join(root, 'content')),
  published: createFsStorage(join(root, 'public')),
  state: createFsStorage(join(root, 'state')),
  clock: { now: () => new Date() },
  logger: silent,
  compressor: createNodeCompressor(),
};
const site = {
  title: 'Soak',
  description: 'Under load',
  baseUrl: 'https://soak.example',
  language: 'en',
  ttlMinutes: 1,
};

let run = 0;
let regenerations = 0;
let failed = 0;
let maxMs = 0;
do {
  const started = Date.now();
  run++;
  writeFileSync(
    join(root, 'content/soak.txt'),
    `Soak revision ${run}\n\nThe harbour article changes on every regeneration: revision ${run}. ${'Filler sentence so the body is long enough to be kept. '.repeat(12)}\n`,
  );
  const report = await regenerate(deps, { site, feedSize: 50 });
  if (report.ok) regenerations++;
  else failed++;
  maxMs = Math.max(maxMs, Date.now() - started);
  if (run === 1) process.stdout.write('ready\n');
  await new Promise((r) => setTimeout(r, Math.max(0, everyMs - (Date.now() - started))));
} while (Date.now() < deadline);
process.stdout.write(`${JSON.stringify({ regenerations, failed, maxMs })}\n`);
