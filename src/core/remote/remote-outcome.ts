/**
 * What one run of remote collection reports and passes between its phases (collect-remote.ts):
 * a source's report, a page or entry as fetched (a candidate, before it has an item key), items
 * kept from their last good copy, URLs found to be a story already produced, and failures.
 *
 * Must not: hold behaviour: types only.
 */

import type { UpstreamEntry } from './parse-upstream-feed.ts';
import type { RemoteSource } from './remote-source.ts';
import type { StoredPage } from './remote-state.ts';

export interface SourceReport {
  readonly name: string;
  readonly type: RemoteSource['type'];
  readonly url: string;
  /** deferred: the upstream asked (429/503 Retry-After) not to be fetched before `deferredUntil`. */
  readonly status: 'fetched' | 'not-modified' | 'failed' | 'deferred';
  /** Entries listed upstream (after `limit`); 1 for an article source. */
  readonly entries: number;
  /** Items produced from fresh or revalidated pages. */
  readonly items: number;
  /** Items whose page failed (reported in failures or retained). */
  readonly failedItems: number;
  /** Entry pages reused without a request because the feed had not changed. */
  readonly reusedPages?: number;
  readonly ms: number;
  readonly error?: string;
  /** ISO-8601, with status `deferred`. */
  readonly deferredUntil?: string;
}

/** A source's report as the fetch phase knows it: the merge adds the item counts and the time. */
export type FetchReport = Omit<SourceReport, 'ms' | 'items' | 'failedItems'>;

export interface RetainedItem {
  readonly sourceId: string;
  readonly reason: string;
  /** ISO-8601 of the last good fetch, when known. */
  readonly lastGood?: string;
}

export interface DuplicateUrl {
  readonly url: string;
  readonly sameAs: string;
}

/** An item that could not be produced, and why (the same shape as the pipeline's content failures). */
export interface ItemFailure {
  readonly sourceId: string;
  readonly message: string;
}

/** A page as the fetch phase got it: fresh, or the stored one after a 304. */
export interface PageResult {
  readonly page: StoredPage;
  readonly notModified: boolean;
}

/** One page or entry as fetched, before it has an item key. */
export interface Candidate {
  readonly source: RemoteSource;
  readonly label: string;
  readonly url: string;
  readonly entry?: UpstreamEntry;
  readonly page?: StoredPage;
  readonly fromFeedContent?: boolean;
  readonly error?: string;
  /** The page was not fetched: its source is deferred until then. */
  readonly deferredUntil?: string;
}

/** One source after the fetch phase: its candidates in upstream order, and its report so far. */
export interface SourceFetch {
  readonly source: RemoteSource;
  readonly label: string;
  readonly candidates: readonly Candidate[];
  readonly report: FetchReport;
  readonly ms: number;
}
