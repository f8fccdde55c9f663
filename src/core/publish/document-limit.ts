/**
 * The cap on documents per build: a run whose publication would hold more documents (routes in
 * the manifest: feeds, pages, item pages, archive pages, topic feeds) than the limit is refused
 * before any document is rendered or written, so the last publication stays as it was. The
 * per-item limits (normalise/input-limits.ts) already bound documents per item; this one bounds the
 * build as a whole, whatever multiplied the input (a content folder copied into itself, a feed
 * of a million entries across many sources).
 *
 * Input: the count publish computes and the configured limit (config `limits.documentsPerBuild`).
 * Must not: read storage or decide what is published (publish.ts counts). Default:
 * DEFAULT_DOCUMENTS_PER_BUILD.
 */
import { BuildRefusedError } from './build-refusal.ts';

/**
 * Documents a build may publish by default: 1,000,000, 7.6 times the 131,030 documents of the
 * 100,000-article benchmark (bench/RESULTS.md), about 750,000 articles at the measured rate.
 */
export const DEFAULT_DOCUMENTS_PER_BUILD = 1_000_000;

/** A run refused by the cap; the message names the count, the limit and the way out. */
export class DocumentLimitError extends BuildRefusedError {
  override readonly name = 'DocumentLimitError';
  constructor(
    readonly documents: number,
    readonly limit: number,
  ) {
    super(
      `publish ${documents} documents: over the limit of ${limit} documents per build ` +
        '(config "limits": { "documentsPerBuild" })',
      'nothing was published, the last publication stays',
      'Check the content folder and sources for a copy or a runaway feed, or raise the limit',
    );
  }
}

/** Throws DocumentLimitError when a publication of `documents` routes is over `limit`. */
export function guardDocumentCount(documents: number, limit: number): void {
  if (documents > limit) throw new DocumentLimitError(documents, limit);
}
