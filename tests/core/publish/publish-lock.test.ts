import { describe, expect, it } from 'vitest';
import { type RegenerateDeps, regenerate } from '../../../src/core/orchestrate/regenerate.ts';
import { MANIFEST_KEY } from '../../../src/core/publish/manifest.ts';
import {
  acquirePublishLock,
  type Lease,
  LOCK_KEY,
  LOCK_TAKEOVER_PREFIX,
  type LockDeps,
  PublishLockBusyError,
  tryAcquireLease,
  withPublishLock,
} from '../../../src/core/publish/publish-lock.ts';
import { createNodeCompressor } from '../../../src/drivers/compressor/node-zlib.ts';
import { createMemoryStorage } from '../../../src/drivers/storage/memory.ts';
import type { Storage } from '../../../src/ports/storage.ts';
import { markdownArticle } from '../../support/markdown-article.ts';
import { SITE } from '../normalise/fixtures.ts';

const encode = (text: string) => new TextEncoder().encode(text);
const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

interface Logged {
  readonly level: string;
  readonly message: string;
}

/** A fake clock whose sleep moves it (after letting other tasks run). */
function fakeTime(startIso = '2026-12-01T10:00:00Z') {
  let now = new Date(startIso).getTime();
  const logs: Logged[] = [];
  const log = (level: string) => (message: string) => logs.push({ level, message });
  const clock = { now: () => new Date(now) };
  const sleep = async (ms: number, signal?: AbortSignal) => {
    if (signal?.aborted) return;
    await new Promise((resolve) => setTimeout(resolve, 0));
    if (!signal?.aborted) now += ms;
  };
  const logger = { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
  return { clock, sleep, logger, logs, advance: (ms: number) => (now += ms) };
}

function lockDeps(state: Storage, time: ReturnType<typeof fakeTime>): LockDeps {
  return { state, clock: time.clock, sleep: time.sleep, logger: time.logger };
}

async function storedLease(state: Storage): Promise<Lease | null> {
  const object = await state.get(LOCK_KEY);
  return object ? (JSON.parse(decode(object.body)) as Lease) : null;
}

function article(n: number): string {
  return markdownArticle(`Article ${n}`);
}

describe('publish lock', () => {
  it('lets one of two concurrent builds on one store publish; the other refuses and changes nothing', async () => {
    const time = fakeTime();
    const content = createMemoryStorage();
    for (let n = 0; n < 3; n++) await content.put(`a${n}.md`, encode(article(n)));
    const state = createMemoryStorage();
    const publishedA = createMemoryStorage();
    const publishedB = createMemoryStorage();
    const deps = (published: Storage): RegenerateDeps => ({
      content,
      published,
      state,
      clock: time.clock,
      logger: time.logger,
      compressor: createNodeCompressor(),
    });
    const build = (published: Storage, owner: string) =>
      withPublishLock(lockDeps(state, time), { owner, waitMs: 0 }, (signal) =>
        regenerate(deps(published), { site: SITE, feedSize: 50, signal }),
      );
    const [a, b] = await Promise.allSettled([build(publishedA, 'run-a'), build(publishedB, 'run-b')]);
    expect(a.status).toBe('fulfilled');
    expect(a.status === 'fulfilled' && a.value.ok).toBe(true);
    expect(b.status).toBe('rejected');
    const reason = b.status === 'rejected' ? (b.reason as Error) : null;
    expect(reason).toBeInstanceOf(PublishLockBusyError);
    expect(reason?.message).toMatch(
      /another build holds the publish lock \(owner run-a, since 2026-12-01T10:00:00.000Z/,
    );
    expect(reason?.message).toContain('nothing was changed');
    expect(await publishedA.get(MANIFEST_KEY)).not.toBeNull();
    expect(await publishedB.list('')).toEqual([]);
    // Released after the run: the next build takes it at once.
    expect(await state.get(LOCK_KEY)).toBeNull();
  });

  it('makes a waiting build run after the holder releases, within the wait', async () => {
    const time = fakeTime();
    const state = createMemoryStorage();
    const order: string[] = [];
    let releaseFirst: () => void = () => {};
    const first = withPublishLock(lockDeps(state, time), { owner: 'first' }, async () => {
      order.push('first starts');
      await new Promise<void>((resolve) => {
        releaseFirst = resolve;
      });
      order.push('first ends');
    });
    await new Promise((resolve) => setTimeout(resolve, 0));
    const second = withPublishLock(
      lockDeps(state, time),
      { owner: 'second', waitMs: 600_000, pollMs: 1000 },
      async () => {
        order.push('second runs');
      },
    );
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setTimeout(resolve, 0));
    expect(order).toEqual(['first starts']);
    releaseFirst();
    await Promise.all([first, second]);
    expect(order).toEqual(['first starts', 'first ends', 'second runs']);
    expect(time.logs.some((l) => l.message.includes('publish lock held by another build; waiting'))).toBe(
      true,
    );
  });

  it('refuses after the wait when a live lease stays, naming its owner', async () => {
    const time = fakeTime();
    const state = createMemoryStorage();
    const live: Lease = {
      owner: 'host-b:42:abcd',
      acquiredAt: '2026-12-01T09:59:00.000Z',
      expiresAt: '2026-12-01T10:05:00.000Z',
    };
    await state.put(LOCK_KEY, encode(JSON.stringify(live)));
    await expect(
      acquirePublishLock(lockDeps(state, time), { owner: 'me', waitMs: 10_000, pollMs: 1000 }),
    ).rejects.toThrow(/owner host-b:42:abcd.*waited 10 s, nothing was changed/);
    expect(await storedLease(state)).toEqual(live);
  });

  it('takes over an expired lease (a killed holder), with a log line, and cleans up on release', async () => {
    const time = fakeTime();
    const state = createMemoryStorage();
    await state.put(
      LOCK_KEY,
      encode(
        JSON.stringify({
          owner: 'killed:1:dead',
          acquiredAt: '2026-12-01T09:00:00.000Z',
          expiresAt: '2026-12-01T09:02:00.000Z',
        }),
      ),
    );
    const lock = await acquirePublishLock(lockDeps(state, time), { owner: 'me', waitMs: 0 });
    expect((await storedLease(state))?.owner).toBe('me');
    expect(await state.list(LOCK_TAKEOVER_PREFIX)).toHaveLength(1);
    const line = time.logs.find((l) => l.message.includes('took over an expired lease'));
    expect(line?.level).toBe('warn');
    await lock.release();
    expect(await state.get(LOCK_KEY)).toBeNull();
    expect(await state.list(LOCK_TAKEOVER_PREFIX)).toEqual([]);
  });

  it('lets exactly one of several runs take over the same expired lease', async () => {
    const time = fakeTime();
    const state = createMemoryStorage();
    await state.put(
      LOCK_KEY,
      encode(
        JSON.stringify({
          owner: 'killed',
          acquiredAt: '2026-12-01T09:00:00.000Z',
          expiresAt: '2026-12-01T09:02:00.000Z',
        }),
      ),
    );
    const attempts = await Promise.all(
      ['r1', 'r2', 'r3', 'r4'].map((owner) => tryAcquireLease(lockDeps(state, time), owner, 120_000)),
    );
    const winners = attempts.filter((a) => a.lease !== undefined);
    expect(winners).toHaveLength(1);
    expect((await storedLease(state))?.owner).toBe(winners[0]?.lease?.owner);
  });

  it('renews its lease while the run lasts, so a long run is never taken over', async () => {
    const time = fakeTime();
    const state = createMemoryStorage();
    let expiries: string[] = [];
    await withPublishLock(
      lockDeps(state, time),
      { owner: 'long', leaseMs: 120_000, renewEveryMs: 30_000 },
      async (signal) => {
        for (let i = 0; i < 40; i++) {
          await new Promise((resolve) => setTimeout(resolve, 0));
          const lease = await storedLease(state);
          if (lease) expiries.push(lease.expiresAt);
        }
        expect(signal.aborted).toBe(false);
      },
    );
    expiries = [...new Set(expiries)];
    expect(expiries.length).toBeGreaterThan(2);
    // Another run now sees a live lease (the clock moved far past the first expiry).
    expect(Date.parse(expiries.at(-1) ?? '')).toBeGreaterThan(Date.parse(expiries[0] ?? '') + 60_000);
  });

  it('aborts the run (before it publishes) when its lease was taken over', async () => {
    const time = fakeTime();
    const state = createMemoryStorage();
    const aborted = await withPublishLock(
      lockDeps(state, time),
      { owner: 'stalled', renewEveryMs: 30_000 },
      async (signal) => {
        await state.put(
          LOCK_KEY,
          encode(
            JSON.stringify({
              owner: 'other',
              acquiredAt: '2026-12-01T10:03:00.000Z',
              expiresAt: '2026-12-01T10:05:00.000Z',
            }),
          ),
        );
        for (let i = 0; i < 10 && !signal.aborted; i++)
          await new Promise((resolve) => setTimeout(resolve, 0));
        return signal.aborted;
      },
    );
    expect(aborted).toBe(true);
    // The other owner's lease is left alone.
    expect((await storedLease(state))?.owner).toBe('other');
    expect(time.logs.some((l) => l.level === 'error' && l.message.includes('publish lock lost'))).toBe(true);
  });
});
