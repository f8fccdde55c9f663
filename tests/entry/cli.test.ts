import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/entry/cli.ts';

const REPO = join(import.meta.dirname, '../..');
let dir: string;

function io(env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    io: { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t), env, cwd: dir },
  };
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kiosque-cli-'));
  cpSync(join(REPO, 'content'), join(dir, 'content'), { recursive: true });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('kiosque clean', () => {
  it('prints one JSON item per file with the documented fields', async () => {
    const run = io();
    const code = await main(
      ['clean', 'content/003_bf092931060377e5.txt', 'content/002_b507b94e37f33e6f.txt', '--json'],
      run.io,
    );
    expect(code).toBe(0);
    const items = JSON.parse(run.out.join('')) as Record<string, unknown>[];
    expect(items).toHaveLength(2);
    for (const item of items) {
      expect(Object.keys(item)).toEqual(
        expect.arrayContaining([
          'file',
          'title',
          'lead',
          'author',
          'publisher',
          'language',
          'blocks',
          'removed',
          'warnings',
        ]),
      );
      expect(item.language).toBe('fr');
    }
    expect(items[0]).toMatchObject({ file: 'content/003_bf092931060377e5.txt', author: 'Chloé' });
    expect(items[1]).toMatchObject({ publisher: 'RT' });
  });

  it('prints a readable report without --json', async () => {
    const run = io();
    expect(await main(['clean', 'content/004_8162897e43a0860c.txt'], run.io)).toBe(0);
    const text = run.out.join('');
    expect(text).toContain('== 004_8162897e43a0860c.txt [fr]');
    expect(text).toMatch(/- \S+\s+Spread the love/);
    expect(text).toContain('XNUMX');
  });

  it('names a missing file and an unknown extension, and exits 1', async () => {
    writeFileSync(join(dir, 'notes.docx'), 'x');
    const run = io();
    expect(await main(['clean', 'missing.txt', 'notes.docx', '--json'], run.io)).toBe(1);
    expect(run.err.join('')).toContain('missing.txt: ENOENT');
    expect(run.err.join('')).toContain('notes.docx: unknown extension');
  });
});

describe('kiosque build', () => {
  it('publishes into --out and prints a summary', async () => {
    const run = io();
    const code = await main(['build', '--out', 'public'], run.io);
    expect(code).toBe(0);
    expect(run.out.join('')).toMatch(/built 5 items .* 5 added/);
    // The root names shards; `/feed.xml` sits in the `site` shard (core/pipeline/manifest-shard.ts).
    const manifest = JSON.parse(readFileSync(join(dir, 'public/manifest.json'), 'utf8')) as {
      shards: Record<string, { key: string }>;
    };
    const site = JSON.parse(readFileSync(join(dir, 'public', manifest.shards.site?.key ?? ''), 'utf8')) as {
      documents: object;
    };
    expect(Object.keys(site.documents)).toContain('/feed.xml');
  });

  it('--changed rebuilds from the named file only; --full re-reads everything', async () => {
    expect(await main(['build', '--out', 'public'], io().io)).toBe(0);
    const file = 'content/003_bf092931060377e5.txt';
    const text = readFileSync(join(dir, file), 'utf8');
    // The first paragraph gains a sentence: the article's content really changes.
    const edited = text.replace(
      /\n\n/,
      ' Les négociations reprendront la semaine prochaine à Bruxelles.\n\n',
    );
    expect(edited).not.toBe(text);
    writeFileSync(join(dir, file), edited);
    const hinted = io();
    expect(await main(['build', '--out', 'public', '--changed', file], hinted.io)).toBe(0);
    expect(hinted.out.join('')).toMatch(/1 updated/);
    const full = io();
    expect(await main(['build', '--out', 'public', '--full'], full.io)).toBe(0);
    expect(full.out.join('')).toMatch(/built 5 items/);
  });

  it('refuses --changed outside the content folder, naming it', async () => {
    const run = io();
    expect(await main(['build', '--out', 'public', '--changed', '/etc/passwd'], run.io)).toBe(2);
    expect(run.err.join('')).toMatch(/--changed \/etc\/passwd is not inside the content folder/);
  });

  it('reads --config and rejects a bad one with a message naming the field', async () => {
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ feedSize: -1 }));
    const run = io();
    expect(await main(['build', '--config', 'bad.json'], run.io)).toBe(2);
    expect(run.err.join('')).toContain('feedSize must be an integer');
  });
});

describe('kiosque usage', () => {
  it('explains itself on --help, and refuses unknown commands and options', async () => {
    const help = io();
    expect(await main(['--help'], help.io)).toBe(0);
    expect(help.out.join('')).toContain('Usage: kiosque');
    const unknown = io();
    expect(await main(['publish'], unknown.io)).toBe(2);
    expect(unknown.err.join('')).toContain('unknown command "publish"');
    const badOption = io();
    expect(await main(['build', '--frobnicate'], badOption.io)).toBe(2);
  });
});
