import { describe, expect, it } from 'vitest';
import { prepareCorpus } from '../../../src/core/corpus/prepare-corpus.ts';
import type { RawDocument } from '../../../src/core/model.ts';

const BODY =
  'Le conseil municipal a voté mardi un budget en hausse pour les écoles de la ville, après un long débat.';

function raw(sourceId: string, source: string, body: string): RawDocument {
  return { sourceId, file: sourceId, source, format: 'text', body };
}

describe('prepareCorpus', () => {
  it('learns the blocks a source repeats and gives each document its own source’s chrome', () => {
    const corpus = prepareCorpus(
      [
        raw('a/1.txt', 'a', `Partager sur Facebook\n\n${BODY}`),
        raw(
          'a/2.txt',
          'a',
          `Partager sur Facebook\n\nUn autre article, avec ses propres phrases et son sujet.`,
        ),
        raw('b/1.txt', 'b', `Partager sur Facebook\n\n${BODY}`),
      ],
      'fr',
    );
    expect(corpus.parsed).toHaveLength(3);
    const [a1, , b1] = corpus.parsed;
    if (!a1 || !b1) throw new Error('parsed documents missing');
    expect(corpus.optionsFor(a1).defaultLanguage).toBe('fr');
    expect(corpus.optionsFor(a1).repeatedBlocks?.size).toBeGreaterThan(0);
    // source b has one article: nothing repeats there, whatever source a does
    expect(corpus.optionsFor(b1).repeatedBlocks?.size ?? 0).toBe(0);
    expect(corpus.failures).toEqual([]);
  });
});
