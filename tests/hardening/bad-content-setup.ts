/**
 * A content/ directory of broken and hostile files next to good ones, and a logger that keeps
 * every line, for tests/hardening/bad-content.test.ts. Each case names what kiosque does with it.
 */
import { randomBytes } from 'node:crypto';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LogFields, Logger } from '../../src/ports/logger.ts';

const REPO = join(import.meta.dirname, '../..');

export interface LogLine {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly message: string;
  readonly fields: LogFields;
}

export function recordingLogger(): Logger & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  const at =
    (level: LogLine['level']) =>
    (message: string, fields: LogFields = {}): void => {
      lines.push({ level, message, fields });
    };
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** What happens to a bad file: not loaded at all, or published in a degraded form. */
export type Outcome = 'skipped' | 'failed' | 'degraded' | 'published';

export interface BadFile {
  readonly name: string;
  readonly outcome: Outcome;
  /** A fragment of the log line (message or error field) that names the problem. */
  readonly problem: RegExp;
}

const PROSE =
  'The harbour council met on Tuesday to discuss the new ferry timetable. Residents asked for earlier ' +
  'crossings in winter, and the council agreed to study the costs before the spring session. ';
/** A real article body (a seed), so that the cleaner's quality gate has something to keep. */
const ARTICLE = readFileSync(join(REPO, 'content/000_bfecce3590181515.txt'), 'utf8');
const ARTICLE_BODY = ARTICLE.split('\n').slice(1).join('\n');
/**
 * The seed's body with a closing paragraph naming `tag`: each case is its own story, so none is
 * folded into the seed as a copy (clean/story-fold.ts). Latin-1 safe.
 */
const bodyOf = (tag: string): string =>
  `${ARTICLE_BODY}\n\nCette version de l'article, le cas ${tag} des tests, reste un article distinct de tous les autres fichiers du dossier.`;

const utf16le = (text: string): Buffer =>
  Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);

/** Writes the hostile files into `<root>/content` (plus the seed articles) and returns the cases. */
export function writeBadContent(root: string, outside: string): BadFile[] {
  const content = join(root, 'content');
  cpSync(join(REPO, 'content'), content, { recursive: true });
  mkdirSync(join(content, 'odd'), { recursive: true });
  const write = (name: string, body: string | Buffer): void => writeFileSync(join(content, name), body);
  write('odd/empty.txt', '');
  write('odd/junk.txt', Buffer.concat([randomBytes(4096), Buffer.from([0, 0, 0, 0])]));
  write(
    'odd/invalid-utf8.txt',
    Buffer.concat([
      Buffer.from(`Octets abîmés au milieu\n\n${ARTICLE_BODY.slice(0, ARTICLE_BODY.indexOf('. ') + 1)}`),
      Buffer.from([0xc3, 0x28, 0xa0, 0xa1]),
      Buffer.from(` Suite déjà publiée. ${bodyOf('invalid-utf8').slice(ARTICLE_BODY.indexOf('. ') + 2)}`),
    ]),
  );
  write('odd/utf16-bom.txt', utf16le(`Article en UTF-16 : ça marche\n\n${bodyOf('utf16')}`));
  write(
    'odd/latin1.txt',
    Buffer.from(`Café au port, en Latin-1\n\n${bodyOf('latin1').replace(/[’«»…—–]/g, "'")}`, 'latin1'),
  );
  write('odd/ten-megabytes.txt', Buffer.alloc(10 * 1024 * 1024, 'All work and no play. '));
  // 5 MB without a single line break: sentences that differ, as a scraped page without markup.
  const sentences: string[] = [];
  for (let n = 0; sentences.join(' ').length < 5 * 1024 * 1024; n += 500) {
    sentences.push(
      Array.from(
        { length: 500 },
        (_, k) => `Sentence ${n + k} reports on harbour traffic number ${(n + k) * 7}.`,
      ).join(' '),
    );
  }
  write('odd/one-line.txt', `Une très longue ligne ${sentences.join(' ')}`);
  write('odd/notes.docx', 'PK\u0003\u0004 not an article');
  write('odd/name with spaces é.md', `# Espaces et accents dans le nom\n\n${bodyOf('spaces')}`);
  write('odd/日本語の記事.txt', `港のフェリーの記事\n\n${bodyOf('japanese-name')}`);
  write(
    'odd/broken-front-matter.md',
    `---\ntitle: [unclosed\ndate: : :\n---\n\n# Front matter cassé\n\n${bodyOf('front-matter')}`,
  );
  writeFileSync(join(outside, 'secret.txt'), `TOP SECRET outside content\n\n${PROSE}`);
  symlinkSync(join(outside, 'secret.txt'), join(content, 'odd/escape-link.txt'));
  return [
    { name: 'odd/empty.txt', outcome: 'failed', problem: /empty/i },
    { name: 'odd/junk.txt', outcome: 'failed', problem: /binary/i },
    { name: 'odd/invalid-utf8.txt', outcome: 'degraded', problem: /invalid byte\(s\) replaced by U\+FFFD/ },
    { name: 'odd/utf16-bom.txt', outcome: 'published', problem: /utf-16le/i },
    { name: 'odd/latin1.txt', outcome: 'published', problem: /windows-1252/i },
    { name: 'odd/ten-megabytes.txt', outcome: 'failed', problem: /byte limit/i },
    { name: 'odd/one-line.txt', outcome: 'published', problem: /./ },
    { name: 'odd/notes.docx', outcome: 'skipped', problem: /unknown extension/i },
    { name: 'odd/name with spaces é.md', outcome: 'published', problem: /./ },
    { name: 'odd/日本語の記事.txt', outcome: 'published', problem: /./ },
    { name: 'odd/broken-front-matter.md', outcome: 'degraded', problem: /front matter/i },
    { name: 'odd/escape-link.txt', outcome: 'failed', problem: /symbolic link.*outside/i },
  ];
}

export function createBadContentRoot(): { root: string; outside: string; cases: BadFile[]; seeds: string[] } {
  const root = mkdtempSync(join(tmpdir(), 'kiosque-bad-'));
  const outside = mkdtempSync(join(tmpdir(), 'kiosque-outside-'));
  const seeds = readdirSync(join(REPO, 'content')).filter((name) => name.endsWith('.txt'));
  return { root, outside, cases: writeBadContent(root, outside), seeds };
}
