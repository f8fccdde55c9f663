/**
 * `kiosque build` guards (issue 19): a missing content folder and a build that would unpublish
 * most of the site both exit non-zero, name the problem and leave the published folder as it was;
 * `--allow-removals` lets a deliberate mass removal through.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config.ts';
import { main } from '../../src/entry/cli.ts';

const REPO = join(import.meta.dirname, '../..');
let dir: string;

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    io: { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t), env: {}, cwd: dir },
  };
}

/** Every file under `public/` (but the build status) with its bytes. */
function published(): Map<string, string> {
  const out = new Map<string, string>();
  const root = join(dir, 'public');
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || entry.name === 'status.json') continue;
    const path = join(entry.parentPath, entry.name);
    out.set(path, readFileSync(path, 'latin1'));
  }
  return out;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kiosque-guards-'));
  cpSync(join(REPO, 'content'), join(dir, 'content'), { recursive: true });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('kiosque build guards', () => {
  it('fails on a content folder that does not exist, changing nothing', async () => {
    expect(await main(['build', '--out', 'public'], io().io)).toBe(0);
    const before = published();
    const run = io();
    expect(await main(['build', '--out', 'public', '--content', 'no-such-folder'], run.io)).toBe(1);
    expect(run.out.join('')).toMatch(
      /the content folder .*no-such-folder does not exist; nothing was changed/,
    );
    expect(published()).toEqual(before);
  });

  it('refuses to unpublish every item unless --allow-removals', async () => {
    expect(await main(['build', '--out', 'public'], io().io)).toBe(0);
    const before = published();
    for (const name of readdirSync(join(dir, 'content')))
      rmSync(join(dir, 'content', name), { recursive: true });
    const refused = io();
    expect(await main(['build', '--out', 'public'], refused.io)).toBe(1);
    expect(refused.out.join('')).toMatch(/refusing to unpublish 5 of 5 published items \(every item\)/);
    expect(published()).toEqual(before);
    const allowed = io();
    expect(await main(['build', '--out', 'public', '--allow-removals'], allowed.io)).toBe(0);
    expect(allowed.out.join('')).toMatch(/built 0 items/);
  });
});

describe('allowRemovals in the config (serve, the Worker)', () => {
  it('is false by default, takes a boolean, and names a bad value', () => {
    expect(parseConfig({}).allowRemovals).toBe(false);
    expect(parseConfig({ allowRemovals: true }).allowRemovals).toBe(true);
    expect(() => parseConfig({ allowRemovals: 'yes' })).toThrow(ConfigError);
    expect(() => parseConfig({ allowRemovals: 'yes' })).toThrow(/allowRemovals must be true or false/);
  });
});
