import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.ts';
import { type RunningServer, startNodeServer } from '../../src/entry/node-server.ts';

const REPO = join(import.meta.dirname, '../..');
const silent = { debug() {}, info() {}, warn() {}, error() {} };
let dir: string;
let server: RunningServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
  rmSync(dir, { recursive: true, force: true });
});

async function waitForBuild(url: string): Promise<Response> {
  // The seed build takes ~1 s alone and many times that on a loaded machine: poll generously
  // (the test's own timeout still bounds a build that never comes).
  for (let i = 0; i < 1000; i++) {
    const response = await fetch(`${url}/healthz`);
    // 200 comes with the manifest swap; the build status is written a moment later.
    if (response.status === 200 && ((await response.clone().json()) as { build?: unknown }).build)
      return response;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('no successful build after 1000 polls (50 s or more)');
}

describe('startNodeServer', () => {
  it('builds at start and serves the feeds over HTTP on 127.0.0.1, with 304 on revalidation', async () => {
    dir = mkdtempSync(join(tmpdir(), 'kiosque-serve-'));
    cpSync(join(REPO, 'content'), join(dir, 'content'), { recursive: true });
    const config = {
      ...parseConfig({ port: 0, host: '127.0.0.1' }),
      contentDir: join(dir, 'content'),
      outDir: join(dir, 'feeds'),
      stateDir: join(dir, 'feeds/.state'),
    };
    server = await startNodeServer(config, silent);
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const health = (await (await waitForBuild(server.url)).json()) as { build: { itemCount: number } };
    expect(health.build.itemCount).toBe(5);
    const feed = await fetch(`${server.url}/feed.xml`);
    expect(feed.status).toBe(200);
    expect(feed.headers.get('content-type')).toBe('application/rss+xml; charset=utf-8');
    expect(await feed.text()).toContain('<rss');
    const etag = feed.headers.get('etag') ?? '';
    const again = await fetch(`${server.url}/feed.xml`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
  }, 120_000);
});
