/**
 * The input of a publish: the documents it accepts (bytes given, or planned and rendered on
 * demand), the patch that makes a run partial (publish.ts header), and the error for input that
 * cannot be published as given.
 *
 * Must not: render or validate anything (write-document.ts renders, claim-routes.ts and
 * publish-plan.ts validate). Tunables: none.
 */
import type { RenderedDocument } from '../model.ts';
import type { PlannedDocument } from '../render/planned-document.ts';

/** A document whose bytes this run has (rendered or given). */
export type Publishable = RenderedDocument | PlannedDocument;

export function isPlanned(document: Publishable): document is PlannedDocument {
  return 'render' in document;
}

/** A partial publish: see the header of publish.ts. */
export interface PublishPatch {
  /** Routes to unpublish (not published: ignored). */
  readonly remove?: readonly string[];
  /** Route prefixes whose published routes not in `documents` are unpublished. */
  readonly replacePrefixes?: readonly string[];
}

/** Thrown before anything is written when the set of documents cannot be published as given. */
export class PublishInputError extends Error {
  override readonly name = 'PublishInputError';
}
