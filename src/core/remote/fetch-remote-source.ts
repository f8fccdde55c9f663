/**
 * Phase 1 of remote collection: one configured source → its candidates and report. An article
 * source is one page; a feed source is its feed (conditional GET) and its newest `limit` entries'
 * pages, fetched PAGE_CONCURRENCY at once, reused without a request while the feed's bytes stay the
 * same and ENTRY_REVALIDATE_MS has not passed. A 429/503 with Retry-After defers the whole source
 * (no more of its pages are fetched, now or in later runs until then). A failing page is a
 * candidate with an error; a failing source a report with one; neither stops the others.
 *
 * Must not: give items keys or decide what is published (merge-remote-items.ts does), or throw
 * for anything but an abandoned run.
 * Tunables: PAGE_CONCURRENCY, ENTRY_REVALIDATE_MS.
 */
import type { Logger } from '../../ports/logger.ts';
import type { Storage } from '../../ports/storage.ts';
import { INPUT_LIMITS } from '../normalise/input-limits.ts';
import { canonicaliseUrl, tryCanonicaliseUrl } from './canonical-url.ts';
import type { PageKind } from './fetch-remote-page.ts';
import { parseUpstreamFeed, type UpstreamEntry } from './parse-upstream-feed.ts';
import type { Candidate, FetchReport, PageResult, SourceFetch } from './remote-outcome.ts';
import { DEFAULT_FEED_LIMIT, type RemoteSource, sourceLabel } from './remote-source.ts';
import { feedDigest, readFeedSnapshot, readStoredPage, writeFeedSnapshot } from './remote-state.ts';
import { DeferredError, type SourceDeferral } from './source-deferrals.ts';

/** Entry pages of one feed fetched at once. */
export const PAGE_CONCURRENCY = 4;
/**
 * While a feed's bytes stay the same, its entry pages are reused from the last run without asking
 * upstream; after this long they are revalidated anyway (conditional GET), so an article corrected
 * upstream without a change to the feed shows within a day.
 */
export const ENTRY_REVALIDATE_MS = 86_400_000;

/** What fetching a source uses of the run. */
export interface SourceFetchContext {
  readonly state: Storage;
  readonly logger: Logger;
  readonly now: () => number;
  /** The run's time: `runAt` for what is stored, `runMs` for revalidation ages. */
  readonly runAt: string;
  readonly runMs: number;
  readonly signal: AbortSignal | undefined;
  /** Deferrals by source key: read, and updated when an upstream asks to wait. */
  readonly deferrals: Record<string, SourceDeferral>;
  readonly fetchPage: (url: string, kind: PageKind) => Promise<PageResult>;
  /** One more unit of work is done (a source or an entry page). */
  readonly tick: (label: string) => void;
  /** The feed listed this many entries: more work to count. */
  readonly addWork: (count: number) => void;
}

/** The cause of a failure as one line (with its cause's message when that adds to it). */
export function messageOf(error: unknown): string {
  const e = error as { message?: string; cause?: { message?: string } };
  const cause = e.cause?.message && !e.message?.includes(e.cause.message) ? ` (${e.cause.message})` : '';
  return `${e.message ?? String(error)}${cause}`;
}

/** Items through `work`, at most `size` at once; results in input order. */
export async function pool<T, R>(
  items: readonly T[],
  size: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const runners = Array.from({ length: Math.min(size, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  });
  await Promise.all(runners);
  return results;
}

/** One source's pages, unless it is deferred: a page then throws a DeferredError, nothing fetched. */
interface SourceGate {
  /** Until when the source is deferred, if it is. */
  deferred(): string | undefined;
  page(url: string, kind: PageKind): Promise<PageResult>;
}

function createSourceGate(ctx: SourceFetchContext, source: RemoteSource, label: string): SourceGate {
  const sourceKey = tryCanonicaliseUrl(source.url) ?? source.url;
  /** Set when the upstream asks this source to wait: no more of its pages are fetched. */
  let deferred: string | undefined = ctx.deferrals[sourceKey]?.until;
  const defer = (error: DeferredError, url: string, status: number) => {
    deferred = error.until;
    ctx.deferrals[sourceKey] = { until: error.until, status, url };
    ctx.logger.warn('upstream asked to wait; source deferred', { source: label, url, until: error.until });
  };
  return {
    deferred: () => deferred,
    async page(url, kind) {
      if (deferred) throw new DeferredError(deferred);
      try {
        return await ctx.fetchPage(url, kind);
      } catch (error) {
        if (error instanceof DeferredError) defer(error, url, error.status ?? 429);
        throw error;
      }
    },
  };
}

type Base = Pick<FetchReport, 'name' | 'type' | 'url'>;

export async function fetchSource(ctx: SourceFetchContext, source: RemoteSource): Promise<SourceFetch> {
  const label = sourceLabel(source);
  const started = ctx.now();
  const base: Base = { name: label, type: source.type, url: source.url };
  const gate = createSourceGate(ctx, source, label);
  // Filled by the branches as they go: what a source found before failing is still merged.
  const candidates: Candidate[] = [];
  let report: FetchReport;
  try {
    const url = canonicaliseUrl(source.url);
    const deferred = gate.deferred();
    if (deferred) {
      report = { ...base, status: 'deferred', entries: 0, deferredUntil: deferred };
    } else if (source.type === 'article') {
      report = await fetchArticleSource(gate, source, label, url, base, candidates);
    } else {
      report = await fetchFeedSource(ctx, gate, { source, label, url, base }, candidates);
    }
  } catch (error) {
    if (ctx.signal?.aborted) throw error;
    report = failedSource(ctx, source, label, base, error);
  }
  ctx.tick(label);
  return { source, label, candidates, report, ms: ctx.now() - started };
}

function failedSource(
  ctx: SourceFetchContext,
  source: RemoteSource,
  label: string,
  base: Base,
  error: unknown,
): FetchReport {
  if (error instanceof DeferredError)
    return { ...base, status: 'deferred', entries: 0, deferredUntil: error.until };
  const message = messageOf(error);
  ctx.logger.error('remote source failed', { source: label, url: source.url, error: message });
  return { ...base, status: 'failed', entries: 0, error: message };
}

async function fetchArticleSource(
  gate: SourceGate,
  source: RemoteSource,
  label: string,
  url: string,
  base: Base,
  candidates: Candidate[],
): Promise<FetchReport> {
  const result = await gate.page(url, 'article').then(
    (r) => ({ r }),
    (e: unknown) => ({ e }),
  );
  if ('e' in result && result.e instanceof DeferredError) {
    candidates.push({ source, label, url, deferredUntil: result.e.until });
    return { ...base, status: 'deferred', entries: 1, deferredUntil: result.e.until };
  }
  if ('e' in result) {
    const message = messageOf(result.e);
    candidates.push({ source, label, url, error: message });
    return { ...base, status: 'failed', entries: 1, error: message };
  }
  candidates.push({ source, label, url, page: result.r.page });
  return { ...base, status: result.r.notModified ? 'not-modified' : 'fetched', entries: 1 };
}

/** The source a feed fetch is for, as fetchSource named it. */
interface FeedSource {
  readonly source: RemoteSource;
  readonly label: string;
  /** The feed's canonical URL. */
  readonly url: string;
  readonly base: Base;
}

async function fetchFeedSource(
  ctx: SourceFetchContext,
  gate: SourceGate,
  { source, label, url, base }: FeedSource,
  candidates: Candidate[],
): Promise<FetchReport> {
  const feed = await gate.page(url, 'feed');
  const parsed = await parseUpstreamFeed(feed.page.body, feed.page.finalUrl);
  if (parsed.truncated > 0) {
    ctx.logger.warn('upstream feed over the entry limit: the first entries kept', {
      source: label,
      url: feed.page.finalUrl,
      field: 'entries',
      limit: INPUT_LIMITS.itemsPerUpstreamFeed,
      dropped: parsed.truncated,
    });
  }
  const entries = parsed.entries.slice(0, source.limit ?? DEFAULT_FEED_LIMIT);
  ctx.addWork(entries.length);
  // The feed did not change (304, or the same bytes): its entries' pages are those of the
  // last run, reused without a request while ENTRY_REVALIDATE_MS has not passed.
  const digest = await feedDigest(feed.page.body);
  const snapshot = await readFeedSnapshot(ctx.state, url);
  const fresh =
    snapshot?.digest === digest && ctx.runMs - Date.parse(snapshot.checkedAt) < ENTRY_REVALIDATE_MS;
  const current = new Set(fresh ? snapshot.pages : []);
  let reusedPages = 0;
  const fetched = await pool(entries, PAGE_CONCURRENCY, async (entry) => {
    const candidate = await fetchEntry(ctx, gate, source, label, entry, current);
    if (candidate.reused) reusedPages++;
    return candidate.candidate;
  });
  candidates.push(...fetched);
  const good = fetched.flatMap((c) => (c.page ? [c.url] : []));
  await writeFeedSnapshot(
    ctx.state,
    { url, digest, checkedAt: fresh ? snapshot.checkedAt : ctx.runAt, pages: [...new Set(good)].sort() },
    snapshot,
  );
  const counts = { entries: entries.length, ...(reusedPages > 0 ? { reusedPages } : {}) };
  const deferred = gate.deferred();
  return deferred
    ? { ...base, status: 'deferred', ...counts, deferredUntil: deferred }
    : { ...base, status: feed.notModified ? 'not-modified' : 'fetched', ...counts };
}

/** One entry's page: reused from the last run when the feed is unchanged, else fetched. */
async function fetchEntry(
  ctx: SourceFetchContext,
  gate: SourceGate,
  source: RemoteSource,
  label: string,
  entry: UpstreamEntry,
  current: ReadonlySet<string>,
): Promise<{ candidate: Candidate; reused: boolean }> {
  const entryUrl = tryCanonicaliseUrl(entry.link);
  try {
    if (!entryUrl) throw new Error(`entry link is not an http(s) URL: ${entry.link}`);
    const kept = current.has(entryUrl) ? await readStoredPage(ctx.state, entryUrl) : null;
    if (kept) return { candidate: { source, label, url: entryUrl, entry, page: kept }, reused: true };
    const page = await gate.page(entryUrl, 'article');
    return { candidate: { source, label, url: entryUrl, entry, page: page.page }, reused: false };
  } catch (error) {
    if (ctx.signal?.aborted) throw error;
    const url = entryUrl ?? entry.link;
    if (error instanceof DeferredError)
      return { candidate: { source, label, url, entry, deferredUntil: error.until }, reused: false };
    return { candidate: { source, label, url, entry, error: messageOf(error) }, reused: false };
  } finally {
    ctx.tick(entry.link);
  }
}
