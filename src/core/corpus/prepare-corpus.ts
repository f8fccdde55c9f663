/**
 * RawDocument[] → ParsedDocument[] plus the cleaning options of each: parses every document
 * and learns the blocks each source repeats across its articles (site chrome), so that every
 * caller (`cleanCorpus`, `explainCorpus`) cleans with the same knowledge.
 *
 * It joins two stages (load parses, clean learns the chrome), so it stands above both in corpus/:
 * clean never imports load.
 *
 * Must not: clean, or touch storage or the clock. A document that fails to parse is returned in
 * `failures` and never stops the others.
 */
import type { CleanOptions } from '../clean/clean-document.ts';
import { learnRepeatedBlocks } from '../clean/learn-source-chrome.ts';
import { parseDocument } from '../load/parse-document.ts';
import type { ParsedDocument, RawDocument } from '../model.ts';

export interface PreparedCorpus {
  readonly parsed: readonly ParsedDocument[];
  readonly failures: readonly { readonly sourceId: string; readonly message: string }[];
  /** The options to clean one of `parsed` with: the default language and its source's chrome. */
  optionsFor(doc: ParsedDocument): CleanOptions;
}

export function prepareCorpus(raws: readonly RawDocument[], defaultLanguage: string): PreparedCorpus {
  const parsed: ParsedDocument[] = [];
  const failures: { sourceId: string; message: string }[] = [];
  for (const raw of raws) {
    try {
      parsed.push(parseDocument(raw));
    } catch (error) {
      failures.push({ sourceId: raw.sourceId, message: `could not parse: ${(error as Error).message}` });
    }
  }
  const repeated = learnRepeatedBlocks(parsed);
  return {
    parsed,
    failures,
    optionsFor(doc) {
      const repeatedBlocks = repeated.get(doc.raw.source);
      return { defaultLanguage, ...(repeatedBlocks ? { repeatedBlocks } : {}) };
    },
  };
}
