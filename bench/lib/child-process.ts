/**
 * Child processes for the bench: run a command to completion (optionally pinned to one CPU with
 * `taskset`, with a time limit), or start a long-lived server that prints one JSON line when ready.
 * Every measurement runs in its own process so that one section's heap, JIT state or CPU
 * cannot leak into another's figures.
 *
 * Must not: kill anything it did not start (children are stopped by their own pid).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';

export const REPO_ROOT = new URL('../../', import.meta.url).pathname.replace(/\/$/, '');

/** `taskset` when present; without it processes run unpinned and the report says so. */
export const TASKSET = ['/usr/bin/taskset', '/bin/taskset'].find((p) => existsSync(p)) ?? null;

export interface ChildResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
  readonly timedOut: boolean;
}

export interface ChildOptions {
  /** CPU index to pin to (taskset -c N). */
  readonly cpu?: number;
  readonly timeoutMs?: number;
  readonly env?: NodeJS.ProcessEnv;
}

/** `[command, ...args]` prefixed with taskset when pinning is asked for and available. */
export function pinned(cpu: number | undefined, argv: readonly string[]): string[] {
  return cpu !== undefined && TASKSET ? [TASKSET, '-c', String(cpu), ...argv] : [...argv];
}

/** `node --import tsx <script>` with extra node flags: how every TypeScript child is started. */
export function tsNode(script: string, args: readonly string[], nodeFlags: readonly string[] = []): string[] {
  return [process.execPath, ...nodeFlags, '--import', 'tsx', script, ...args];
}

/** The command line as it would be typed (for RESULTS.md). */
export function shellLine(argv: readonly string[]): string {
  return argv
    .map((a) => (a === process.execPath ? 'node' : a))
    .map((a) => a.replace(`${REPO_ROOT}/`, ''))
    .map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`))
    .join(' ');
}

export function runChild(argv: readonly string[], options: ChildOptions = {}): Promise<ChildResult> {
  const full = pinned(options.cpu, argv);
  const [command, ...args] = full;
  if (!command) throw new Error('empty command');
  const started = performance.now();
  return new Promise((resolveRun, reject) => {
    const child = spawn(command, args, {
      cwd: REPO_ROOT,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      // Keep the tail only: a long build may log a lot.
      stderr = (stderr + chunk).slice(-20_000);
    });
    const timer =
      options.timeoutMs !== undefined
        ? setTimeout(() => {
            timedOut = true;
            child.kill('SIGKILL');
          }, options.timeoutMs)
        : null;
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolveRun({ code, signal, stdout, stderr, ms: performance.now() - started, timedOut });
    });
  });
}

/** The last line of stdout parsed as JSON (children print their result last). */
export function lastJson<T>(result: ChildResult): T {
  const lines = result.stdout.trim().split('\n');
  const last = lines[lines.length - 1];
  if (!last || result.code !== 0) {
    throw new Error(
      `child failed (code ${result.code}, signal ${result.signal}${result.timedOut ? ', timed out' : ''}): ${result.stderr.slice(-2000)}`,
    );
  }
  return JSON.parse(last) as T;
}

export interface RunningChild<T> {
  readonly ready: T;
  readonly process: ChildProcess;
  readonly argv: readonly string[];
  stop(): Promise<void>;
}

/** Starts a server child and resolves with the first JSON line it prints on stdout. */
export function startChild<T>(argv: readonly string[], options: ChildOptions = {}): Promise<RunningChild<T>> {
  const full = pinned(options.cpu, argv);
  const [command, ...args] = full;
  if (!command) throw new Error('empty command');
  const child = spawn(command, args, {
    cwd: REPO_ROOT,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-10_000);
  });
  const stop = (): Promise<void> =>
    new Promise((done) => {
      if (child.exitCode !== null || child.signalCode !== null) return done();
      child.once('exit', () => done());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5000).unref();
    });
  return new Promise((resolveStart, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`server did not start within ${options.timeoutMs ?? 60_000} ms: ${stderr}`));
    }, options.timeoutMs ?? 60_000);
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.once('line', (line) => {
      clearTimeout(timer);
      try {
        resolveStart({ ready: JSON.parse(line) as T, process: child, argv: full, stop });
      } catch (error) {
        void stop();
        reject(error);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited early with code ${code}: ${stderr}`));
    });
  });
}

/** `lscpu`'s model name, else /proc/cpuinfo's, else os.cpus()'s. */
export function cpuModel(fallback: string): string {
  const lscpu = spawnSync('lscpu', [], { encoding: 'utf8' });
  const match = /^Model name:\s*(.+)$/m.exec(lscpu.stdout ?? '');
  return match?.[1]?.trim() ?? fallback;
}
