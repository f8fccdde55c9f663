/**
 * RawDocument[] → CleanDocument[]: parses every document, learns the blocks each source
 * repeats across its articles (site chrome), then cleans each document with that knowledge.
 * Used by `regenerate` and by `kiosque clean`, so both see the same result.
 *
 * Must not: touch storage or the clock. A document that fails to parse or clean is returned
 * in `failures` and never stops the others.
 */
import { cleanDocument } from '../clean/clean-document.ts';
import { learnRepeatedBlocks } from '../clean/learn-source-chrome.ts';
import { parseDocument } from '../load/parse-document.ts';
import type { CleanDocument, ParsedDocument, RawDocument } from '../model.ts';
import type { ContentFailure } from './collect-content.ts';

export interface CleanedCorpus {
  readonly documents: readonly CleanDocument[];
  readonly failures: readonly ContentFailure[];
}

export function cleanCorpus(raws: readonly RawDocument[], defaultLanguage: string): CleanedCorpus {
  const parsed: ParsedDocument[] = [];
  const failures: ContentFailure[] = [];
  for (const raw of raws) {
    try {
      parsed.push(parseDocument(raw));
    } catch (error) {
      failures.push({ sourceId: raw.sourceId, message: `could not parse: ${(error as Error).message}` });
    }
  }
  const repeated = learnRepeatedBlocks(parsed);
  const documents: CleanDocument[] = [];
  for (const doc of parsed) {
    try {
      const repeatedBlocks = repeated.get(doc.raw.source);
      documents.push(cleanDocument(doc, { defaultLanguage, ...(repeatedBlocks ? { repeatedBlocks } : {}) }));
    } catch (error) {
      failures.push({ sourceId: doc.raw.sourceId, message: `could not clean: ${(error as Error).message}` });
    }
  }
  return { documents, failures };
}
