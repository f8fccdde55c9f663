/**
 * `--cpu-prof` runs of a full build and an incremental build (one changed article), and a
 * summary of each profile: self time by function and by source file, and the share of wall time
 * the main thread spent idle (waiting on the filesystem or the zlib threads).
 * Profiles are written under the OS temp dir and never into the repository.
 *
 * Must not: keep the corpus around after the run.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { changeArticle, DEFAULT_SEED, generateCorpus } from '../scripts/generate-corpus.ts';
import type { BuildChildResult } from './build-child.ts';
import { REPO_ROOT, shellLine } from './lib/child-process.ts';
import { fmt, log, mb, ms, type SectionResult, table } from './lib/report.ts';
import { buildArgv, runBuildChild } from './regen.ts';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
  readonly startTime: number;
  readonly endTime: number;
}

export interface ProfileSummary {
  readonly totalMs: number;
  readonly byFunction: readonly { name: string; ms: number; share: number }[];
  readonly byFile: readonly { name: string; ms: number; share: number }[];
}

/** Repo-relative for our files, package name for dependencies, `node:x` for Node internals. */
function shortUrl(url: string): string {
  if (!url) return '(native)';
  const clean = url.replace(/^file:\/\//, '');
  const nm = clean.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const parts = clean.slice(nm + 14).split('/');
    return `npm:${parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]}`;
  }
  if (clean.startsWith(`${REPO_ROOT}/`)) return clean.slice(REPO_ROOT.length + 1);
  return clean;
}

export function summariseProfile(profile: CpuProfile, top = 15): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const fn = new Map<string, number>();
  const file = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const dt = (profile.timeDeltas[i] ?? 0) / 1000;
    const node = byId.get(id);
    if (!node) return;
    total += dt;
    const { functionName, url, lineNumber } = node.callFrame;
    const where = shortUrl(url);
    const name = functionName.startsWith('(')
      ? functionName
      : `${functionName || '(anonymous)'} ${where}:${lineNumber + 1}`;
    fn.set(name, (fn.get(name) ?? 0) + dt);
    const fileKey = functionName.startsWith('(') ? functionName : where;
    file.set(fileKey, (file.get(fileKey) ?? 0) + dt);
  });
  const rank = (m: Map<string, number>) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, t]) => ({ name, ms: t, share: t / total }));
  return { totalMs: total, byFunction: rank(fn), byFile: rank(file) };
}

function readOnlyProfile(dir: string): CpuProfile {
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  const first = files[0];
  if (!first) throw new Error(`no .cpuprofile in ${dir}`);
  return JSON.parse(readFileSync(join(dir, first), 'utf8')) as CpuProfile;
}

function summaryMarkdown(label: string, build: BuildChildResult, s: ProfileSummary, dir: string): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
  return [
    `#### ${label}`,
    `Build ${ms(build.ms)} wall, process CPU ${ms(build.userCpuMs + build.systemCpuMs)} (user+sys, all threads), peak RSS ${mb(build.maxRssMB)}; profile \`${dir}\` (main thread, ${ms(s.totalMs)} sampled incl. module loading).`,
    '',
    table(
      ['self time by file / category', 'ms', 'share'],
      s.byFile.map((r) => [`\`${r.name}\``, fmt(r.ms, 0), pct(r.share)]),
    ),
    '',
    table(
      ['self time by function', 'ms', 'share'],
      s.byFunction.map((r) => [`\`${r.name}\``, fmt(r.ms, 0), pct(r.share)]),
    ),
  ].join('\n');
}

/** The profile section from profiles already written (by regen's build of that size). */
export function profileSection(
  size: number,
  full: BuildChildResult,
  fullDir: string,
  inc: BuildChildResult,
  incDir: string,
): SectionResult {
  const markdown = [
    summaryMarkdown(
      `Full build, ${fmt(size, 0)} articles`,
      full,
      summariseProfile(readOnlyProfile(fullDir)),
      fullDir,
    ),
    '',
    summaryMarkdown(
      `Incremental build (1 changed article of ${fmt(size, 0)})`,
      inc,
      summariseProfile(readOnlyProfile(incDir)),
      incDir,
    ),
    '',
    '`(idle)` is the main thread waiting: on fs reads/writes and on gzip/brotli, which run on libuv worker threads (their CPU shows in "process CPU", not in the profile). `(garbage collector)` is V8 GC.',
  ].join('\n');
  return {
    title: `Profile (${fmt(size, 0)} articles)`,
    markdown,
    goals: [],
    commands: [shellLine(buildArgv('CORPUS', 'OUT', ['--cpu-prof', `--cpu-prof-dir=${fullDir}`]))],
  };
}

export function profileDirsFor(size: number): { full: string; incremental: string } {
  const dirs = {
    full: join(tmpdir(), `kiosque-prof-full-${size}-${process.pid}`),
    incremental: join(tmpdir(), `kiosque-prof-incremental-${size}-${process.pid}`),
  };
  rmSync(dirs.full, { recursive: true, force: true });
  rmSync(dirs.incremental, { recursive: true, force: true });
  return dirs;
}

/** Standalone (`--only profile`): generates a corpus and profiles its full and incremental builds. */
export async function runProfile(size: number): Promise<SectionResult> {
  const work = mkdtempSync(join(tmpdir(), 'kiosque-bench-prof-'));
  const corpus = join(work, 'corpus');
  const out = join(work, 'out');
  const dirs = profileDirsFor(size);
  try {
    await generateCorpus({ seed: DEFAULT_SEED, count: size, dir: corpus });
    log(`profile: full build of ${size} under --cpu-prof`);
    const full = await runBuildChild(corpus, out, ['--cpu-prof', `--cpu-prof-dir=${dirs.full}`]);
    await changeArticle({ seed: DEFAULT_SEED, dir: corpus, index: size - 1, revision: 1 });
    log('profile: incremental build under --cpu-prof');
    const inc = await runBuildChild(corpus, out, ['--cpu-prof', `--cpu-prof-dir=${dirs.incremental}`]);
    return profileSection(size, full, dirs.full, inc, dirs.incremental);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
