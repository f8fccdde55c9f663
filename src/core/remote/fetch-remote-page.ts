/**
 * One remote page through the Fetch port, as a StoredPage: a conditional GET against the stored
 * copy (a 304 reuses it), a 429/503 with Retry-After turned into a DeferredError, an article that
 * is not HTML refused, the body decoded to text (text/sniff-charset.ts) and stored for the next run.
 * A URL asked twice in one run (same kind) is fetched once.
 *
 * Must not: parse or clean the page, read the clock other than through the injected Clock, or
 * reach the network other than through the injected fetch.
 */
import type { Clock } from '../../ports/clock.ts';
import type { HttpFetch } from '../../ports/fetch.ts';
import type { Logger } from '../../ports/logger.ts';
import type { Storage } from '../../ports/storage.ts';
import { decodeFetchedText } from '../text/sniff-charset.ts';
import { tryCanonicaliseUrl } from './canonical-url.ts';
import type { PageResult } from './remote-outcome.ts';
import { readStoredPage, type StoredPage, writeStoredPage } from './remote-state.ts';
import { DeferredError, deferredUntil } from './source-deferrals.ts';

const HTML_TYPES = /^(text\/html|application\/xhtml\+xml)\b/i;

/** A page that is not what the source promised (e.g. a PDF where an article was expected). */
export class UnexpectedContentError extends Error {
  override readonly name = 'UnexpectedContentError';
}

export type PageKind = 'feed' | 'article';

export interface PageFetchDeps {
  readonly fetch: HttpFetch;
  readonly state: Storage;
  readonly logger: Logger;
  readonly clock: Clock;
}

/** Throws when the run was abandoned. */
export function checkAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new Error('regeneration abandoned: shutting down');
}

/** A page fetcher for one run: `at` stamps what it stores; each (kind, URL) is fetched once. */
export function createPageFetcher(
  deps: PageFetchDeps,
  signal: AbortSignal | undefined,
  at: string,
): (url: string, kind: PageKind) => Promise<PageResult> {
  const inFlight = new Map<string, Promise<PageResult>>();
  return (url, kind) => {
    const key = `${kind} ${url}`;
    let pending = inFlight.get(key);
    if (!pending) {
      pending = fetchPageOnce(deps, signal, at, url, kind);
      inFlight.set(key, pending);
    }
    return pending;
  };
}

async function fetchPageOnce(
  deps: PageFetchDeps,
  signal: AbortSignal | undefined,
  at: string,
  url: string,
  kind: PageKind,
): Promise<PageResult> {
  const { state } = deps;
  checkAborted(signal);
  const stored = await readStoredPage(state, url);
  const headers: Record<string, string> = {
    accept:
      kind === 'feed'
        ? 'application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5'
        : 'text/html, application/xhtml+xml;q=0.9, */*;q=0.1',
  };
  if (stored?.etag) headers['if-none-match'] = stored.etag;
  if (stored?.lastModified) headers['if-modified-since'] = stored.lastModified;
  const response = await deps.fetch(url, { headers, ...(signal ? { signal } : {}) });
  if (response.status === 304 && stored) {
    await response.body?.cancel();
    return { page: stored, notModified: true };
  }
  const until = deferredUntil(response.status, response.headers.get('retry-after'), deps.clock.now());
  if (until) {
    await response.body?.cancel();
    throw new DeferredError(until, response.status);
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new Error(`HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`);
  }
  const contentType = response.headers.get('content-type') ?? '';
  const bytes = new Uint8Array(await response.arrayBuffer());
  const decoded = decodeFetchedText(bytes, contentType);
  if (
    kind === 'article' &&
    !HTML_TYPES.test(contentType) &&
    !(contentType === '' && /^\s*</.test(decoded.text))
  ) {
    throw new UnexpectedContentError(`not an HTML page (Content-Type: ${contentType || 'none'})`);
  }
  if (decoded.guessed) deps.logger.warn('charset guessed', { url, charset: decoded.charset });
  const etag = response.headers.get('etag');
  const lastModified = response.headers.get('last-modified');
  const page: StoredPage = {
    url,
    finalUrl: tryCanonicaliseUrl(response.url || url) ?? url,
    contentType,
    body: decoded.text,
    fetchedAt: at,
    ...(etag ? { etag } : {}),
    ...(lastModified ? { lastModified } : {}),
  };
  await writeStoredPage(state, page);
  return { page, notModified: false };
}
