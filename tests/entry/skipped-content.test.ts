/**
 * Content entries a build leaves out (hidden names, FIFOs, sockets) each get a `skipped` line in
 * `kiosque build`'s report, with control characters in their names escaped; none is ever opened.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/entry/cli.ts';

let dir: string;
let socket: Server | undefined;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kiosque-skips-'));
});
afterEach(async () => {
  if (socket) await new Promise<void>((done) => socket?.close(() => done()));
  socket = undefined;
  rmSync(dir, { recursive: true, force: true });
});

const ARTICLE = `# Le marché couvert rouvre\n\n${'Le marché couvert de la ville rouvre ses portes après deux ans de travaux, avec des étals plus nombreux et des horaires élargis le dimanche matin. '.repeat(3)}\n`;

async function build(): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  writeFileSync(
    join(dir, 'kiosque.config.json'),
    JSON.stringify({ site: { title: 'T', baseUrl: 'https://t.example', language: 'fr' } }),
  );
  const code = await main(['build', '--config', join(dir, 'kiosque.config.json')], {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    env: {},
    cwd: dir,
    isTTY: false,
  });
  return { code, stdout, stderr };
}

describe('kiosque build reports the content it skips', () => {
  it('one line per hidden file, hidden folder, FIFO and socket; names escaped; none read', async () => {
    const content = join(dir, 'content');
    mkdirSync(join(content, '.git'), { recursive: true });
    writeFileSync(join(content, 'marche.md'), ARTICLE);
    writeFileSync(join(content, '.DS_Store'), 'x');
    writeFileSync(join(content, '.git', 'HEAD'), 'ref');
    writeFileSync(join(content, '.git', 'config'), 'x');
    writeFileSync(join(content, '.brouillon\x1b[2J.md'), ARTICLE);
    execFileSync('mkfifo', [join(content, 'pipe.md')]); // a read would block forever
    execFileSync('mkfifo', [join(content, 'tube\x1b]0;pwned\x07.md')]);
    const socketPath = join(content, 'control.sock');
    socket = createServer();
    await new Promise<void>((done) => socket?.listen(socketPath, () => done()));

    const { code, stdout } = await build();
    expect(code).toBe(0);
    expect(stdout).toMatch(/^built 1 items/);
    const skipped = stdout.split('\n').filter((line) => line.startsWith('  skipped'));
    expect(skipped).toEqual([
      '  skipped   .DS_Store: hidden file (name starts with a dot): not published',
      '  skipped   .brouillon\\x1b[2J.md: hidden file (name starts with a dot): not published',
      '  skipped   .git/: hidden folder (name starts with a dot): 2 files not published',
      '  skipped   control.sock: not a regular file (a socket): not read',
      '  skipped   pipe.md: not a regular file (a FIFO (named pipe)): not read',
      '  skipped   tube\\x1b]0;pwned\\x07.md: not a regular file (a FIFO (named pipe)): not read',
    ]);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the point is that none is printed.
    expect(stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f]/);
  });
});
