/**
 * Human views in a real browser: a kiosque server on 127.0.0.1 serves the seed content, and
 * headless Chromium (`--dump-dom`) loads the RSS, Atom and JSON feeds (each answered with its
 * pre-rendered HTML preview, no XSLT involved), the index and a tag's archive-less feed. Asserts on what is shown, not only that it loaded.
 * Skips, saying why, when Chromium is not installed (`apt-get install -y chromium`).
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from 'cheerio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.ts';
import { type RunningServer, startNodeServer } from '../../src/entry/node-server.ts';

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((p) =>
  existsSync(p),
);
const REPO = join(import.meta.dirname, '../..');
const silent = { debug() {}, info() {}, warn() {}, error() {} };

if (!CHROMIUM) {
  console.warn(
    'tests/views skipped: no Chromium at /usr/bin/chromium (install: apt-get update && apt-get install -y chromium)',
  );
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

function dumpDom(url: string, profile: string): Promise<string> {
  const args = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    `--user-data-dir=${profile}`,
    '--dump-dom',
    url,
  ];
  return new Promise((resolve, reject) => {
    execFile(
      CHROMIUM ?? 'chromium',
      args,
      { timeout: 60_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout) => (error ? reject(error) : resolve(stdout)),
    );
  });
}

describe.skipIf(!CHROMIUM)('feeds and pages in headless Chromium', () => {
  let dir: string;
  let server: RunningServer;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kiosque-views-'));
    cpSync(join(REPO, 'content'), join(dir, 'content'), { recursive: true });
    const port = await freePort();
    const config = {
      ...parseConfig({ port, host: '127.0.0.1', site: { baseUrl: `http://127.0.0.1:${port}` } }),
      contentDir: join(dir, 'content'),
      outDir: join(dir, 'feeds'),
      stateDir: join(dir, 'feeds/.state'),
    };
    server = await startNodeServer(config, silent);
    // The seed build takes ~1 s alone and many times that on a loaded machine: poll generously.
    for (let i = 0; i < 3000; i++) {
      if ((await fetch(`${server.url}/healthz`)).status === 200) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('no build after 3000 polls (150 s or more)');
  }, 240_000);

  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each(['/feed.xml', '/atom.xml', '/feed.json', '/tags/kosovo/atom.xml'])(
    '%s shows its preview in the site language: title, feed URL to copy, reader links, items with French dates',
    async (path) => {
      const base = path.replace(/\/[^/]+$/, '');
      const feed = (await (await fetch(`${server.url}${base}/feed.json`)).json()) as {
        title: string;
        items: { title: string }[];
      };
      const $ = load(await dumpDom(`${server.url}${path}`, join(dir, `profile${path.replace(/\W/g, '-')}`)));
      expect($('html').attr('lang')).toBe('fr');
      expect($('h1').text()).toBe(feed.title);
      expect($('body').text()).toContain('copiez cette adresse');
      expect($('main code').first().text()).toBe(`${server.url}${base}/feed.xml`);
      expect($('a[href^="https://feedly.com/"]')).toHaveLength(1);
      expect($('a[href^="https://www.inoreader.com/"]')).toHaveLength(1);
      expect($('script')).toHaveLength(0);
      const shown = $('ol.items h2 a')
        .map((_, el) => $(el).text())
        .get();
      expect(shown).toEqual(feed.items.map((i) => i.title));
      expect($('ol.items time').first().text()).toMatch(
        /^\d{1,2} (janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre) \d{4}$/,
      );
    },
    90_000,
  );

  it('the index shows the items, the feeds and the tags', async () => {
    const $ = load(await dumpDom(`${server.url}/`, join(dir, 'profile-index')));
    expect($('ol.items > li')).toHaveLength(5);
    expect(
      $('section h2')
        .map((_, el) => $(el).text())
        .get(),
    ).toContain('Mots-clés');
    expect($('body').text()).not.toMatch(/Subscribe|Published|Recent articles/);
    expect($('a[href$="/tags/kosovo"]').text()).toBe('Kosovo');
    expect($('link[rel="alternate"][type="application/rss+xml"]').attr('href')).toBe(
      `${server.url}/feed.xml`,
    );
  }, 90_000);
});
