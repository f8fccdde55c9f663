import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { regenerate } from '../../../src/core/orchestrate/regenerate.ts';
import { createNodeCompressor } from '../../../src/drivers/compressor/node-zlib.ts';
import { createMemoryStorage } from '../../../src/drivers/storage/memory.ts';
import { createHubPinger } from '../../../src/drivers/websub/undici-hub-pinger.ts';
import type { Logger } from '../../../src/ports/logger.ts';
import { type HubStub, startHubStub } from './hub-stub.ts';

const logged: { level: string; message: string }[] = [];
const logger: Logger = {
  debug() {},
  info: (message) => logged.push({ level: 'info', message }),
  warn: (message) => logged.push({ level: 'warn', message }),
  error: (message) => logged.push({ level: 'error', message }),
};
const noSleep = async () => {};
const clock = { now: () => new Date('2026-03-01T12:00:00Z') };
const FEED = 'https://news.example/feed.xml';

let hub: HubStub;
beforeEach(async () => {
  logged.length = 0;
  hub = await startHubStub();
});
afterEach(async () => {
  await hub.close();
});

describe('createHubPinger', () => {
  it('POSTs hub.mode=publish and hub.url form-encoded, one ping per feed, and reports it', async () => {
    const pinger = createHubPinger({ hubs: [hub.url], logger, clock, sleep: noSleep });
    await pinger.documentsChanged([FEED, 'https://news.example/atom.xml']);
    expect(hub.pings).toEqual([
      { mode: 'publish', url: FEED, contentType: 'application/x-www-form-urlencoded' },
      {
        mode: 'publish',
        url: 'https://news.example/atom.xml',
        contentType: 'application/x-www-form-urlencoded',
      },
    ]);
    expect(pinger.status()).toMatchObject({
      hubs: [hub.url],
      lastPingAt: '2026-03-01T12:00:00.000Z',
      sent: 2,
      failed: 0,
    });
  });

  it('retries 5xx and 429 with backoff, then succeeds', async () => {
    const waits: number[] = [];
    hub.script(503, 429);
    const pinger = createHubPinger({
      hubs: [hub.url],
      logger,
      clock,
      sleep: async (ms) => void waits.push(ms),
    });
    await pinger.documentsChanged([FEED]);
    expect(hub.pings).toHaveLength(3);
    expect(waits).toEqual([500, 1000]);
    expect(pinger.status().lastResults[0]).toMatchObject({ ok: true, status: 204, attempts: 3 });
  });

  it('does not retry a 4xx refusal, and logs the failure', async () => {
    hub.script(400);
    const pinger = createHubPinger({ hubs: [hub.url], logger, clock, sleep: noSleep });
    await pinger.documentsChanged([FEED]);
    expect(hub.pings).toHaveLength(1);
    expect(pinger.status()).toMatchObject({ sent: 0, failed: 1 });
    expect(pinger.status().lastResults[0]).toMatchObject({
      ok: false,
      status: 400,
      attempts: 1,
      error: 'hub answered HTTP 400',
    });
    expect(logged).toContainEqual({ level: 'warn', message: 'WebSub publish ping failed' });
  });

  it('gives up on a hanging hub after the timeout, for every attempt', async () => {
    hub.script('hang', 'hang');
    const pinger = createHubPinger({
      hubs: [hub.url],
      logger,
      clock,
      sleep: noSleep,
      timeoutMs: 150,
      attempts: 2,
    });
    // The hub never answers: only the 150 ms timeout can end each attempt (no wall-clock bound).
    await pinger.documentsChanged([FEED]);
    expect(pinger.status().lastResults[0]).toMatchObject({ ok: false, status: null, attempts: 2 });
    expect(pinger.status().lastResults[0]?.error).toMatch(/timeout|timed out|abort/i);
  });

  it('reports an unreachable hub without throwing', async () => {
    const pinger = createHubPinger({
      hubs: ['http://127.0.0.1:9/hub'],
      logger,
      clock,
      sleep: noSleep,
      attempts: 2,
    });
    await expect(pinger.documentsChanged([FEED])).resolves.toBeUndefined();
    expect(pinger.status()).toMatchObject({ failed: 1 });
  });
});

describe('regenerate with the pinger as notifier', () => {
  const CONTENT_DIR = join(import.meta.dirname, '../../../content');

  it('pings every changed feed on the first build and nothing when a rebuild changes no bytes', async () => {
    const content = createMemoryStorage();
    for (const name of readdirSync(CONTENT_DIR).filter((n) => n.endsWith('.txt'))) {
      await content.put(name, readFileSync(join(CONTENT_DIR, name)));
    }
    const pinger = createHubPinger({ hubs: [hub.url], logger, clock, sleep: noSleep });
    const deps = {
      content,
      published: createMemoryStorage(),
      state: createMemoryStorage(),
      clock,
      logger,
      compressor: createNodeCompressor(),
      notifier: pinger,
    };
    const options = {
      site: { title: 'K', description: 'D', baseUrl: 'https://news.example', language: 'fr', ttlMinutes: 15 },
      feedSize: 50,
      syndication: { hubs: [hub.url] },
    };
    const first = await regenerate(deps, options);
    expect(first.ok).toBe(true);
    const urls = hub.pings.map((p) => p.url);
    expect(urls).toContain('https://news.example/feed.xml');
    expect(urls).toContain('https://news.example/feed.json');
    expect(urls.some((u) => u?.startsWith('https://news.example/tags/'))).toBe(true);
    expect(urls.every((u) => /\.(xml|json)(\?limit=\d+)?$/.test(u ?? '') && !u?.endsWith('opml.xml'))).toBe(
      true,
    );
    const count = hub.pings.length;
    await regenerate(deps, options);
    expect(hub.pings).toHaveLength(count);
  });
});
