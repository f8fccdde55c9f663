/**
 * End to end: `kiosque serve` on 127.0.0.1 (port 0) over a temporary content folder; writing a
 * new article publishes it without waiting for the cron tick (the schedule here never fires).
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.ts';
import { type RunningServer, startNodeServer } from '../../src/entry/node-server.ts';

const REPO = join(import.meta.dirname, '../..');
const silent = { debug() {}, info() {}, warn() {}, error() {} };

async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`not true within ${timeoutMs} ms`);
}

describe('kiosque serve publishes on change', () => {
  let dir: string | undefined;
  let server: RunningServer | undefined;

  afterEach(async () => {
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    server = undefined;
    dir = undefined;
  });

  it('a new file under content/ appears in the feed without a cron tick', async () => {
    dir = mkdtempSync(join(tmpdir(), 'kiosque-onchange-'));
    cpSync(join(REPO, 'content'), join(dir, 'content'), { recursive: true });
    const config = {
      ...parseConfig({
        port: 0,
        host: '127.0.0.1',
        schedule: '0 0 1 1 *',
        site: { baseUrl: 'http://127.0.0.1' },
      }),
      contentDir: join(dir, 'content'),
      outDir: join(dir, 'feeds'),
      stateDir: join(dir, 'feeds/.state'),
    };
    const running = await startNodeServer(config, silent);
    server = running;
    await until(async () => (await fetch(`${running.url}/healthz`)).status === 200, 30_000);
    // Let the first run's watcher settle before writing.
    await new Promise((r) => setTimeout(r, 300));
    writeFileSync(
      join(dir, 'content', 'zz-nouvel-article.md'),
      '---\ntitle: Un article tout neuf publié sur modification\ndate: 2026-12-07\n---\n\nLe contenu de cet article tout neuf compte assez de mots pour être gardé par le nettoyage, et il doit apparaître dans le flux peu après son écriture sur le disque.\n',
    );
    await until(
      async () => (await (await fetch(`${running.url}/feed.json`)).text()).includes('Un article tout neuf'),
      30_000,
    );
    expect((await fetch(`${running.url}/feed.xml`)).status).toBe(200);
  }, 90_000);
});
