import { describe, expect, it } from 'vitest';
import { cleanDocument } from '../../../src/core/clean/clean-document.ts';
import { comparisonKey } from '../../../src/core/clean/normalise-text.ts';
import type { ParsedDocument, RawBlock } from '../../../src/core/model.ts';

const P1 =
  'The city council voted on Tuesday to extend the night bus network to the northern districts, after a year of complaints from residents who work late shifts.';
const P2 =
  'The new lines will start running in September and will be paid for by a small increase in the price of monthly passes, the council said in a statement.';
const P3 =
  'Opposition members said the plan did not go far enough and asked for a study of the whole network before the next budget is voted in the spring.';

const parsed = (texts: readonly (string | RawBlock)[], metadata = {}): ParsedDocument => ({
  raw: { sourceId: 'a.txt', file: 'a.txt', source: 'src', format: 'text', body: '' },
  metadata,
  blocks: texts.map((t) => (typeof t === 'string' ? { text: t, hint: 'paragraph' as const } : t)),
});

const clean = (doc: ParsedDocument, repeated?: ReadonlySet<string>) =>
  cleanDocument(doc, { defaultLanguage: 'en', ...(repeated ? { repeatedBlocks: repeated } : {}) });

describe('cleanDocument', () => {
  it('moves the title out of the body, strips its site suffix and removes its copies', () => {
    const out = clean(
      parsed(['Night buses reach the north — City Herald', P1, 'Night buses reach the north', P2]),
    );
    expect(out.inferred.title).toBe('Night buses reach the north');
    expect(out.inferred.publisher).toBe('City Herald');
    expect(out.blocks.map((b) => b.text)).toEqual([P1, P2]);
    expect(out.removed.map((r) => r.rule)).toEqual(['title', 'title-duplicate']);
  });

  it('lets a trailing agency credit win over the site name', () => {
    const out = clean(parsed(['Night buses reach the north | City Herald', P1, P2, 'AFP']));
    expect(out.inferred.publisher).toBe('AFP');
  });

  it('keeps short blocks between good prose and drops short blocks at the edges', () => {
    const out = clean(parsed(['Menu', P1, 'It was a close vote.', P2, P3, 'Archive', 'Contact']));
    const texts = out.blocks.map((b) => b.text);
    expect(texts).toContain('It was a close vote.');
    expect(texts).not.toContain('Archive');
    expect(texts).not.toContain('Contact');
    expect(texts).not.toContain('Menu');
  });

  it('promotes sub-headings between paragraphs and keeps the lead as the first block', () => {
    const out = clean(parsed([P1, P2, 'What the opposition wants', P3]));
    expect(out.blocks[2]).toEqual({ kind: 'heading', text: 'What the opposition wants', level: 2 });
    expect(out.inferred.lead).toBe(P1);
    expect(out.blocks[0]?.text).toBe(P1);
  });

  it('derives a title from the first sentence when there is no title line', () => {
    const out = clean(parsed([P1, P2]));
    expect(out.inferred.title).toBe(
      'The city council voted on Tuesday to extend the night bus network to the northern districts, after a year of…',
    );
  });

  it('removes blocks learned as repeated across the source', () => {
    const out = clean(
      parsed([P1, 'Our weekly podcast is out now', P2, P3]),
      new Set([comparisonKey('Our weekly podcast is out now')]),
    );
    expect(out.removed).toEqual([
      { text: 'Our weekly podcast is out now', rule: 'repeated-across-source', reason: expect.any(String) },
    ]);
  });

  it('removes link-heavy blocks from HTML and keeps heading hints', () => {
    const out = clean(
      parsed([
        { text: 'Night buses reach the north', hint: 'heading', level: 1 },
        P1,
        { text: 'Budget', hint: 'heading', level: 3 },
        P2,
        { text: 'Sports results and weather for the whole week here', hint: 'paragraph', linkDensity: 0.9 },
        P3,
      ]),
    );
    expect(out.inferred.title).toBe('Night buses reach the north');
    expect(out.blocks.find((b) => b.text === 'Budget')).toEqual({
      kind: 'heading',
      text: 'Budget',
      level: 3,
    });
    expect(out.removed.find((r) => r.rule === 'link-density')?.text).toMatch(/^Sports/);
  });

  it('finds bylines and date lines at the head', () => {
    const out = clean(
      parsed(['Night buses reach the north', 'By Ann Lee', 'Published: 3 March 2024', P1, P2]),
    );
    expect(out.inferred.author).toBe('Ann Lee');
    expect(out.inferred.date).toBe('2024-03-03T00:00:00.000Z');
    expect(out.blocks.map((b) => b.text)).toEqual([P1, P2]);
  });

  it('warns about XNUMX and mojibake without changing the text', () => {
    const out = clean(parsed([`${P1} In the last XNUMX hours.`, `${P2} Itâ€™s the cafÃ© owners who asked.`]));
    expect(out.warnings.map((w) => w.code)).toEqual(['machine-translation-artefact', 'mojibake']);
    expect(out.warnings[0]?.message).toContain('XNUMX');
    expect(out.blocks[1]?.text).toContain('cafÃ©');
  });

  it('uses metadata language as the fallback and detects the text language otherwise', () => {
    expect(clean(parsed([P1, P2])).inferred.language).toBe('en');
    expect(clean(parsed(['Kurz.'], { lang: 'de-AT' })).inferred.language).toBe('de');
  });

  it('does not mutate its input', () => {
    const doc = parsed(['Title of the piece here', P1, P2, 'Share']);
    const copy = structuredClone(doc);
    clean(doc);
    expect(doc).toEqual(copy);
  });

  it('handles an empty document', () => {
    const out = clean(parsed([]));
    expect(out.blocks).toEqual([]);
    expect(out.inferred.title).toBeUndefined();
  });

  it('cleans a long document of repeated chrome and prose block by block', () => {
    const para = Array.from({ length: 2000 }, (_, i) =>
      i % 3 === 0 ? 'Share this article' : i % 3 === 1 ? P1 : P2,
    );
    const out = clean(parsed(para));
    expect(out.removed.filter((r) => r.text === 'Share this article').length).toBeGreaterThan(600);
    expect(out.blocks.some((b) => b.text === 'Share this article')).toBe(false);
  });
});
