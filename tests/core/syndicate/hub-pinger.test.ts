import { afterEach, describe, expect, it, vi } from 'vitest';
import { createHubPinger, DEFAULT_BUDGET_MS } from '../../../src/core/syndicate/hub-pinger.ts';
import type { HttpFetch } from '../../../src/ports/fetch.ts';

const silent = { debug() {}, info() {}, warn() {}, error() {} };
const clock = { now: () => new Date('2026-11-23T00:00:00Z') };

/** A fetch answering from a script of statuses (null = network error), recording every call. */
function scriptedFetch(statuses: readonly (number | null)[]) {
  const calls: { url: string; body: string; method: string }[] = [];
  let i = 0;
  const fetch: HttpFetch = async (url, init) => {
    calls.push({ url, body: String(init?.body), method: init?.method ?? 'GET' });
    const status = statuses[Math.min(i++, statuses.length - 1)] ?? null;
    if (status === null) throw new Error('connection refused');
    // 204/304 responses carry no body
    return new Response(status === 204 || status === 304 ? null : 'ok', { status });
  };
  return { fetch, calls };
}

describe('createHubPinger (core, over the Fetch port)', () => {
  it('posts hub.mode=publish for each changed feed to each hub and records success', async () => {
    const { fetch, calls } = scriptedFetch([204]);
    const pinger = createHubPinger({ hubs: ['https://hub.example/'], fetch, logger: silent, clock });
    await pinger.documentsChanged(['https://news.example/feed.xml', 'https://news.example/atom.xml']);
    expect(calls.map((c) => [c.method, c.url])).toEqual([
      ['POST', 'https://hub.example/'],
      ['POST', 'https://hub.example/'],
    ]);
    expect(calls[0]?.body).toBe('hub.mode=publish&hub.url=https%3A%2F%2Fnews.example%2Ffeed.xml');
    expect(pinger.status()).toMatchObject({ sent: 2, failed: 0, lastPingAt: '2026-11-23T00:00:00.000Z' });
  });

  it('retries network errors and 5xx with backoff, but not other 4xx', async () => {
    const sleeps: number[] = [];
    const sleep = async (ms: number) => {
      sleeps.push(ms);
    };
    const flaky = scriptedFetch([null, 503, 202]);
    const pinger = createHubPinger({
      hubs: ['https://hub.example/'],
      fetch: flaky.fetch,
      logger: silent,
      clock,
      sleep,
    });
    await pinger.documentsChanged(['https://news.example/feed.xml']);
    expect(flaky.calls).toHaveLength(3);
    expect(sleeps).toEqual([500, 1000]);
    expect(pinger.status().lastResults[0]).toMatchObject({ ok: true, status: 202, attempts: 3 });

    const refused = scriptedFetch([403]);
    const strict = createHubPinger({
      hubs: ['https://hub.example/'],
      fetch: refused.fetch,
      logger: silent,
      clock,
      sleep,
    });
    await strict.documentsChanged(['https://news.example/feed.xml']);
    expect(refused.calls).toHaveLength(1);
    expect(strict.status()).toMatchObject({ sent: 0, failed: 1 });
    expect(strict.status().lastResults[0]?.error).toBe('hub answered HTTP 403');
  });

  it('does nothing without hubs or without changed feeds', async () => {
    const { fetch, calls } = scriptedFetch([204]);
    await createHubPinger({ hubs: [], fetch, logger: silent, clock }).documentsChanged([
      'https://x.example/f',
    ]);
    await createHubPinger({ hubs: ['https://hub.example/'], fetch, logger: silent, clock }).documentsChanged(
      [],
    );
    expect(calls).toEqual([]);
  });

  it('a dead hub is tried once per run: after it fails, the remaining feeds skip it', async () => {
    const dead = scriptedFetch([null]);
    const calls: string[] = [];
    const live: HttpFetch = async (url, init) => {
      if (url.startsWith('https://dead.example')) return dead.fetch(url, init);
      calls.push(url);
      return new Response(null, { status: 204 });
    };
    const pinger = createHubPinger({
      hubs: ['https://dead.example/', 'https://hub.example/'],
      fetch: live,
      logger: silent,
      clock,
      sleep: async () => {},
    });
    const feeds = Array.from({ length: 75 }, (_, i) => `https://news.example/t${i}/feed.xml`);
    await pinger.documentsChanged(feeds);
    // Four workers may be on the dead hub when it first fails: at most 4 × 3 attempts, not 75 × 3.
    expect(dead.calls.length).toBeLessThanOrEqual(12);
    expect(calls).toHaveLength(75); // the healthy hub still hears about every feed
    const status = pinger.status();
    expect(status.sent).toBe(75);
    expect(status.failed).toBe(75);
    expect(status.lastResults.some((r) => r.error === 'not tried: hub failed earlier in this run')).toBe(
      true,
    );
  });
});

describe('the ping budget of a run', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('resolves when the budget is spent, aborting pings in flight and sending no more', async () => {
    vi.useFakeTimers();
    const signals: AbortSignal[] = [];
    // A hub that accepts the connection and never answers: only an abort ends a ping.
    const hanging: HttpFetch = (_url, init) => {
      const signal = init?.signal as AbortSignal;
      signals.push(signal);
      return new Promise((_resolve, reject) => {
        signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
      });
    };
    const pinger = createHubPinger({ hubs: ['https://hub.example/'], fetch: hanging, logger: silent, clock });
    let done = false;
    const feeds = Array.from({ length: 75 }, (_, i) => `https://news.example/t${i}/feed.xml`);
    const pings = pinger.documentsChanged(feeds).then(() => {
      done = true;
    });
    await vi.advanceTimersByTimeAsync(DEFAULT_BUDGET_MS - 1);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(done).toBe(true);
    await pings;
    expect(signals.length).toBeLessThanOrEqual(4);
    expect(signals.every((s) => s.aborted)).toBe(true);
    expect(pinger.status()).toMatchObject({ sent: 0, failed: 75 });
  });
});
