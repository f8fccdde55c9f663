import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { changeArticle, DEFAULT_SEED } from '../scripts/generate-corpus.ts';
import { runBuild } from '../src/entry/node-runtime.ts';
import { benchBuild } from './lib/build-setup.ts';

export interface WatchChildResult {
  readonly ok: boolean;
  readonly error?: string;
  /** The first build in the process (cold code), ms. */
  readonly firstMs: number;
  /** The builds after it, ms, in order. */
  readonly ms: readonly number[];
  /** Documents each measured build rewrote. */
  readonly changedDocuments: readonly number[];
  readonly maxRssMB: number;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      content: { type: 'string' },
      out: { type: 'string' },
      article: { type: 'string' },
      'first-revision': { type: 'string', default: '1' },
      rounds: { type: 'string', default: '5' },
    },
  });
  if (!values.content || !values.out || values.article === undefined) {
    throw new Error('--content DIR, --out DIR and --article N are required');
  }
  const content = resolve(values.content);
  const outDir = resolve(values.out);
  const article = Number(values.article);
  const firstRevision = Number(values['first-revision']);
  const rounds = Number(values.rounds);
  if (![article, firstRevision, rounds].every((n) => Number.isInteger(n) && n >= 0) || rounds < 1) {
    throw new Error('--article, --first-revision and --rounds must be whole numbers (rounds ≥ 1)');
  }
  const { config, deps } = benchBuild(content, outDir);
  const times: number[] = [];
  const documents: number[] = [];
  let firstMs = 0;
  for (let round = 0; round <= rounds; round++) {
    const key = await changeArticle({
      seed: DEFAULT_SEED,
      dir: content,
      index: article,
      revision: firstRevision + round,
    });
    const started = performance.now();
    const report = await runBuild(config, deps, { changedKeys: [key] });
    const ms = performance.now() - started;
    if (!report.ok) throw new Error(`build failed: ${report.error ?? 'unknown'}`);
    if (round === 0) {
      firstMs = ms;
      continue;
    }
    times.push(ms);
    documents.push(report.changedDocuments.length);
  }
  const result: WatchChildResult = {
    ok: true,
    firstMs,
    ms: times,
    changedDocuments: documents,
    maxRssMB: process.resourceUsage().maxRSS / 1024,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((error: unknown) => {
  const result: WatchChildResult = {
    ok: false,
    error: (error as Error).message,
    firstMs: 0,
    ms: [],
    changedDocuments: [],
    maxRssMB: 0,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exitCode = 1;
});
