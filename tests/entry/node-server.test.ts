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

function configIn(folder: string, json: object, env: Record<string, string> = {}) {
  return {
    ...parseConfig({ port: 0, host: '127.0.0.1', ...json }, env),
    contentDir: join(folder, 'content'),
    outDir: join(folder, 'feeds'),
    stateDir: join(folder, 'feeds/.state'),
  };
}

function recordingLogger() {
  const warnings: string[] = [];
  // Only the address warnings: a test without a content folder also hears from the watcher.
  const warn = (message: string) => {
    if (message.includes('listen address')) warnings.push(message);
  };
  return { warnings, logger: { ...silent, warn } };
}

describe('startNodeServer addresses', () => {
  it('links to the real listen address when no base URL is given (port 0 included)', async () => {
    dir = mkdtempSync(join(tmpdir(), 'kiosque-serve-'));
    cpSync(join(REPO, 'content'), join(dir, 'content'), { recursive: true });
    const { warnings, logger } = recordingLogger();
    server = await startNodeServer(configIn(dir, {}), logger);
    const port = new URL(server.url).port;
    expect(server.config.site.baseUrl).toBe(`http://localhost:${port}`);
    await waitForBuild(server.url);
    const feed = await (await fetch(`${server.url}/feed.xml`)).text();
    expect(feed).toContain(`<link>http://localhost:${port}/</link>`);
    expect(feed).not.toContain('localhost:0');
    expect(warnings).toEqual([]);
  });

  it('keeps a given base URL and says once that it does not match the listen address', async () => {
    dir = mkdtempSync(join(tmpdir(), 'kiosque-serve-'));
    const { warnings, logger } = recordingLogger();
    server = await startNodeServer(configIn(dir, {}, { SITE_URL: 'http://localhost:8787' }), logger);
    expect(server.config.site.baseUrl).toBe('http://localhost:8787');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /^SITE_URL http:\/\/localhost:8787 does not match the listen address http:\/\/127\.0\.0\.1:\d+: its port is 8787 but kiosque listens on port \d+/,
    );
  });

  it('says nothing for a public base URL (a reverse proxy in front)', async () => {
    dir = mkdtempSync(join(tmpdir(), 'kiosque-serve-'));
    const { warnings, logger } = recordingLogger();
    server = await startNodeServer(configIn(dir, { site: { baseUrl: 'https://feeds.example.org' } }), logger);
    expect(server.config.site.baseUrl).toBe('https://feeds.example.org');
    expect(warnings).toEqual([]);
  });
});

describe('startNodeServer client address', () => {
  const statuses = async (url: string, forwardedFor: readonly string[]) => {
    const codes: number[] = [];
    for (const xff of forwardedFor) {
      const response = await fetch(`${url}/no-such-page`, { headers: { 'x-forwarded-for': xff } });
      await response.arrayBuffer();
      codes.push(response.status);
    }
    return codes;
  };

  it('gives each forwarded client its own bucket behind a trusted proxy', async () => {
    dir = mkdtempSync(join(tmpdir(), 'kiosque-serve-'));
    const config = configIn(
      dir,
      { rateLimit: { requests: 1, windowSeconds: 3600 } },
      { TRUST_PROXY: '127.0.0.1' },
    );
    server = await startNodeServer(config, silent);
    const codes = await statuses(server.url, ['198.51.100.1', '198.51.100.2', '203.0.113.9, 198.51.100.1']);
    expect(codes[0]).not.toBe(429);
    expect(codes[1]).not.toBe(429);
    // A forged left-most entry does not help: the right-most untrusted hop is the client.
    expect(codes[2]).toBe(429);
    const status = await fetch(`${server.url}/status`, { headers: { 'x-forwarded-for': '203.0.113.5' } });
    expect(await status.text()).toContain('<td>203.0.113.5</td>');
  });

  it('ignores X-Forwarded-For from a peer that is not trusted', async () => {
    dir = mkdtempSync(join(tmpdir(), 'kiosque-serve-'));
    server = await startNodeServer(
      configIn(dir, { rateLimit: { requests: 1, windowSeconds: 3600 } }),
      silent,
    );
    const codes = await statuses(server.url, ['198.51.100.1', '198.51.100.2']);
    expect(codes[1]).toBe(429);
  });
});
