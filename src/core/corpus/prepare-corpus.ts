/**
 * RawDocument[] → ParsedDocument[] plus the cleaning options of each: parses every document,
 * folds the copies of one story into one (clean/story-fold.ts: the others are not published and
 * their blocks are no chrome evidence), and learns the blocks each source repeats across its
 * articles (site chrome), so that every caller (`cleanCorpus`, `explainCorpus`) cleans with the
 * same knowledge as the build.
 *
 * It joins two stages (load parses, clean learns the chrome), so it stands above both in corpus/:
 * clean never imports load.
 *
 * Must not: clean, or touch storage or the clock. A document that fails to parse is returned in
 * `failures` and never stops the others.
 */
import type { CleanOptions } from '../clean/clean-document.ts';
import { learnRepeatedBlocks } from '../clean/learn-source-chrome.ts';
import { foldCorpus, richnessOf, storyText } from '../clean/story-fold.ts';
import { parseDocument } from '../load/parse-document.ts';
import type { ParsedDocument, RawDocument } from '../model.ts';

export interface PreparedCorpus {
  readonly parsed: readonly ParsedDocument[];
  readonly failures: readonly { readonly sourceId: string; readonly message: string }[];
  /** SourceId of each copy folded into another copy of its story → that copy's sourceId. */
  readonly folded: ReadonlyMap<string, string>;
  /** The options to clean one of `parsed` with: the default language and its source's chrome. */
  optionsFor(doc: ParsedDocument): CleanOptions;
}

/** A document's story text; none when it cannot be cleaned (its cleaning reports that). */
function storyTextOrNull(doc: ParsedDocument, defaultLanguage: string): string | null {
  try {
    return storyText(doc, defaultLanguage);
  } catch {
    return null;
  }
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
  const folded = foldCorpus(
    parsed.map((doc) => ({
      id: doc.raw.sourceId,
      story: storyTextOrNull(doc, defaultLanguage),
      richness: richnessOf(doc.metadata),
    })),
  );
  const repeated = learnRepeatedBlocks(parsed.filter((doc) => !folded.has(doc.raw.sourceId)));
  return {
    parsed,
    failures,
    folded,
    optionsFor(doc) {
      const repeatedBlocks = repeated.get(doc.raw.source);
      return { defaultLanguage, ...(repeatedBlocks ? { repeatedBlocks } : {}) };
    },
  };
}
