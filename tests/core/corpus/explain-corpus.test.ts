import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cleanDocument, explainDocument } from '../../../src/core/clean/clean-document.ts';
import { cleanCorpus } from '../../../src/core/corpus/clean-corpus.ts';
import {
  type Explanation,
  explainCorpus,
  formatExplanation,
} from '../../../src/core/corpus/explain-corpus.ts';
import { parseDocument } from '../../../src/core/load/parse-document.ts';
import type { RawDocument } from '../../../src/core/model.ts';

const body = [
  'Accueil > Monde',
  'Un titre assez long pour être le titre de cet article',
  "Le conseil municipal a voté mardi un budget qui prévoit la rénovation de trois écoles et d'une piscine, a-t-on appris auprès de la mairie.",
  'Partager sur Facebook',
].join('\n\n');
const raw: RawDocument = { sourceId: 'a.txt', file: 'a.txt', source: 's', format: 'text', body };

describe('explain', () => {
  it('gives every candidate block a decision, kind, signals and reason, without changing the result', () => {
    const parsed = parseDocument(raw);
    const { document, decisions } = explainDocument(parsed, { defaultLanguage: 'fr' });
    expect(document).toEqual(cleanDocument(parsed, { defaultLanguage: 'fr' }));
    expect(decisions.map((d) => [d.decision, d.rule])).toEqual([
      ['removed', 'chrome-lexicon'],
      ['removed', 'title'],
      ['kept', 'content'],
      ['removed', 'chrome-lexicon'],
    ]);
    const kept = decisions[2];
    expect(kept?.kind).toBe('paragraph');
    expect(kept?.score.class).toBe('good');
    expect(kept?.score.stopwordDensity).toBeGreaterThan(0.2);
    expect(decisions[0]?.score.class).toBe('rule');
  });

  it('renders one line and one reason per block for terminals', () => {
    const { explanations, failures } = explainCorpus([raw], 'fr');
    expect(failures).toEqual([]);
    const text = formatExplanation(explanations[0] as NonNullable<(typeof explanations)[0]>);
    expect(text).toContain('1 kept, 3 removed');
    expect(text).toMatch(/✗ paragraph .*Partager sur Facebook/);
    expect(text).toMatch(/removed by chrome-lexicon: share buttons caption/);
  });
});

describe('explain and clean: copies of one story', () => {
  const fixture = (name: string) =>
    readFileSync(new URL(`../../fixtures/fold/${name}`, import.meta.url), 'utf8');
  const raws: RawDocument[] = [
    { sourceId: 'news/b.txt', file: 'b.txt', source: 'news', format: 'text', body: fixture('de-story.txt') },
    { sourceId: 'news/a.md', file: 'a.md', source: 'news', format: 'markdown', body: fixture('de-story.md') },
  ];

  it('names the file a copy is folded into, and cleans the winner without its story as chrome', () => {
    const explained = explainCorpus(raws, 'fr');
    const [copy, winner] = explained.explanations;
    expect(copy?.foldedInto).toBe('a.md');
    expect(winner?.foldedInto).toBeUndefined();
    expect(formatExplanation(copy as Explanation)).toContain('≡ story-fold: folded into a.md');
    expect(winner?.decisions.some((d) => d.rule === 'repeated-across-source')).toBe(false);

    const cleaned = cleanCorpus(raws, 'fr');
    expect(cleaned.folded).toEqual([{ file: 'news/b.txt', into: 'news/a.md' }]);
    expect(cleaned.documents.map((d) => d.raw.sourceId)).toEqual(['news/a.md']);
    expect(cleaned.documents[0]?.blocks).toHaveLength(5);
  });
});
