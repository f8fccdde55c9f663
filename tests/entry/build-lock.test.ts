import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type KiosqueConfig } from '../../src/config.ts';
import type { RegenerateDeps } from '../../src/core/orchestrate/regenerate.ts';
import { MANIFEST_KEY } from '../../src/core/publish/manifest.ts';
import { LOCK_KEY } from '../../src/core/publish/publish-lock.ts';
import { createNodeCompressor } from '../../src/drivers/compressor/node-zlib.ts';
import { createMemoryStorage } from '../../src/drivers/storage/memory.ts';
import { BUILD_EXIT, buildExitCode } from '../../src/entry/build-exit-code.ts';
import { formatBuildReport } from '../../src/entry/format-build-report.ts';
import { lockOwnerGone, runBuild } from '../../src/entry/node-runtime.ts';
import type { Storage } from '../../src/ports/storage.ts';
import { markdownArticle } from '../support/markdown-article.ts';

const silent = { debug() {}, info() {}, warn() {}, error() {} };
const encode = (text: string) => new TextEncoder().encode(text);
const folders: string[] = [];

afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function article(n: number): string {
  return markdownArticle(`Article ${n}`);
}

async function setup() {
  const contentDir = mkdtempSync(join(tmpdir(), 'kiosque-lock-'));
  folders.push(contentDir);
  const config: KiosqueConfig = { ...DEFAULT_CONFIG, contentDir };
  const content = createMemoryStorage();
  for (let n = 0; n < 4; n++) await content.put(`a${n}.md`, encode(article(n)));
  const state = createMemoryStorage();
  const deps = (published: Storage): RegenerateDeps => ({
    content,
    published,
    state,
    clock: { now: () => new Date('2026-12-01T10:00:00Z') },
    logger: silent,
    compressor: createNodeCompressor(),
  });
  return { config, state, deps };
}

describe('runBuild under the publish lock', () => {
  it('runs one of two builds started at once on one state store; the other exits 5 having changed nothing', async () => {
    const { config, state, deps } = await setup();
    const one = createMemoryStorage();
    const two = createMemoryStorage();
    const [a, b] = await Promise.all([
      runBuild(config, deps(one), { lock: { waitMs: 0 } }),
      runBuild(config, deps(two), { lock: { waitMs: 0 } }),
    ]);
    // Which of the two takes the lease first is a race (it differs between Node versions): one wins.
    expect([a, b].filter((r) => r.ok)).toHaveLength(1);
    const [winner, loser] = a.ok ? [a, b] : [b, a];
    const [published, untouched] = a.ok ? [one, two] : [two, one];
    expect(buildExitCode(winner)).toBe(BUILD_EXIT.published);
    expect(loser.busy).toBe(true);
    expect(buildExitCode(loser)).toBe(BUILD_EXIT.busy);
    expect(loser.error).toMatch(/another build holds the publish lock/);
    expect(formatBuildReport(loser, 'feeds')).toMatch(/^build not run: another build holds the publish lock/);
    expect(await published.get(MANIFEST_KEY)).not.toBeNull();
    expect(await untouched.list('')).toEqual([]);
    expect(await state.get(LOCK_KEY)).toBeNull();
    // The next build takes the free lock.
    const next = await runBuild(config, deps(untouched), { lock: { waitMs: 0 } });
    expect(next.ok).toBe(true);
  });

  it('takes over at once the live lease of a killed `kiosque build` on this host; waits out a running one', async () => {
    const { config, state, deps } = await setup();
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    const lease = (owner: string) =>
      encode(
        JSON.stringify({
          owner,
          acquiredAt: '2026-12-01T09:59:00.000Z',
          expiresAt: '2026-12-01T10:01:00.000Z',
        }),
      );
    expect(lockOwnerGone(`${hostname()}:${dead}:abcd`)).toBe(true);
    expect(lockOwnerGone(`${hostname()}:${process.ppid}:abcd`)).toBe(false);
    expect(lockOwnerGone(`another-host.example:${dead}:abcd`)).toBe(false);
    await state.put(LOCK_KEY, lease(`${hostname()}:${process.ppid}:live`));
    const blocked = await runBuild(config, deps(createMemoryStorage()), { lock: { waitMs: 0 } });
    expect(blocked.busy).toBe(true);
    await state.put(LOCK_KEY, lease(`${hostname()}:${dead}:killed`));
    const published = createMemoryStorage();
    const report = await runBuild(config, deps(published), { lock: { waitMs: 0 } });
    expect(report.ok).toBe(true);
    expect(await published.get(MANIFEST_KEY)).not.toBeNull();
    expect(await state.get(LOCK_KEY)).toBeNull();
  });
});
