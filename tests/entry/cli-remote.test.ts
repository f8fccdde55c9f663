import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/entry/cli.ts';
import { createProgressBar } from '../../src/entry/format-build-report.ts';
import { startUpstream, type UpstreamServer } from '../upstream/upstream-server.ts';

let upstream: UpstreamServer;
let dir: string;

beforeAll(async () => {
  upstream = await startUpstream();
  dir = mkdtempSync(join(tmpdir(), 'kiosque-remote-cli-'));
  mkdirSync(join(dir, 'content'));
});
afterAll(async () => {
  await upstream.close();
  rmSync(dir, { recursive: true, force: true });
});

async function build(isTTY = false) {
  let stdout = '';
  let stderr = '';
  const code = await main(['build', '--config', join(dir, 'kiosque.config.json')], {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    env: {},
    cwd: dir,
    isTTY,
  });
  return { code, stdout, stderr };
}

describe('kiosque build with remote sources (the README example)', () => {
  it('pulls a feed end to end and prints the report; the next run revalidates and re-cleans nothing', async () => {
    writeFileSync(
      join(dir, 'kiosque.config.json'),
      JSON.stringify({
        site: { title: 'Revue de presse', baseUrl: 'https://revue.example', language: 'fr' },
        sources: [
          { type: 'feed', url: `${upstream.url}/feeds/news.xml`, name: 'gazette', tags: ['local'], limit: 3 },
          { type: 'article', url: `${upstream.url}/status/500`, name: 'broken' },
        ],
        fetch: { allowPrivateNetworks: true, perHostDelayMs: 0, retries: 0 },
        retentionDays: 30,
      }),
    );
    const first = await build(true);
    expect(first.code).toBe(3); // published, one source failed (build-exit-code.ts)
    expect(first.stdout).toMatch(
      /^built 3 items in \d+ ms: 3 added, 0 updated, 0 unchanged, 0 retained, 1 failed/,
    );
    expect(first.stdout).toMatch(/source {4}gazette \[feed\] fetched in \d+ ms: 3 entries, 3 items/);
    expect(first.stdout).toContain(`failed    ${upstream.url}/status/500: HTTP 500 Internal Server Error`);
    expect(first.stderr).toMatch(/\[#+-*\] \d+\/\d+/); // progress bar on a terminal
    const second = await build();
    expect(second.stdout).toMatch(/3 unchanged/);
    expect(second.stdout).toMatch(/clean \d+ ms \(3 reused, 0 cleaned\)/);
    expect(second.stderr).not.toMatch(/\[#+-*\]/);
  });
});

describe('createProgressBar', () => {
  it('redraws in place at most every 100 ms, always at the end, and clears itself', () => {
    const out: string[] = [];
    let t = 0;
    const bar = createProgressBar(
      (s) => out.push(s),
      () => t,
    );
    bar.update({ done: 1, total: 4, label: 'a' });
    t = 50;
    bar.update({ done: 2, total: 4, label: 'b' });
    t = 60;
    bar.update({ done: 4, total: 4, label: 'c' });
    bar.done();
    expect(out).toEqual([
      '\r\x1b[2K[######------------------] 1/4 a',
      '\r\x1b[2K[########################] 4/4 c',
      '\r\x1b[2K',
    ]);
  });
});
