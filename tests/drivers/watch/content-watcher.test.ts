import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type ContentWatcher, createContentWatcher } from '../../../src/drivers/watch/content-watcher.ts';

const silent = { debug() {}, info() {}, warn() {}, error() {} };
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function setup(options: { rescanEveryMs?: number; now?: () => number } = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'kiosque-watch-'));
  await mkdir(join(dir, 'site'));
  const watcher = createContentWatcher(dir, silent, options);
  cleanups.push(async () => {
    watcher.close();
    await rm(dir, { recursive: true, force: true });
  });
  return { dir, watcher };
}

/** Polls take() until it reports `key` (events arrive asynchronously), collecting what it saw. */
async function takeUntil(watcher: ContentWatcher, key: string): Promise<string[]> {
  const seen = new Set<string>();
  // fs events arrive within milliseconds alone; allow seconds for a loaded machine.
  for (let i = 0; i < 500; i++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    const keys = watcher.take();
    if (keys === null) throw new Error('watcher distrusted its list');
    for (const k of keys) seen.add(k);
    if (seen.has(key)) return [...seen].sort();
  }
  throw new Error(`no event for ${key}`);
}

describe('content watcher', () => {
  it('answers "compare everything" first, then the keys written since the last take', async () => {
    const { dir, watcher } = await setup();
    expect(watcher.take()).toBeNull();
    await writeFile(join(dir, 'site', 'a.md'), '# A');
    expect(await takeUntil(watcher, 'site/a.md')).toEqual(['site/a.md']);
    expect(watcher.take()).toEqual([]);
  });

  it('distrusts its list when a folder moves (its files get no events of their own)', async () => {
    const { dir, watcher } = await setup();
    expect(watcher.take()).toBeNull();
    await rename(join(dir, 'site'), join(dir, 'moved'));
    let answer: readonly string[] | null = [];
    for (let i = 0; i < 500 && answer !== null; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      answer = watcher.take();
    }
    expect(answer).toBeNull();
  });

  it('compares everything at least every rescanEveryMs', async () => {
    let clock = 0;
    const { watcher } = await setup({ rescanEveryMs: 1000, now: () => clock });
    expect(watcher.take()).toBeNull();
    clock = 500;
    expect(watcher.take()).toEqual([]);
    clock = 1600;
    expect(watcher.take()).toBeNull();
    expect(watcher.take()).toEqual([]);
  });

  it('falls back to comparing everything when the folder cannot be watched', () => {
    const watcher = createContentWatcher(join(tmpdir(), 'kiosque-no-such-dir-42'), silent);
    expect(watcher.take()).toBeNull();
    expect(watcher.take()).toBeNull();
    watcher.close();
  });
});
