/**
 * What a settings change costs (issue 19): on a corpus already built with the defaults, one build
 * with other `feedLimits` (a setting few documents read: every document is planned, only the
 * `?limit` variants and the pages that link them are rendered), then one with another `SITE_URL`
 * (every item is normalised again and every document re-rendered: about a full build). Each in
 * a fresh child process, like `kiosque build`; wall time, peak RSS and documents rewritten.
 *
 * Usage: node --import tsx bench/settings-change.ts [--size N] [--keep]
 *        (standalone; a small size is a sanity check, the lead runs the large sizes)
 * Must not: run two builds at once. Tunables: the changed settings below.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_SEED, generateCorpus } from '../scripts/generate-corpus.ts';
import type { BuildChildResult } from './build-child.ts';
import { lastJson, REPO_ROOT, runChild, tsNode } from './lib/child-process.ts';
import { fmt, log, mb, ms, type SectionResult, table } from './lib/report.ts';

const CHANGED_FEED_LIMITS = '10,30';
const CHANGED_SITE_URL = 'https://moved.example/news';
const TIMEOUT_MS = 90 * 60 * 1000;

export interface SettingsChangeResult {
  readonly size: number;
  readonly full: BuildChildResult;
  readonly feedLimits: BuildChildResult;
  readonly siteUrl: BuildChildResult;
}

async function buildOnce(content: string, out: string, flags: readonly string[]): Promise<BuildChildResult> {
  const argv = tsNode(join(REPO_ROOT, 'bench/build-child.ts'), [
    '--content',
    content,
    '--out',
    out,
    ...flags,
  ]);
  const result = await runChild(argv, { timeoutMs: TIMEOUT_MS });
  if (result.timedOut) throw new Error(`did not finish within ${TIMEOUT_MS / 60000} min`);
  const parsed = lastJson<BuildChildResult>(result);
  if (!parsed.ok) throw new Error(`build failed: ${parsed.error ?? 'unknown'}`);
  return parsed;
}

/** Full build with the defaults, then the two settings changes, in order. */
export async function measureSettingsChange(size: number, work: string): Promise<SettingsChangeResult> {
  const content = join(work, `corpus-${size}`);
  const out = join(work, `out-${size}`);
  await generateCorpus({ seed: DEFAULT_SEED, count: size, dir: content });
  const full = await buildOnce(content, out, []);
  log(`settings ${size}: full build ${ms(full.ms)}, ${full.changedDocuments} documents`);
  const feedLimits = await buildOnce(content, out, ['--feed-limits', CHANGED_FEED_LIMITS]);
  log(
    `settings ${size}: feedLimits → [${CHANGED_FEED_LIMITS}] ${ms(feedLimits.ms)}, ${feedLimits.changedDocuments} documents, peak RSS ${mb(feedLimits.maxRssMB)}`,
  );
  const siteUrl = await buildOnce(content, out, [
    '--feed-limits',
    CHANGED_FEED_LIMITS,
    '--site-url',
    CHANGED_SITE_URL,
  ]);
  log(
    `settings ${size}: SITE_URL → ${CHANGED_SITE_URL} ${ms(siteUrl.ms)}, ${siteUrl.changedDocuments} documents, peak RSS ${mb(siteUrl.maxRssMB)}`,
  );
  return { size, full, feedLimits, siteUrl };
}

/** `npm run bench -- --only settings`: the two settings changes at each size, as a report section. */
export async function runSettingsChange(sizes: readonly number[]): Promise<SectionResult> {
  const rows: string[][] = [];
  for (const size of sizes) {
    const work = mkdtempSync(join(tmpdir(), 'kiosque-settings-'));
    try {
      const r = await measureSettingsChange(size, work);
      rows.push([
        fmt(size, 0),
        `${ms(r.full.ms)} (${r.full.changedDocuments} docs)`,
        `${ms(r.feedLimits.ms)} (${r.feedLimits.changedDocuments} docs, ${mb(r.feedLimits.maxRssMB)})`,
        `${ms(r.siteUrl.ms)} (${r.siteUrl.changedDocuments} docs, ${mb(r.siteUrl.maxRssMB)})`,
      ]);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }
  const largest = rows[rows.length - 1];
  return {
    title: 'Settings changes (issue 19)',
    markdown: [
      'A build with the defaults, then one with `feedLimits` changed to ' +
        `[${CHANGED_FEED_LIMITS}] (every document planned, only those reading the setting rendered), ` +
        `then one with another \`SITE_URL\` (every item normalised again, every document re-rendered). ` +
        'Each in a fresh process, as `kiosque build` without `--changed`.',
      '',
      table(['articles', 'full build', 'feedLimits change', 'SITE_URL change'], rows),
    ].join('\n'),
    goals: largest
      ? [
          {
            goal: `settings change at ${largest[0]} articles`,
            target: 'reported',
            measured: `feedLimits ${largest[2]}; SITE_URL ${largest[3]}`,
            pass: 'reported',
          },
        ]
      : [],
    commands: ['node --import tsx bench/settings-change.ts --size N'],
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { size: { type: 'string' }, keep: { type: 'boolean' } } });
  const work = mkdtempSync(join(tmpdir(), 'kiosque-settings-'));
  try {
    const result = await measureSettingsChange(Number(values.size ?? 1000), work);
    process.stdout.write(
      `${JSON.stringify({ size: result.size, fullMs: result.full.ms, feedLimitsMs: result.feedLimits.ms, feedLimitsDocuments: result.feedLimits.changedDocuments, siteUrlMs: result.siteUrl.ms, siteUrlDocuments: result.siteUrl.changedDocuments })}\n`,
    );
  } finally {
    if (!values.keep) rmSync(work, { recursive: true, force: true });
  }
}
