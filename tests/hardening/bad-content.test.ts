import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BuildReport, regenerate } from '../../src/core/orchestrate/regenerate.ts';
import { createNodeCompressor } from '../../src/drivers/compressor/node-zlib.ts';
import { createFsStorage } from '../../src/drivers/storage/fs.ts';
import { type BadFile, createBadContentRoot, type LogLine, recordingLogger } from './bad-content-setup.ts';

interface JsonFeed {
  items: { id: string; title?: string; content_html?: string; content_text?: string; _source?: string }[];
}

describe('bad content files through regenerate (fs driver)', () => {
  let root: string;
  let outside: string;
  let cases: BadFile[];
  let seeds: string[];
  let report: BuildReport;
  let lines: LogLine[];
  const publicFile = (name: string): string => readFileSync(join(root, 'public', name), 'utf8');

  beforeAll(async () => {
    ({ root, outside, cases, seeds } = createBadContentRoot());
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
          title: 'Hostile',
          description: 'Bad input',
          baseUrl: 'https://bad.example',
          language: 'fr',
          ttlMinutes: 15,
        },
        feedSize: 100,
      },
    );
  }, 120_000);

  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });

  it('publishes a build: every good item, and the bad ones only as documented', () => {
    expect(report.ok).toBe(true);
    for (const seed of seeds) expect(report.added).toContain(seed);
    for (const bad of cases) {
      const where =
        bad.outcome === 'failed' ? report.failed : bad.outcome === 'skipped' ? report.skipped : null;
      if (where) {
        expect(
          where.map((f) => f.sourceId),
          bad.name,
        ).toContain(bad.name);
        expect(report.added, bad.name).not.toContain(bad.name);
      } else {
        expect(report.added, bad.name).toContain(bad.name);
      }
    }
    expect(report.itemCount).toBe(
      seeds.length + cases.filter((c) => ['published', 'degraded'].includes(c.outcome)).length,
    );
  });

  it.each([
    'odd/empty.txt',
    'odd/junk.txt',
    'odd/invalid-utf8.txt',
    'odd/utf16-bom.txt',
    'odd/latin1.txt',
    'odd/ten-megabytes.txt',
    'odd/notes.docx',
    'odd/broken-front-matter.md',
    'odd/escape-link.txt',
  ])('logs one clear line naming %s and its problem', (name) => {
    const bad = cases.find((c) => c.name === name);
    const named = lines.filter(
      (line) => (line.level === 'warn' || line.level === 'error') && line.fields.file === name,
    );
    expect(named.length, name).toBeGreaterThan(0);
    expect(
      named.some((line) => bad?.problem.test(`${line.message} ${String(line.fields.error ?? '')}`)),
      `${name}: ${JSON.stringify(named)}`,
    ).toBe(true);
  });

  it('keeps every feed well-formed, and the three formats carry the same items', () => {
    const rss = publicFile('feed.xml');
    const atom = publicFile('atom.xml');
    expect(XMLValidator.validate(rss)).toBe(true);
    expect(XMLValidator.validate(atom)).toBe(true);
    const json = JSON.parse(publicFile('feed.json')) as JsonFeed;
    expect(json.items).toHaveLength(report.itemCount);
    expect(rss.match(/<item>/g)).toHaveLength(report.itemCount);
    expect(atom.match(/<entry[\s>]/g)).toHaveLength(report.itemCount);
    for (const item of json.items) {
      expect(rss).toContain(item.id);
      expect(atom).toContain(item.id);
    }
  });

  it('decodes UTF-16, Latin-1 and damaged UTF-8 without garbling accents; damage shows as U+FFFD', () => {
    const json = JSON.parse(publicFile('feed.json')) as JsonFeed;
    const titles = json.items.map((i) => i.title ?? '');
    expect(titles).toContain('Article en UTF-16 : ça marche');
    expect(titles).toContain('Café au port, en Latin-1');
    const damaged = json.items.find((i) => i.title === 'Octets abîmés au milieu');
    expect(damaged?.content_text).toContain('\uFFFD');
    expect(damaged?.content_text).toContain('déjà publiée');
    expect(damaged?.content_text).not.toMatch(/Ã|Â/);
    expect(titles).toContain('Espaces et accents dans le nom');
    // The Japanese file publishes (its name survives in the id and slug); its short CJK first line
    // is not taken as the title by the cleaner's title rules, which is their call, not a load error.
    expect(report.added).toContain('odd/日本語の記事.txt');
  });

  it('never publishes what a symbolic link out of content/ points at', () => {
    for (const entry of readdirSync(join(root, 'public'), { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || /\.(gz|br)$/.test(entry.name)) continue;
      expect(readFileSync(join(entry.parentPath, entry.name), 'utf8')).not.toContain('TOP SECRET');
    }
  });

  it('ignores broken front matter instead of guessing metadata from it; the body still publishes', () => {
    const json = JSON.parse(publicFile('feed.json')) as JsonFeed;
    const titles = json.items.map((i) => i.title);
    expect(titles).toContain('Front matter cassé');
    expect(titles.some((t) => t?.includes('[unclosed'))).toBe(false);
  });
});
