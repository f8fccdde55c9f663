import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BuildReport } from '../../src/core/orchestrate/regenerate.ts';
import type { SourceReport } from '../../src/core/remote/collect-remote.ts';
import { BUILD_EXIT, buildExitCode } from '../../src/entry/build-exit-code.ts';
import { main } from '../../src/entry/cli.ts';
import { startUpstream, type UpstreamServer } from '../upstream/upstream-server.ts';

const base: BuildReport = {
  ok: true,
  startedAt: '2026-01-10T12:00:00.000Z',
  durationMs: 1,
  itemCount: 1,
  added: [],
  updated: [],
  unchanged: 1,
  failed: [],
  skipped: [],
  changedDocuments: [],
  removedDocuments: [],
  warnings: 0,
};

function source(status: SourceReport['status']): SourceReport {
  return {
    name: 's',
    type: 'feed',
    url: 'https://x.example/f',
    status,
    entries: 0,
    items: 0,
    failedItems: 0,
    ms: 1,
  };
}

function withSources(...statuses: SourceReport['status'][]): BuildReport {
  return {
    ...base,
    remote: { sources: statuses.map(source), retained: [], duplicates: [], expired: [] },
  };
}

describe('buildExitCode: the report → exit code table', () => {
  it('maps each outcome to its code', () => {
    expect(buildExitCode(base)).toBe(BUILD_EXIT.published);
    expect(buildExitCode({ ...base, ok: false, error: 'ENOSPC' })).toBe(BUILD_EXIT.failed);
    expect(buildExitCode({ ...base, failed: [{ sourceId: 'a.md', message: 'x' }] })).toBe(BUILD_EXIT.partial);
    expect(buildExitCode(withSources('fetched', 'failed'))).toBe(BUILD_EXIT.partial);
    expect(buildExitCode(withSources('failed', 'failed'))).toBe(BUILD_EXIT.remoteDown);
    expect(buildExitCode(withSources('not-modified'))).toBe(BUILD_EXIT.published);
    expect(
      buildExitCode({ ...base, ok: false, busy: true, error: 'another build holds the publish lock' }),
    ).toBe(BUILD_EXIT.busy);
    expect([0, 1, 2, 3, 4, 5]).toEqual(Object.values(BUILD_EXIT));
  });
});

describe('kiosque build exit codes', () => {
  let upstream: UpstreamServer;
  let dir: string;
  beforeEach(async () => {
    upstream = await startUpstream();
    dir = mkdtempSync(join(tmpdir(), 'kiosque-exit-'));
    mkdirSync(join(dir, 'content'));
    writeFileSync(
      join(dir, 'content', 'local.md'),
      '# Local\n\nA local article that is always there to publish.\n',
    );
  });
  afterEach(async () => {
    await upstream.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function build(sources: unknown[]): Promise<number> {
    writeFileSync(
      join(dir, 'kiosque.config.json'),
      JSON.stringify({
        site: { title: 'T', baseUrl: 'https://t.example', language: 'fr' },
        sources,
        fetch: { allowPrivateNetworks: true, perHostDelayMs: 0, retries: 0 },
      }),
    );
    return main(['build', '--config', join(dir, 'kiosque.config.json')], {
      stdout: () => {},
      stderr: () => {},
      env: {},
      cwd: dir,
      isTTY: false,
    });
  }

  it('does not exit 0 when every remote source failed', async () => {
    const code = await build([
      { type: 'feed', url: `${upstream.url}/feeds/malformed.xml` },
      { type: 'article', url: `${upstream.url}/status/500` },
    ]);
    expect(code).toBe(BUILD_EXIT.remoteDown);
  });

  it('exits 3 when some sources failed and 0 when all answered', async () => {
    expect(
      await build([
        { type: 'article', url: `${upstream.url}/articles/one` },
        { type: 'article', url: `${upstream.url}/status/500` },
      ]),
    ).toBe(BUILD_EXIT.partial);
    expect(await build([{ type: 'article', url: `${upstream.url}/articles/one` }])).toBe(
      BUILD_EXIT.published,
    );
  });
});
