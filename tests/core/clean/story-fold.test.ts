import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  foldCorpus,
  foldWinner,
  richnessOf,
  storyOf,
  storyText,
} from '../../../src/core/clean/story-fold.ts';
import { parseDocument } from '../../../src/core/load/parse-document.ts';
import type { ParsedDocument, SourceFormat } from '../../../src/core/model.ts';

const fixture = (name: string) =>
  readFileSync(new URL(`../../fixtures/fold/${name}`, import.meta.url), 'utf8');

function parsed(name: string, body = fixture(name)): ParsedDocument {
  const format: SourceFormat = name.endsWith('.html') ? 'html' : name.endsWith('.md') ? 'markdown' : 'text';
  return parseDocument({ sourceId: name, file: name, source: 'content', format, body });
}

describe('storyOf: the fingerprint of a story', () => {
  it('is the same for a page saved as HTML and as Markdown, each with its own chrome (fr)', async () => {
    const html = await storyOf(parsed('fr-story.html'), 'fr');
    const md = await storyOf(parsed('fr-story.md'), 'fr');
    expect(html?.fingerprint).toMatch(/^[0-9a-f]{32}$/);
    expect(md?.fingerprint).toBe(html?.fingerprint);
    // The HTML page states title, date, author, publisher, language and URL; the Markdown two.
    expect(html?.richness).toBe(6);
    expect(md?.richness).toBe(2);
  });

  it('is the same for a text file and a Markdown file with front matter (de)', async () => {
    const txt = await storyOf(parsed('de-story.txt'), 'fr');
    const md = await storyOf(parsed('de-story.md'), 'fr');
    expect(txt?.fingerprint).toBe(md?.fingerprint);
    expect([txt?.richness, md?.richness]).toEqual([0, 4]);
  });

  it('changes when a paragraph of the story changes', async () => {
    const edited = fixture('de-story.txt').replace('elf Minuten', 'zwölf Minuten');
    const before = await storyOf(parsed('de-story.txt'), 'fr');
    const after = await storyOf(parsed('de-story.txt', edited), 'fr');
    expect(after?.fingerprint).not.toBe(before?.fingerprint);
  });

  it('ignores short kept lines and sub-headings around the prose', () => {
    const body = fixture('de-story.txt');
    const more = body.replace(
      'Teilen',
      '## Ein Zwischentitel\n\nKurze Zeile am Ende des Artikels.\n\nTeilen',
    );
    expect(storyText(parsed('a.md', more), 'fr')).toBe(storyText(parsed('a.txt', body), 'fr'));
  });

  it('gives no story to a text too short to tell', async () => {
    const stub = 'Kurzmeldung\n\nDer Bus fährt heute nicht. Mehr dazu morgen.\n';
    expect(await storyOf(parsed('stub.txt', stub), 'fr')).toBeNull();
  });
});

describe('which copy is published', () => {
  it('counts the metadata fields a copy states', () => {
    expect(richnessOf({})).toBe(0);
    expect(richnessOf({ title: 'T', tags: [], author: ' ' })).toBe(1);
    expect(richnessOf({ title: 'T', tags: ['a'], url: 'https://x.example/a', lang: 'fr' })).toBe(4);
  });

  it('prefers the copy with more metadata, then the first path, whatever the order', () => {
    expect(foldWinner({ 'b.md': 3, 'a.txt': 1 })).toBe('b.md');
    expect(foldWinner({ 'b.md': 2, 'a.md': 2, 'c.md': 2 })).toBe('a.md');
    expect(foldWinner({ 'c.md': 2, 'b.md': 2, 'a.md': 1 })).toBe('b.md');
    expect(foldWinner({ 'a.md': 5 })).toBeNull();
    expect(foldWinner(undefined)).toBeNull();
  });

  it('folds every copy of a corpus into its winner, and nothing else', () => {
    const copies = [
      { id: 'z/2.md', story: 's1', richness: 1 },
      { id: 'a/1.txt', story: 's1', richness: 1 },
      { id: 'm/3.html', story: 's1', richness: 0 },
      { id: 'solo.md', story: 's2', richness: 3 },
      { id: 'stub.txt', story: null, richness: 0 },
      { id: 'stub2.txt', story: null, richness: 0 },
    ];
    const folded = foldCorpus(copies);
    expect(Object.fromEntries(folded)).toEqual({ 'z/2.md': 'a/1.txt', 'm/3.html': 'a/1.txt' });
    expect(Object.fromEntries(foldCorpus([...copies].reverse()))).toEqual(Object.fromEntries(folded));
  });
});
