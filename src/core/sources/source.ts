/**
 * The source contract: local files, upstream feeds and article URLs all reach the pipeline through
 * this one interface (gather-documents.ts loops over them). A source finds its inputs (`open`),
 * compares them with its own index and counts the changed documents' chrome keys (`scan`), hands
 * out the ids to clean in a deterministic order and their parsed documents (`load`), and writes
 * the state the next run needs only in `commit()`, after a successful publish.
 *
 * Failures and gone ids go into the run's shared sinks (SourceRun), never thrown: one failing
 * input never stops the others. The contract suite every implementation passes:
 * tests/core/sources/source-contract.ts.
 *
 * Must not: hold behaviour. Implementations: local-source.ts (content/ files), and
 * remote-kind-source.ts twice: upstream feeds (createFeedSource) and article URLs
 * (createArticleSource). Those two share one run's remote collection (remote-collection.ts): they
 * share one item ledger, so a story reached both ways is fetched, merged and kept once, and owned by
 * the source whose kind its kept copy came from.
 */
import type { ParsedDocument } from '../model.ts';
import type { ContentFailure } from './content-failure.ts';
import type { CorpusChrome } from './corpus-chrome.ts';

/** What every source of one run shares: the mode, the chrome counts, and where to report. */
export interface SourceRun {
  /** A full rebuild: every index is ignored, every document read and yielded. */
  readonly full: boolean;
  readonly language: string;
  /** When the run started (clock ms): every read happens after it (content-index.ts isRacy). */
  readonly startedAt: number;
  readonly signal?: AbortSignal | undefined;
  readonly chrome: CorpusChrome;
  /** Inputs that failed to load, parse or clean, in the order found. */
  readonly failures: ContentFailure[];
  /** SourceIds gone since the last committed run. */
  readonly removed: string[];
}

/** A document and the chrome group (the cleaner's "source") its keys count in. */
export interface LoadedDocument {
  readonly group: string;
  readonly parsed: ParsedDocument;
}

/** A document of a chrome group with its counted keys (for a recount of the group). */
export interface ChromeHolder {
  readonly id: string;
  readonly keys: readonly string[];
}

/**
 * What a revisit found: the document is pending again ('pending'), it turned out edited and was
 * recorded as a change ('edited': its keys moved), or it is not this source's or not indexed ('absent').
 */
export type Revisit = 'pending' | 'edited' | 'absent';

export interface DocumentSource<Report = unknown> {
  /** For logs and tests. */
  readonly name: string;
  /** Finds the inputs (lists or fetches); may report failures. Writes nothing it will not commit. */
  open(): Promise<void>;
  /** Pass 1: compares the inputs with the index, counts changed documents' keys, reports gone ids. */
  scan(): Promise<void>;
  /** Documents known unchanged (not pending) after `scan`. */
  unchanged(): number;
  /** Ids to clean this run, in this source's deterministic order. */
  pendingIds(): readonly string[];
  isPending(id: string): boolean;
  /** A document whose chrome flipped: make it pending again (incremental runs only). */
  revisit(id: string): Promise<Revisit>;
  /** The documents of one chrome group with their keys. */
  holders(group: string): Promise<readonly ChromeHolder[]>;
  /**
   * Pass 2: the parsed document of a pending id (held from pass 1 or read again), or null when it
   * cannot be given (a failure is then reported). May throw a parse error; the caller reports it.
   */
  load(id: string): Promise<LoadedDocument | null>;
  /** Takes one of its documents out of the corpus; false when the id is not this source's. */
  holdBack(id: string): Promise<boolean>;
  /** This source's rows of the build report. */
  report(): Report;
  /** Writes the state the next run needs (its index, ledger). Only after a successful run. */
  commit(): Promise<void>;
}
