import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  changeArticle,
  generateArticle,
  generateCorpus,
  sourceOfIndex,
} from '../../scripts/generate-corpus.ts';
import { cleanCorpus } from '../../src/core/corpus/clean-corpus.ts';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kiosque-corpus-test-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('generateArticle', () => {
  it('is deterministic for a seed and differs across seeds and indices', () => {
    expect(generateArticle(42, 7).body).toBe(generateArticle(42, 7).body);
    expect(generateArticle(43, 7).body).not.toBe(generateArticle(42, 7).body);
    expect(generateArticle(42, 8).body).not.toBe(generateArticle(42, 7).body);
  });

  it('writes French and English articles in text, Markdown and HTML', () => {
    const articles = Array.from({ length: 48 }, (_, i) => generateArticle(1, i));
    expect(new Set(articles.map((a) => a.language))).toEqual(new Set(['fr', 'en']));
    expect(new Set(articles.map((a) => a.format))).toEqual(new Set(['txt', 'md', 'html']));
    const md = articles.find((a) => a.format === 'md');
    expect(md?.body.startsWith('---\ntitle: ')).toBe(true);
    const html = articles.find((a) => a.format === 'html');
    expect(html?.body).toContain('<article>');
  });

  it('wraps the article in its source chrome, repeated across the source', () => {
    const a = generateArticle(5, 0);
    const b = generateArticle(5, 24); // same source: 24 sources in rotation
    expect(sourceOfIndex(0).slug).toBe(sourceOfIndex(24).slug);
    const tail = (body: string) => body.trim().split('\n').slice(-1)[0];
    expect(tail(a.body)).toBe(tail(b.body));
    expect(a.body).toContain(a.paragraphs[2] ?? 'missing');
  });

  it('gives kiosque articles whose body survives cleaning and whose chrome does not', () => {
    const raws = Array.from({ length: 72 }, (_, i) => generateArticle(9, i))
      .filter((a) => a.format === 'txt')
      .map((a) => ({
        sourceId: a.path,
        file: a.path,
        source: a.source,
        format: 'text' as const,
        body: a.body,
      }));
    const { documents } = cleanCorpus(raws, 'fr');
    const first = documents[0];
    expect(first?.blocks.length).toBeGreaterThan(2);
    const kept = first?.blocks.map((b) => b.text).join('\n') ?? '';
    expect(kept).not.toMatch(/Tous droits réservés|All rights reserved/);
  });
});

describe('generateCorpus and changeArticle', () => {
  it('writes count files under one folder per source; a change rewrites exactly one file', async () => {
    const dir = tempDir();
    const summary = await generateCorpus({ seed: 3, count: 30, dir });
    expect(summary.count).toBe(30);
    const files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
    expect(files).toHaveLength(30);
    const before = new Map(
      files.map((f) => [join(f.parentPath, f.name), readFileSync(join(f.parentPath, f.name), 'utf8')]),
    );
    const changed = await changeArticle({ seed: 3, dir, index: 29 });
    const differing = [...before].filter(([path, body]) => readFileSync(path, 'utf8') !== body);
    expect(differing.map(([path]) => path)).toEqual([join(dir, changed)]);
  });
});
