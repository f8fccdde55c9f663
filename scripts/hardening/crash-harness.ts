/**
 * Crash-safety harness shared by tests/hardening/crash-safety.test.ts (short) and
 * scripts/hardening/kill-loop.ts (hundreds of kills): builds in a child process
 * (build-child.ts), SIGKILLs it at a random point, then checks what a fresh reader serves.
 *
 * Checks after every kill: each manifest document is served by a fresh `createStorageReader`
 * over the fs directory, its bytes hash to its ETag, its gzip/brotli variants decode to the
 * same bytes, XML feeds are well-formed and JSON parses, the feed's revision is one a run
 * actually rendered (a complete earlier or later version), no manifest key names a temp file.
 * Must not: be imported by src/. Tunables: the seeded articles below.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { XMLValidator } from 'fast-xml-parser';
import { createStorageReader } from '../../src/app/published-reader.ts';
import { shortDigest } from '../../src/core/digest/hash.ts';
import { MANIFEST_KEY } from '../../src/core/publish/manifest.ts';
import { loadManifest } from '../../src/core/publish/manifest-store.ts';
import { createFsStorage } from '../../src/drivers/storage/fs.ts';

const REPO = join(import.meta.dirname, '../..');
const CHILD = join(REPO, 'scripts/hardening/build-child.ts');
/** Temp files the fs driver writes before its rename (see src/drivers/storage/fs.ts). */
const TEMP_FILE = /\.tmp$/;

/** A temp root with content/ (two of the repository's seed articles), public/ and state/. */
export function createCrashRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'kiosque-crash-'));
  mkdirSync(join(root, 'public'));
  mkdirSync(join(root, 'state'));
  // Two seed articles plus the one every run edits: enough documents, short builds.
  mkdirSync(join(root, 'content'));
  for (const name of readdirSync(join(REPO, 'content'))
    .filter((n) => n.endsWith('.txt'))
    .slice(0, 2)) {
    cpSync(join(REPO, 'content', name), join(root, 'content', name));
  }
  writeFileSync(join(root, 'content/changing.txt'), 'Run 0 of the crash loop\n\nrevision 0.\n');
  return root;
}

export interface ChildRun {
  /** True when the child died of SIGKILL (before printing `done`). */
  readonly killed: boolean;
  readonly completed: boolean;
  readonly stdout: string;
  readonly stderr: string;
  /** Milliseconds from `ready` to exit. */
  readonly runMs: number;
}

export interface ChildOptions {
  /** The child kills itself right before this write (1-based) to public/. */
  readonly killAtPut?: number;
  /** The parent sends SIGKILL this long after the child printed `ready`. */
  readonly killAfterMs?: number;
}

export function runChild(root: string, run: number, options: ChildOptions = {}): Promise<ChildRun> {
  const args = ['--import', 'tsx', CHILD, root, String(run)];
  if (options.killAtPut !== undefined) args.push(String(options.killAtPut));
  const child: ChildProcess = spawn(process.execPath, args, { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let readyAt = 0;
  let timer: NodeJS.Timeout | undefined;
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (readyAt === 0 && stdout.includes('ready\n')) {
        readyAt = performance.now();
        if (options.killAfterMs !== undefined) {
          timer = setTimeout(() => child.kill('SIGKILL'), options.killAfterMs);
        }
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({
        killed: signal === 'SIGKILL',
        completed: stdout.includes(`done ${run} `),
        stdout,
        stderr,
        runMs: readyAt === 0 ? 0 : performance.now() - readyAt,
      });
    });
  });
}

function tempFilesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && TEMP_FILE.test(entry.name)) out.push(join(entry.parentPath, entry.name));
  }
  return out;
}

export interface ServedCheck {
  readonly problems: string[];
  /** Manifest generation served, or null before the first completed publish. */
  readonly generation: number | null;
  /** The `revision N` the served feed.json carries for changing.txt. */
  readonly revision: number | null;
  readonly documents: number;
  readonly tempFiles: number;
}

/** What a fresh process would serve from `<root>/public` right now. */
export async function checkServed(root: string): Promise<ServedCheck> {
  const storage = createFsStorage(join(root, 'public'));
  const problems: string[] = [];
  const tempFiles = tempFilesUnder(join(root, 'public')).length;
  const stored = await storage.get(MANIFEST_KEY);
  if (!stored) return { problems, generation: null, revision: null, documents: 0, tempFiles };
  // The root and every shard it names must be complete and valid at any kill point.
  let manifest: Awaited<ReturnType<typeof loadManifest>>;
  try {
    manifest = await loadManifest(storage);
  } catch (error) {
    problems.push(`manifest unreadable: ${(error as Error).message}`);
    return { problems, generation: null, revision: null, documents: 0, tempFiles };
  }
  if (!manifest) return { problems, generation: null, revision: null, documents: 0, tempFiles };
  const reader = createStorageReader(storage);
  let revision: number | null = null;
  for (const [path, entry] of Object.entries(manifest.documents)) {
    for (const key of [entry.key, entry.gzip?.key, entry.br?.key]) {
      if (key !== undefined && TEMP_FILE.test(key)) problems.push(`${path}: manifest names temp file ${key}`);
    }
    let document: Awaited<ReturnType<typeof reader.document>>;
    try {
      document = await reader.document(path);
    } catch (error) {
      problems.push(`${path}: not servable (${(error as Error).message})`);
      continue;
    }
    if (!document) {
      problems.push(`${path}: in the manifest but not served`);
      continue;
    }
    if (`"${await shortDigest(document.body)}"` !== entry.etag)
      problems.push(`${path}: body does not match ETag`);
    if (document.gzip && Buffer.compare(gunzipSync(document.gzip), document.body) !== 0)
      problems.push(`${path}: gzip variant is not the same document`);
    if (document.br && Buffer.compare(brotliDecompressSync(document.br), document.body) !== 0)
      problems.push(`${path}: brotli variant is not the same document`);
    const text = new TextDecoder().decode(document.body);
    if (path.endsWith('.xml') && XMLValidator.validate(text) !== true)
      problems.push(`${path}: ill-formed XML`);
    if (path.endsWith('.json')) {
      try {
        const json = JSON.parse(text) as { items?: { content_text?: string; content_html?: string }[] };
        if (path === '/feed.json') {
          for (const item of json.items ?? []) {
            const match = /revision (\d+)\./.exec(item.content_text ?? item.content_html ?? '');
            if (match?.[1]) revision = Number(match[1]);
          }
        }
      } catch {
        problems.push(`${path}: invalid JSON`);
      }
    }
  }
  return {
    problems,
    generation: manifest.generation,
    revision,
    documents: Object.keys(manifest.documents).length,
    tempFiles,
  };
}

export interface KillLoopResult {
  readonly kills: number;
  readonly completedRuns: number;
  readonly checks: number;
  readonly problems: string[];
  readonly maxTempFiles: number;
  readonly finalTempFiles: number;
}

/**
 * `iterations` child runs on one root, each killed at a random point (half by the parent's timer,
 * half at a random write), each followed by checkServed; a final clean run must leave no temp file.
 */
export async function killLoop(
  iterations: number,
  random: () => number = Math.random,
  log: (line: string) => void = () => {},
): Promise<KillLoopResult> {
  const root = createCrashRoot();
  const problems: string[] = [];
  // Two clean runs: the first publishes everything, the second is a typical incremental run and
  // measures how long a build takes and how many writes its publish does.
  const first = await runChild(root, 1);
  if (!first.completed) throw new Error(`first build failed: ${first.stderr}${first.stdout}`);
  const second = await runChild(root, 2);
  if (!second.completed) throw new Error(`second build failed: ${second.stderr}${second.stdout}`);
  const baseline = await checkServed(root);
  problems.push(...baseline.problems.map((p) => `after run 2: ${p}`));
  let kills = 0;
  let completedRuns = 2;
  let lastCompleted = 2;
  let maxTempFiles = 0;
  // Writes to public/ in an incremental publish (versions, route copies, manifest, status).
  const putBudget = Number(/puts=(\d+)/.exec(second.stdout)?.[1] ?? 20);
  const runMs = second.runMs;
  for (let run = 3; run < iterations + 3; run++) {
    const options: ChildOptions =
      run % 2 === 0
        ? { killAfterMs: Math.floor(random() * runMs) }
        : { killAtPut: 1 + Math.floor(random() * putBudget) };
    const result = await runChild(root, run, options);
    if (result.killed) kills++;
    if (result.completed) {
      completedRuns++;
      lastCompleted = run;
    }
    const check = await checkServed(root);
    maxTempFiles = Math.max(maxTempFiles, check.tempFiles);
    const where = `run ${run} (${options.killAtPut !== undefined ? `put ${options.killAtPut}` : `${options.killAfterMs} ms`}, ${result.killed ? 'killed' : 'completed'})`;
    problems.push(...check.problems.map((p) => `${where}: ${p}`));
    if (check.revision !== null && (check.revision < lastCompleted || check.revision > run)) {
      problems.push(`${where}: serves revision ${check.revision}, expected ${lastCompleted}..${run}`);
    }
    if (!result.killed && !result.completed)
      problems.push(`${where}: child failed: ${result.stderr.slice(0, 500)}`);
    log(
      `${where}: generation ${check.generation}, revision ${check.revision}, temp ${check.tempFiles}, problems ${check.problems.length}`,
    );
  }
  const final = await runChild(root, iterations + 3);
  if (!final.completed) problems.push(`final run failed: ${final.stderr.slice(0, 500)}`);
  const end = await checkServed(root);
  problems.push(...end.problems.map((p) => `after the final run: ${p}`));
  return {
    kills,
    completedRuns: completedRuns + (final.completed ? 1 : 0),
    checks: iterations + 3,
    problems,
    maxTempFiles,
    finalTempFiles: end.tempFiles,
  };
}
