import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ensureBuilt,
  HAS_PROC,
  isRunning,
  type ProcessEntry,
  processTree,
  startServing,
  waitForExit,
  writeSite,
} from './bin-process.ts';

// What systemd, Docker, Kubernetes and a terminal do: a stop signal to the process they started
// (npm, or the bin itself), or to every process of the group. Every process of the tree must be
// gone within a few seconds, after a graceful shutdown (exit status 0, not death by the signal).
const EXIT_TIMEOUT_MS = 10_000;

let dir: string;
let tree: ProcessEntry[] = [];

beforeAll(() => ensureBuilt(), 120_000);

afterEach(() => {
  for (const entry of tree.filter(isRunning).reverse()) process.kill(entry.pid, 'SIGKILL');
  tree = [];
  rmSync(dir, { recursive: true, force: true });
});

async function serveThenSignal(
  command: readonly string[],
  signal: NodeJS.Signals,
  target: 'started process' | 'whole tree',
) {
  dir = mkdtempSync(join(tmpdir(), 'kiosque-signals-'));
  const config = writeSite(dir);
  const started = await startServing([...command, '--config', config]);
  expect(new URL(started.url).hostname).toBe('127.0.0.1');
  tree = processTree(started.child.pid as number);
  expect(tree.some((p) => /bin\/kiosque\.mjs serve/.test(p.command))).toBe(true);
  for (const entry of target === 'whole tree' ? tree : tree.slice(0, 1)) process.kill(entry.pid, signal);
  const left = await waitForExit(tree, EXIT_TIMEOUT_MS);
  expect(left, started.output()).toEqual([]);
  const exit = await started.exited;
  expect(started.output()).toMatch(`shutting down signal=${signal}`);
  expect(started.output()).toMatch(`stopped signal=${signal}`);
  if (target === 'whole tree') {
    // npm forwards its signal to node: when that duplicate lands after the server closed, while
    // Node is exiting, it ends node (and npm re-raises it). Before `stopped` it would be ignored.
    expect(
      [
        { code: 0, signal: null },
        { code: null, signal },
      ],
      started.output(),
    ).toContainEqual(exit);
  } else expect(exit, started.output()).toEqual({ code: 0, signal: null });
}

describe.skipIf(!HAS_PROC)('stop signals end every process of the tree', () => {
  it('SIGTERM to `npm start` (the npm process)', async () => {
    await serveThenSignal(['npm', 'start', '--'], 'SIGTERM', 'started process');
  }, 60_000);

  it('SIGINT to `npm start` (the npm process)', async () => {
    await serveThenSignal(['npm', 'start', '--'], 'SIGINT', 'started process');
  }, 60_000);

  it('SIGTERM to every process of `npm start` at once (systemd KillMode=control-group)', async () => {
    await serveThenSignal(['npm', 'start', '--'], 'SIGTERM', 'whole tree');
  }, 60_000);

  it('SIGTERM to the bin', async () => {
    await serveThenSignal([process.execPath, 'bin/kiosque.mjs', 'serve'], 'SIGTERM', 'started process');
  }, 60_000);

  it('SIGINT to the bin', async () => {
    await serveThenSignal([process.execPath, 'bin/kiosque.mjs', 'serve'], 'SIGINT', 'started process');
  }, 60_000);
});
