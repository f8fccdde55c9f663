/**
 * RawDocument[] → CleanDocument[]: parses every document, learns the blocks each source
 * repeats across its articles (site chrome), then cleans each document with that knowledge.
 * Used by `regenerate` and by `kiosque clean`, so both see the same result.
 *
 * Must not: touch storage or the clock. A document that fails to parse or clean is returned
 * in `failures` and never stops the others.
 */
import { cleanDocument } from '../clean/clean-document.ts';
import type { CleanDocument, RawDocument } from '../model.ts';
import type { ContentFailure } from '../sources/collect-content.ts';
import { prepareCorpus } from './prepare-corpus.ts';

export interface CleanedCorpus {
  readonly documents: readonly CleanDocument[];
  readonly failures: readonly ContentFailure[];
}

export function cleanCorpus(raws: readonly RawDocument[], defaultLanguage: string): CleanedCorpus {
  const corpus = prepareCorpus(raws, defaultLanguage);
  const failures: ContentFailure[] = [...corpus.failures];
  const documents: CleanDocument[] = [];
  for (const doc of corpus.parsed) {
    try {
      documents.push(cleanDocument(doc, corpus.optionsFor(doc)));
    } catch (error) {
      failures.push({ sourceId: doc.raw.sourceId, message: `could not clean: ${(error as Error).message}` });
    }
  }
  return { documents, failures };
}
