/**
 * Issue 24 item 6: untrusted strings (file names, titles, messages) cannot forge a log line or
 * drive the operator's terminal, in every log line and report: escapeControl itself, the console
 * loggers (text and JSON), `kiosque build`'s report (end to end, a real file with a newline in
 * its name) and `kiosque clean`'s text output.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { escapeControl, escapeControlInJson } from '../../src/core/report/escape-control.ts';
import { createConsoleLogger } from '../../src/drivers/logger/console-logger.ts';
import { createWorkerConsoleLogger } from '../../src/drivers/logger/worker-console-logger.ts';
import { main } from '../../src/entry/cli.ts';
import { formatBuildReport } from '../../src/entry/format-build-report.ts';

const FORGED = 'x\n  failed    forged.txt';
const ANSI = 'clear\x1b[2J\x1b[H\x9b31m.txt';
const BIDI = 'invoice\u202Etxt.exe\u2028next\u2066';
/** Any character that may end a line or drive a terminal, or reorder text. */
// biome-ignore lint/complexity/useRegexLiterals: a literal would need raw control characters.
const UNSAFE = new RegExp(
  '[\\u0000-\\u0009\\u000b-\\u001f\\u007f-\\u009f\\u061c\\u200e\\u200f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069]',
);

describe('escapeControl', () => {
  it('replaces controls, bidi overrides and separators with visible escapes', () => {
    expect(escapeControl(FORGED)).toBe('x\\n  failed    forged.txt');
    expect(escapeControl(ANSI)).toBe('clear\\x1b[2J\\x1b[H\\x9b31m.txt');
    expect(escapeControl(BIDI)).toBe('invoice\\u202etxt.exe\\u2028next\\u2066');
    expect(escapeControl('a\tb\rc\x7f\0')).toBe('a\\tb\\rc\\x7f\\x00');
  });

  it('keeps every other character', () => {
    const text = 'Été à Paris — عربي 中文 👩🏽‍💻 e\u0301 C:\\dir\\n';
    expect(escapeControl(text)).toBe(text);
  });

  it('keeps JSON exact for a parser while no raw override reaches the terminal', () => {
    const json = escapeControlInJson(JSON.stringify({ file: `${ANSI}${BIDI}` }));
    expect(json).not.toMatch(UNSAFE);
    expect(JSON.parse(json)).toEqual({ file: `${ANSI}${BIDI}` });
  });
});

describe('loggers', () => {
  it('text and JSON lines stay one line with no raw control character', () => {
    for (const format of ['text', 'json'] as const) {
      const lines: string[] = [];
      const logger = createConsoleLogger({ format, write: (l) => lines.push(l) });
      logger.warn(`content file failed to load ${FORGED}`, { file: `${ANSI}${BIDI}`, n: 1 });
      expect(lines).toHaveLength(1);
      expect(lines[0]).not.toMatch(/\n/);
      expect(lines[0]).not.toMatch(UNSAFE);
    }
  });

  it('the Worker logger escapes the message and string fields', () => {
    const seen: unknown[][] = [];
    const sink = { debug() {}, info() {}, warn: (...a: unknown[]) => seen.push(a), error() {} };
    createWorkerConsoleLogger({ console: sink }).warn(FORGED, { file: ANSI });
    expect(seen[0]).toEqual(['x\\n  failed    forged.txt', { file: 'clear\\x1b[2J\\x1b[H\\x9b31m.txt' }]);
  });
});

describe('build report', () => {
  it('prints a forged name on its own line, escaped', () => {
    const text = formatBuildReport(
      {
        ok: true,
        startedAt: '2026-01-01T00:00:00Z',
        durationMs: 1,
        itemCount: 1,
        added: [FORGED],
        updated: [],
        unchanged: 0,
        failed: [{ sourceId: ANSI, message: BIDI }],
        skipped: [],
        changedDocuments: [],
        removedDocuments: [],
        warnings: 0,
        folded: [{ file: FORGED, into: 'a.md' }],
      },
      'public',
    );
    expect(text.split('\n').filter((l) => l.startsWith('  failed'))).toHaveLength(1);
    expect(text).toContain('  added     x\\n  failed    forged.txt\n');
    expect(text).toContain('  folded    x\\n  failed    forged.txt → a.md (same story)\n');
    expect(text).not.toMatch(UNSAFE);
  });
});

describe('kiosque build and clean with hostile file names', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kiosque-names-'));
    mkdirSync(join(dir, 'content'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const run = async (args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(args, {
      stdout: (t) => out.push(t),
      stderr: (t) => err.push(t),
      env: {},
      cwd: dir,
    });
    return { code, out: out.join(''), err: err.join('') };
  };

  it('no forged line and no raw escape in either command output or log', async () => {
    const body = readFileSync(join(import.meta.dirname, '../../content/003_bf092931060377e5.txt'));
    const other = readFileSync(join(import.meta.dirname, '../../content/000_bfecce3590181515.txt'));
    // Two copies of one story (the second is folded: its line names both files) and another story.
    for (const name of [`${FORGED}`, `${BIDI}.txt`]) writeFileSync(join(dir, 'content', name), body);
    writeFileSync(join(dir, 'content', ANSI), other);
    writeFileSync(join(dir, 'content', 'empty\x1b[31m.txt'), '');
    const build = await run(['build', '--out', 'public']);
    expect(build.out).toMatch(/^built /);
    for (const stream of [build.out, build.err]) {
      expect(stream).not.toMatch(UNSAFE);
      expect(stream.split('\n').filter((l) => l.startsWith('  failed    forged.txt'))).toEqual([]);
    }
    expect(build.out).toContain('x\\n  failed    forged.txt');
    expect(build.out).toContain('  folded    ');
    const clean = await run(['clean', `content/${FORGED}`, `content/${ANSI}`]);
    expect(clean.out).toContain('== x\\n  failed    forged.txt [');
    expect(clean.out + clean.err).not.toMatch(UNSAFE);
    const explain = await run(['clean', '--explain', `content/${FORGED}`]);
    expect(explain.out).not.toMatch(UNSAFE);
  });
});
