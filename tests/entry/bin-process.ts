/**
 * Test helpers for the real `kiosque` processes: make sure lib/ is built from the current
 * sources, start a command that serves on 127.0.0.1 with a free port, list a process and its
 * descendants from /proc (Linux), and tell whether each is still running.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const REPO = join(import.meta.dirname, '../..');
export const HAS_PROC = process.platform === 'linux';

/** Builds lib/ when it is missing or stale (scripts/build-node.mjs takes a lock: files may race). */
export function ensureBuilt(): void {
  execFileSync(process.execPath, [join(REPO, 'scripts/build-node.mjs'), '--if-stale'], {
    cwd: REPO,
    stdio: 'pipe',
  });
}

/** A content folder with the seeds and a config file that points at it; returns the config path. */
export function writeSite(dir: string): string {
  cpSync(join(REPO, 'content'), join(dir, 'content'), { recursive: true });
  mkdirSync(join(dir, 'out'));
  const config = join(dir, 'kiosque.config.json');
  // A short grace period bounds a shutdown that lands on a run in progress.
  writeFileSync(config, JSON.stringify({ contentDir: 'content', outDir: 'out', shutdownGraceSeconds: 3 }));
  return config;
}

export interface ProcessEntry {
  readonly pid: number;
  /** /proc start time (clock ticks since boot): with the pid, names the process even if pids wrap. */
  readonly start: string;
  readonly command: string;
}

function statOf(pid: number): { state: string; ppid: number; start: string } | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // Fields after the command name, which is in parentheses and may hold spaces.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { state: fields[0] ?? '', ppid: Number(fields[1]), start: fields[19] ?? '' };
}

function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '';
  }
}

/** `pid` and every process below it, parents first. */
export function processTree(pid: number): ProcessEntry[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = statOf(Number(name));
    if (stat) children.set(stat.ppid, [...(children.get(stat.ppid) ?? []), Number(name)]);
  }
  const tree: ProcessEntry[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const next = queue.shift() as number;
    const stat = statOf(next);
    if (stat) tree.push({ pid: next, start: stat.start, command: commandOf(next) });
    queue.push(...(children.get(next) ?? []));
  }
  return tree;
}

/** Still running: same pid and start time, and not a zombie waiting to be reaped. */
export function isRunning(entry: ProcessEntry): boolean {
  const stat = statOf(entry.pid);
  return stat !== null && stat.start === entry.start && stat.state !== 'Z';
}

/** Polls until none of `entries` runs, or `timeoutMs`; returns those still running. */
export async function waitForExit(
  entries: readonly ProcessEntry[],
  timeoutMs: number,
): Promise<ProcessEntry[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const running = entries.filter(isRunning);
    if (running.length === 0 || Date.now() > deadline) return running;
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface Started {
  readonly child: ChildProcess;
  readonly url: string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly output: () => string;
}

/**
 * Spawns `command` in the repository with HOST=127.0.0.1 and PORT=0 (a free port) and waits for
 * the serving line and a first published build, so no run is in progress when a test signals it.
 */
export async function startServing(command: readonly string[], timeoutMs = 20_000): Promise<Started> {
  const [file, ...args] = command;
  const child = spawn(file as string, args, {
    cwd: REPO,
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.once('exit', (code, signal) => done({ code, signal })),
  );
  const deadline = Date.now() + timeoutMs;
  let url: string | undefined;
  while (Date.now() < deadline && child.exitCode === null) {
    url ??= /kiosque serving \S+ on (http:\/\/\S+)/.exec(output)?.[1];
    if (url) {
      const health = await fetch(`${url}/healthz`).catch(() => null);
      if (health?.status === 200 && ((await health.json()) as { build?: unknown }).build)
        return { child, url, exited, output: () => output };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  for (const entry of child.pid ? processTree(child.pid).reverse() : []) process.kill(entry.pid, 'SIGKILL');
  throw new Error(`${command.join(' ')} did not serve a build within ${timeoutMs} ms:\n${output}`);
}
