/**
 * RawDocument[] → CleanDocument[]: parses every document, folds copies of one story into one
 * (the others are listed in `folded`, not cleaned), learns the blocks each source repeats across
 * its articles (site chrome), then cleans each document with that knowledge.
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
  /** Copies folded into another copy of the same story (sourceIds), in input order. */
  readonly folded: readonly { readonly file: string; readonly into: string }[];
}

export function cleanCorpus(raws: readonly RawDocument[], defaultLanguage: string): CleanedCorpus {
  const corpus = prepareCorpus(raws, defaultLanguage);
  const failures: ContentFailure[] = [...corpus.failures];
  const documents: CleanDocument[] = [];
  const folded: { file: string; into: string }[] = [];
  for (const doc of corpus.parsed) {
    const into = corpus.folded.get(doc.raw.sourceId);
    if (into !== undefined) {
      folded.push({ file: doc.raw.sourceId, into });
      continue;
    }
    try {
      documents.push(cleanDocument(doc, corpus.optionsFor(doc)));
    } catch (error) {
      failures.push({ sourceId: doc.raw.sourceId, message: `could not clean: ${(error as Error).message}` });
    }
  }
  return { documents, failures, folded };
}
