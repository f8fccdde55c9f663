/**
 * Fixture cases as folders: tests/fixtures/clean/<case>/input.{txt,md,html} + expected.json.
 * expected.json lists blocks that must stay (`keep`), blocks that must go (`remove`),
 * sub-headings (`headings`), and optionally title/author/publisher/date/language/metadata.
 * `absent` lists fragments that must not appear in any kept block (HTML chrome the loader drops).
 * `unchanged: true` marks a negative control: nothing removed, every parsed block kept as is.
 * expected.txt (optional) is the whole expected body, blocks separated by blank lines: the test
 * compares it exactly, and `npm run eval` scores P/R/F1 against it.
 * `media` (optional) lists the addresses of the images and players kept, in order (`kept`), the
 * rule that removed each other one, keyed by a fragment of its address (`removed`), and the
 * document warnings expected (`warnings`).
 * To add a case: create the folder with an input file and its expected.json; this test picks it up.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cleanDocument, explainDocument } from '../../../src/core/clean/clean-document.ts';
import { detectFormat } from '../../../src/core/load/detect-format.ts';
import { parseDocument } from '../../../src/core/load/parse-document.ts';

const ROOT = fileURLToPath(new URL('../../fixtures/clean/', import.meta.url));

interface Expected {
  readonly language?: string;
  readonly title?: string;
  readonly author?: string;
  readonly publisher?: string;
  readonly date?: string;
  readonly unchanged?: boolean;
  readonly headings?: readonly string[];
  readonly keep: readonly string[];
  readonly remove: readonly string[];
  readonly absent?: readonly string[];
  readonly baseUrl?: string;
  readonly metadata?: Record<string, unknown>;
  readonly media?: {
    readonly kept: readonly string[];
    readonly removed?: Readonly<Record<string, string>>;
    readonly warnings?: readonly string[];
  };
}

const cases = readdirSync(ROOT, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

describe('clean fixture cases', () => {
  it('has cases in several languages, including a negative control', () => {
    expect(cases.length).toBeGreaterThanOrEqual(5);
    expect(cases.some((c) => c.includes('control'))).toBe(true);
  });

  for (const name of cases) {
    it(name, () => {
      const dir = `${ROOT}${name}/`;
      const input = readdirSync(dir).find((f) => f.startsWith('input.'));
      if (!input) throw new Error(`fixture ${name} has no input.* file`);
      const format = detectFormat(input);
      if (!format) throw new Error(`fixture ${name}: unknown format of ${input}`);
      const expected = JSON.parse(readFileSync(`${dir}expected.json`, 'utf8')) as Expected;
      const parsed = parseDocument({
        sourceId: `${name}/${input}`,
        file: input,
        source: name,
        format,
        body: readFileSync(`${dir}${input}`, 'utf8'),
        ...(expected.baseUrl ? { baseUrl: expected.baseUrl } : {}),
      });
      const clean = cleanDocument(parsed, { defaultLanguage: 'en' });
      const texts = clean.blocks.map((b) => b.text);

      for (const k of expected.keep) expect(texts).toContain(k);
      for (const r of expected.remove) {
        expect(texts).not.toContain(r);
        expect(clean.removed.map((x) => x.text)).toContain(r.replace(/\n/g, ' '));
      }
      for (const a of expected.absent ?? []) {
        expect(texts.filter((t) => t.includes(a))).toEqual([]);
      }
      if (existsSync(`${dir}expected.txt`)) {
        const body = readFileSync(`${dir}expected.txt`, 'utf8')
          .trim()
          .split(/\n\s*\n/);
        expect(texts).toEqual(body);
      }
      for (const h of expected.headings ?? []) {
        expect(clean.blocks.find((b) => b.text === h)?.kind).toBe('heading');
      }
      if (expected.language) expect(clean.inferred.language).toBe(expected.language);
      if (expected.title) expect(clean.inferred.title).toBe(expected.title);
      if (expected.author) expect(clean.inferred.author).toBe(expected.author);
      if (expected.publisher) expect(clean.inferred.publisher).toBe(expected.publisher);
      if (expected.date) expect(clean.inferred.date).toBe(expected.date);
      if (expected.metadata) expect(parsed.metadata).toEqual(expected.metadata);
      if (expected.unchanged) {
        expect(clean.removed).toEqual([]);
        expect(texts).toEqual(parsed.blocks.map((b) => b.text));
      }
      if (expected.media) {
        const { document, media } = explainDocument(parsed, { defaultLanguage: 'en' });
        expect((clean.media ?? []).map((m) => m.src)).toEqual(expected.media.kept);
        expect(document.media).toEqual(clean.media);
        for (const [fragment, rule] of Object.entries(expected.media.removed ?? {})) {
          const decision = media.find((d) => d.src.includes(fragment));
          expect(decision, fragment).toMatchObject({ decision: 'removed', rule });
        }
        // Every medium has a decision with a rule; every removal names a media-* rule.
        for (const d of media) expect(d.rule).toMatch(d.decision === 'kept' ? /^media$/ : /^media-[a-z-]+$/);
        const codes = clean.warnings.map((w) => w.code).filter((c) => c.startsWith('media-'));
        expect(codes).toEqual(expected.media.warnings ?? []);
      }
      // Every removal is explained.
      for (const r of clean.removed) {
        expect(r.rule).toMatch(/^[a-z-]+$/);
        expect(r.reason.length).toBeGreaterThan(5);
      }
    });
  }
});
