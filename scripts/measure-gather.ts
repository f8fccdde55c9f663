/**
 * Measures the input half of a regeneration (gatherDocuments) on a generated corpus: time and peak
 * RSS of one gather in this process, consuming `changed()` and dropping each document, then
 * committing the indexes. Run each mode in its own process so peak RSS is that mode's alone.
 *
 *   node --import tsx scripts/generate-corpus.ts --count 100000 --dir /tmp/k100k/content
 *   node --import tsx scripts/measure-gather.ts --content /tmp/k100k/content --state /tmp/k100k/gather-state --mode first
 *   node --import tsx scripts/measure-gather.ts ... --mode rescan      # stat scan, nothing changed
 *   node --import tsx scripts/measure-gather.ts ... --mode hint [--index 123] [--repeat 3]
 *     (edits one article and hints its key; --repeat runs that many edits in one process, so the
 *     later lines show a warm process, as in the server's watcher)
 * Every hint run leaves the article at a new revision: run with --mode restore to put it back.
 *
 * Prints one JSON line. Must not: measure anything but the gather (no normalise/render/publish).
 */
import { rm } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { gatherDocuments } from '../src/core/sources/gather-documents.ts';
import { createFsStorage } from '../src/drivers/storage/fs.ts';
import { changeArticle, DEFAULT_SEED } from './generate-corpus.ts';

const { values } = parseArgs({
  options: {
    content: { type: 'string' },
    state: { type: 'string' },
    mode: { type: 'string', default: 'first' },
    index: { type: 'string', default: '4242' },
    revision: { type: 'string' },
    repeat: { type: 'string', default: '1' },
  },
});
if (!values.content || !values.state) throw new Error('--content DIR and --state DIR are required');
const mode = values.mode;
const contentDir = values.content;
const stateDir = values.state;
if (mode === 'first') await rm(stateDir, { recursive: true, force: true });
const logger = { debug() {}, info() {}, warn() {}, error() {} };
const deps = {
  content: createFsStorage(contentDir),
  state: createFsStorage(stateDir),
  clock: { now: () => new Date() },
  logger,
};

async function once(revision: number): Promise<void> {
  let changedKeys: string[] | undefined;
  if (mode === 'hint' || mode === 'restore') {
    const key = await changeArticle({
      seed: DEFAULT_SEED,
      dir: contentDir,
      index: Number(values.index),
      revision,
    });
    changedKeys = [key];
  }
  const started = performance.now();
  const gathered = await gatherDocuments(deps, {
    defaultLanguage: 'fr',
    ...(changedKeys ? { changedKeys } : {}),
  });
  const collected = performance.now();
  let yielded = 0;
  for await (const doc of gathered.changed()) if (doc) yielded++;
  const cleaned = performance.now();
  await gathered.commit();
  const committed = performance.now();
  console.log(
    JSON.stringify({
      mode,
      complete: gathered.complete,
      yielded,
      removed: gathered.removed.length,
      failures: gathered.failures.length,
      clean: gathered.clean,
      collectMs: Math.round(collected - started),
      cleanMs: Math.round(cleaned - collected),
      commitMs: Math.round(committed - cleaned),
      totalMs: Math.round(committed - started),
      peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    }),
  );
}

const repeat = mode === 'hint' ? Number(values.repeat) : 1;
const base = Number(values.revision ?? 1 + (Date.now() % 1000) * 10);
for (let i = 0; i < repeat; i++) await once(mode === 'restore' ? 0 : base + i);
