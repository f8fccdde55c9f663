import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMemoryStorage } from '../../src/drivers/storage/memory.ts';
import { runEdgeBuild } from '../../src/entry/worker-pipeline.ts';
import { SITE } from '../core/normalise/fixtures.ts';

const silent = { debug() {}, info() {}, warn() {}, error() {} };

afterEach(() => vi.unstubAllGlobals());

describe('runEdgeBuild', () => {
  it('publishes the bundled content and pings the WebSub hubs through the global fetch', async () => {
    const pings: { url: string; body: string; userAgent: string | null }[] = [];
    vi.stubGlobal('fetch', async (url: string, init?: RequestInit) => {
      pings.push({ url, body: String(init?.body), userAgent: new Headers(init?.headers).get('user-agent') });
      return new Response(null, { status: 204 });
    });
    const published = createMemoryStorage();
    const report = await runEdgeBuild({
      published,
      state: createMemoryStorage(),
      clock: { now: () => new Date('2026-11-23T00:00:00Z') },
      logger: silent,
      options: { site: SITE, feedSize: 50, syndication: { hubs: ['https://hub.example/'] } },
    });
    expect(report.ok).toBe(true);
    expect(report.itemCount).toBe(5);
    const topics = pings.map((p) => new URLSearchParams(p.body).get('hub.url'));
    expect(topics).toEqual(
      expect.arrayContaining([
        `${SITE.baseUrl}/feed.xml`,
        `${SITE.baseUrl}/atom.xml`,
        `${SITE.baseUrl}/feed.json`,
      ]),
    );
    expect(pings.every((p) => p.url === 'https://hub.example/' && p.userAgent?.startsWith('kiosque'))).toBe(
      true,
    );
  });
});
