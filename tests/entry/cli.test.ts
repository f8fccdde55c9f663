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
    // The root names shards; `/feed.xml` sits in the `site` shard (core/publish/manifest-shard.ts).
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
    expect(badOption.err.join('')).toBe(
      "kiosque: unknown option --frobnicate\nRun 'kiosque help build' for usage.\n",
    );
  });

  it('kiosque help lists the commands; kiosque help COMMAND and COMMAND --help show its options', async () => {
    const all = io();
    expect(await main(['help'], all.io)).toBe(0);
    const text = all.out.join('');
    expect(text).toMatch(/^kiosque \d+\.\d+\.\d+: /);
    for (const command of ['build', 'serve', 'clean FILE...', 'help [COMMAND]'])
      expect(text).toContain(`  ${command}`);
    const build = io();
    expect(await main(['help', 'build'], build.io)).toBe(0);
    expect(build.out.join('')).toMatch(/^Usage: kiosque build \[options\]\n/);
    expect(build.out.join('')).toContain('--changed FILE');
    expect(build.out.join('')).not.toContain('--explain');
    const flag = io();
    expect(await main(['clean', '--help'], flag.io)).toBe(0);
    expect(flag.out.join('')).toMatch(/^Usage: kiosque clean FILE\.\.\. \[options\]/);
    const nothing = io();
    expect(await main([], nothing.io)).toBe(2);
    expect(nothing.err.join('')).toContain('Usage: kiosque <command>');
    const bad = io();
    expect(await main(['help', 'bild'], bad.io)).toBe(2);
    expect(bad.err.join('')).toContain('kiosque help: unknown command "bild"; did you mean "build"?');
  });

  it('prints the version of package.json for --version and -v', async () => {
    const { version } = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-v']) {
      const run = io();
      expect(await main([flag], run.io)).toBe(0);
      expect(run.out.join('')).toBe(`kiosque ${version}\n`);
    }
  });

  it.each([
    [
      ['build', '--contnet', 'x'],
      "kiosque: unknown option --contnet; did you mean --content?\nRun 'kiosque help build' for usage.\n",
    ],
    [['build', '--out'], "kiosque: option --out needs a value (DIR)\nRun 'kiosque help build' for usage.\n"],
    [
      ['build', '--out', '--full'],
      "kiosque: option --out needs a value (DIR)\nRun 'kiosque help build' for usage.\n",
    ],
    [['build', '--full=yes'], "kiosque: option --full takes no value\nRun 'kiosque help build' for usage.\n"],
    [
      ['clean', 'a.txt', '--full'],
      "kiosque: option --full does not apply to clean (it is for: build)\nRun 'kiosque help clean' for usage.\n",
    ],
    [['biuld'], 'kiosque: unknown command "biuld"; did you mean "build"?\nRun \'kiosque help\' for usage.\n'],
    [
      ['build', 'extra'],
      'kiosque build: unexpected argument "extra"\nRun \'kiosque help build\' for usage.\n',
    ],
    [['-x'], "kiosque: unknown option -x\nRun 'kiosque help' for usage.\n"],
  ])("%j is answered in kiosque's words", async (argv, message) => {
    const run = io();
    expect(await main(argv, run.io)).toBe(2);
    expect(run.err.join('')).toBe(message);
  });

  it('prints every problem of the config file, one per line', async () => {
    writeFileSync(
      join(dir, 'kiosque.config.json'),
      JSON.stringify({ site: { baseUrl: 'feeds.example.org' }, feedSize: -1, shedule: '*/5 * * * *' }),
    );
    const run = io();
    expect(await main(['build'], run.io)).toBe(2);
    expect(run.err.join('')).toBe(
      [
        'kiosque: 3 problems in kiosque.config.json:',
        '  unknown config field "shedule"; did you mean "schedule"?',
        '  site.baseUrl must be an absolute http(s) URL, got "feeds.example.org"',
        '  feedSize must be an integer from 1 to 1000, got -1',
        '',
      ].join('\n'),
    );
  });
});

describe('kiosque build links', () => {
  // A fresh output folder per build: an incremental build does not re-render feeds for a new
  // base URL alone (a known gap of the pipeline's render inputs, reported separately).
  const feedOf = (out: string) => readFileSync(join(dir, out, 'feed.xml'), 'utf8');

  it('follow PORT and --port when no base URL is given, as serve would', async () => {
    expect(await main(['build', '--out', 'a'], io({ PORT: '9000' }).io)).toBe(0);
    expect(feedOf('a')).toContain('<link>http://localhost:9000/</link>');
    expect(await main(['build', '--out', 'b', '--port', '9100'], io().io)).toBe(0);
    expect(feedOf('b')).toContain('<link>http://localhost:9100/</link>');
  });

  it('keep SITE_URL when it is given', async () => {
    expect(
      await main(
        ['build', '--out', 'public'],
        io({ PORT: '9000', SITE_URL: 'https://feeds.example.org' }).io,
      ),
    ).toBe(0);
    expect(feedOf('public')).toContain('<link>https://feeds.example.org/</link>');
  });
});
