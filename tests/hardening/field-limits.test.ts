/**
 * Issue 24 items 2, 4, 5 end to end (load → clean → normalise → render → publish, fs driver):
 * a file with 5,000 tags, a 1,000,000-character title, out-of-range and impossible dates, a hostile
 * `lang`, and titles with markup. Output stays bounded by input, every format carries only valid
 * values, each title is the same plain string everywhere, and each cut or refusal is logged naming
 * the file and the field.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BuildReport, regenerate } from '../../src/core/orchestrate/regenerate.ts';
import { createNodeCompressor } from '../../src/drivers/compressor/node-zlib.ts';
import { createFsStorage } from '../../src/drivers/storage/fs.ts';
import { type LogLine, recordingLogger } from './bad-content-setup.ts';

const REPO = join(import.meta.dirname, '../..');
const BODY = readFileSync(join(REPO, 'content/000_bfecce3590181515.txt'), 'utf8')
  .split('\n')
  .slice(1)
  .join('\n');
/** Each file its own story (a closing paragraph naming it), so none folds into another (story-fold.ts). */
let files = 0;
const md = (front: string): string =>
  `---\n${front}\n---\n\n${BODY}\n\nCette version de l'article, la numéro ${++files} de ce test, reste un article distinct de tous les autres fichiers.`;

const FILES: Record<string, string> = {
  'tags.md': md(
    `title: Many tags\ntags:\n${Array.from({ length: 5000 }, (_, i) => `  - tag${i}`).join('\n')}`,
  ),
  'long-title.md': md(`title: ${'Titre '.repeat(200_000)}\nsummary: ${'Résumé '.repeat(10_000)}`),
  'bc.md': md('title: Before Christ\ndate: -000100-01-01T00:00:00Z'),
  'y10k.md': md("title: Year ten thousand\ndate: '+010000-01-01T00:00:00Z'"),
  'epoch.md': md('title: Epoch overflow\ndate: 99999999999999'),
  'impossible.md': md('title: Impossible date\ndate: 2023-02-30T25:61:00Z\nupdated: 2023-13-01'),
  'lang.md': md(`title: Hostile lang\nlang: 'fr"><script>alert(1)</script>'`),
  'locale.md': md('title: Underscore locale\nlang: fr_FR'),
  'markup.md': md(
    `title: 'Les <b>gras</b> & <a href="&#106;avascript:alert(1)">maigres</a>'\nauthor: '<i>Ann</i> &amp; Bob'`,
  ),
};

interface JsonFeed {
  items: { title: string; date_published: string; language?: string; tags?: string[]; _source?: string }[];
}

describe('field limits, dates, languages and titles through regenerate', () => {
  let root: string;
  let report: BuildReport;
  let lines: LogLine[];
  const published = (name: string): string => readFileSync(join(root, 'public', name), 'utf8');

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'kiosque-limits-'));
    mkdirSync(join(root, 'content'));
    for (const [name, text] of Object.entries(FILES)) writeFileSync(join(root, 'content', name), text);
    const logger = recordingLogger();
    lines = logger.lines;
    report = await regenerate(
      {
        content: createFsStorage(join(root, 'content')),
        published: createFsStorage(join(root, 'public')),
        state: createFsStorage(join(root, 'state')),
        clock: { now: () => new Date('2026-03-01T08:00:00Z') },
        logger,
        compressor: createNodeCompressor(),
      },
      {
        site: {
          title: 'Limits',
          description: 'd',
          baseUrl: 'https://l.example',
          language: 'en',
          ttlMinutes: 15,
        },
        feedSize: 50,
      },
    );
  }, 120_000);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('bounds the output by the input (5,000 tags: 20,010 documents before)', () => {
    expect(report.ok).toBe(true);
    expect(report.added).toHaveLength(Object.keys(FILES).length);
    // 9 items × ≤ 20 tags, 4 documents per topic: far below 20,010.
    expect(report.changedDocuments.length).toBeLessThan(250);
    let bytes = 0;
    const walk = (dir: string): void => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        if (e.isDirectory()) walk(join(dir, e.name));
        else bytes += statSync(join(dir, e.name)).size;
      }
    };
    walk(join(root, 'public'));
    expect(bytes).toBeLessThan(20_000_000);
  });

  it('publishes only valid dates and languages, in every format', () => {
    const rss = published('feed.xml');
    const atom = published('atom.xml');
    const json = JSON.parse(published('feed.json')) as JsonFeed;
    expect(XMLValidator.validate(rss)).toBe(true);
    expect(XMLValidator.validate(atom)).toBe(true);
    for (const item of json.items) {
      expect(item.date_published).toMatch(/^20\d\d-\d\d-\d\dT/);
      if (item.language !== undefined) expect(item.language).toMatch(/^[a-z]{2,3}(-[A-Za-z0-9]+)*$/);
    }
    for (const [, year] of rss.matchAll(/<pubDate>\w{3}, \d\d \w{3} (-?\d+)/g))
      expect(Number(year)).toBeGreaterThan(1969);
    for (const [, date] of atom.matchAll(/<(?:published|updated)>([^<]*)</g))
      expect(date).toMatch(/^20\d\d-/);
    for (const [, lang] of atom.matchAll(/xml:lang="([^"]*)"/g))
      expect(lang).toMatch(/^[a-z]{2,3}(-[A-Za-z0-9]+)*$/);
    expect(atom).toContain('xml:lang="fr-FR"');
    expect(rss + atom + JSON.stringify(json)).not.toMatch(
      /-000100|\+010000|5138-|<script|alert\(1\)|javascript/,
    );
  });

  it('shows each title as the same plain text in RSS, Atom, JSON Feed and the page', () => {
    const title = 'Les gras & maigres';
    const json = JSON.parse(published('feed.json')) as JsonFeed;
    expect(json.items.map((i) => i.title)).toContain(title);
    expect(published('feed.xml')).toContain('<title>Les gras &amp; maigres</title>');
    expect(published('atom.xml')).toContain('<title type="text">Les gras &amp; maigres</title>');
    for (const item of json.items) expect(item.title).not.toMatch(/<\/?[a-zA-Z][^>]*>/);
    const long = json.items.find((i) => i.title.startsWith('Titre'));
    expect(long?.title.length).toBeLessThanOrEqual(300);
  });

  it('logs each cut or refusal, naming the file and the field', () => {
    const warned = lines.filter((l) => l.level === 'warn').map((l) => l.message);
    for (const expected of [
      /^tags\.md: tags has 5000 tags, over the limit of 20/,
      /^long-title\.md: title is 1199999 characters, over the 300-character limit/,
      /^long-title\.md: summary is \d+ characters, over the 1000-character limit/,
      /^bc\.md: date "-000100-01-01T00:00:00Z" is outside 1970–2099/,
      /^y10k\.md: date .* is outside 1970–2099/,
      /^epoch\.md: date "99999999999999" is not a date/,
      /^impossible\.md: date "2023-02-30T25:61:00Z" has no such day/,
      /^impossible\.md: updated "2023-13-01" has no such month/,
      /^lang\.md: lang "fr\\"><script>alert\(1\)<\/script>" is not a BCP 47 language tag/,
    ]) {
      expect(
        warned.some((m) => expected.test(m)),
        String(expected),
      ).toBe(true);
    }
  });
});
