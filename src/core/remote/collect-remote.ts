/**
 * Remote sources → RawDocument[] through the HttpFetch port, in three phases:
 * 1. fetch (in parallel, bounded): each feed (conditional GET), its newest `limit` entries'
 *    pages, and each single article; a 304 reuses the stored page, a URL asked twice in one run
 *    is fetched once;
 * 2. merge (sequential, in config order, so the outcome never depends on timing): every page gets
 *    its item key from the ledger (canonical URL, final URL after redirects, `<link rel=canonical>`
 *    → the key under which the story was first seen); a story reached twice in one run is kept once;
 * 3. retain: an item of a configured source that was not produced this run (vanished upstream,
 *    page or source failing) is republished from its last good copy while its last sighting is
 *    within `retentionDays`.
 * One failing source or page never stops the others; the outcome of each is reported.
 * A 429/503 with Retry-After defers its source until then, also in later runs (source-deferrals.ts):
 * a deferred source is not fetched, its items stay published, and it is reported "deferred", not failed.
 *
 * Must not: clean or publish, read the clock except through `deps.clock`, or reach the network
 * other than through `deps.fetch` (the driver enforces timeouts, size, redirects and SSRF rules).
 * Tunables: SOURCE_CONCURRENCY, PAGE_CONCURRENCY below; per-host politeness lives in the driver.
 */
import type { Clock } from '../../ports/clock.ts';
import type { HttpFetch } from '../../ports/fetch.ts';
import type { Logger } from '../../ports/logger.ts';
import type { Storage } from '../../ports/storage.ts';
import type { ArticleMetadata, RawDocument } from '../model.ts';
import { INPUT_LIMITS } from '../normalise/input-limits.ts';
import type { ContentFailure } from '../pipeline/collect-content.ts';
import { canonicaliseUrl, tryCanonicaliseUrl } from './canonical-url.ts';
import { type ItemLedger, recordSighting, resolveAny } from './item-ledger.ts';
import { parseUpstreamFeed, type UpstreamEntry } from './parse-upstream-feed.ts';
import { DEFAULT_FEED_LIMIT, type RemoteSource, sourceLabel } from './remote-source.ts';
import {
  feedDigest,
  readFeedSnapshot,
  readStoredItem,
  readStoredPage,
  type StoredPage,
  writeFeedSnapshot,
  writeStoredItem,
  writeStoredPage,
} from './remote-state.ts';
import { decodeFetchedText } from './sniff-charset.ts';
import {
  DeferredError,
  deferredUntil,
  loadDeferrals,
  type SourceDeferral,
  saveDeferrals,
} from './source-deferrals.ts';

/** Sources fetched at once; the driver still spaces requests to any one host. */
export const SOURCE_CONCURRENCY = 4;
/** Entry pages of one feed fetched at once. */
export const PAGE_CONCURRENCY = 4;
/**
 * While a feed's bytes stay the same, its entry pages are reused from the last run without asking
 * upstream; after this long they are revalidated anyway (conditional GET), so an article corrected
 * upstream without a change to the feed shows within a day.
 */
export const ENTRY_REVALIDATE_MS = 86_400_000;

const HTML_TYPES = /^(text\/html|application\/xhtml\+xml)\b/i;
const DAY_MS = 86_400_000;

export interface CollectRemoteDeps {
  readonly fetch: HttpFetch;
  readonly state: Storage;
  readonly logger: Logger;
  readonly clock: Clock;
}

export interface RemoteProgress {
  readonly done: number;
  readonly total: number;
  readonly label: string;
}

export interface CollectRemoteOptions {
  readonly sources: readonly RemoteSource[];
  readonly ledger: ItemLedger;
  readonly retentionDays: number;
  /** Aborting stops further fetches; the run then fails without publishing. */
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: RemoteProgress) => void;
}

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

export interface CollectedRemote {
  readonly documents: readonly RawDocument[];
  readonly failures: readonly ContentFailure[];
  readonly sources: readonly SourceReport[];
  readonly retained: readonly RetainedItem[];
  readonly duplicates: readonly DuplicateUrl[];
  /** Items past the retention window, no longer published. */
  readonly expired: readonly string[];
  readonly ledger: ItemLedger;
}

/** A page that is not what the source promised (e.g. a PDF where an article was expected). */
export class UnexpectedContentError extends Error {
  override readonly name = 'UnexpectedContentError';
}

interface PageResult {
  readonly page: StoredPage;
  readonly notModified: boolean;
}

/** One page or entry as fetched, before it has an item key. */
interface Candidate {
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

function messageOf(error: unknown): string {
  const e = error as { message?: string; cause?: { message?: string } };
  const cause = e.cause?.message && !e.message?.includes(e.cause.message) ? ` (${e.cause.message})` : '';
  return `${e.message ?? String(error)}${cause}`;
}

async function pool<T, R>(items: readonly T[], size: number, work: (item: T) => Promise<R>): Promise<R[]> {
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

/** `<link rel="canonical" href>` of a page, only when it stays on the page's own host. */
export function pageCanonical(html: string, finalUrl: string): string | null {
  const head = html.slice(0, 65_536);
  for (const tag of head.match(/<link\b[^>]*>/gi) ?? []) {
    if (!/\brel\s*=\s*["']?canonical\b/i.test(tag)) continue;
    const href = /\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/i.exec(tag);
    const value = href?.[1] ?? href?.[2] ?? href?.[3];
    const url = value ? tryCanonicaliseUrl(value, finalUrl) : null;
    // A canonical on another host could let one page claim another site's story.
    if (url && new URL(url).host === new URL(finalUrl).host) return url;
  }
  return null;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (ch) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot' }[ch]};`);
}

function lastSegment(url: string): string {
  try {
    return new URL(url).pathname.split('/').filter(Boolean).pop() ?? new URL(url).host;
  } catch {
    return url;
  }
}

export async function collectRemote(
  deps: CollectRemoteDeps,
  options: CollectRemoteOptions,
): Promise<CollectedRemote> {
  const { logger, state, clock } = deps;
  const now = clock.now();
  const at = now.toISOString();
  const { signal } = options;
  const inFlight = new Map<string, Promise<PageResult>>();
  const deferrals: Record<string, SourceDeferral> = { ...(await loadDeferrals(state, now)) };
  let done = 0;
  let total = options.sources.length;
  const tick = (label: string) => options.onProgress?.({ done: ++done, total, label });

  const checkAborted = () => {
    if (signal?.aborted) throw new Error('regeneration abandoned: shutting down');
  };

  const fetchPage = (url: string, kind: 'feed' | 'article'): Promise<PageResult> => {
    const key = `${kind} ${url}`;
    let pending = inFlight.get(key);
    if (!pending) {
      pending = fetchPageOnce(url, kind);
      inFlight.set(key, pending);
    }
    return pending;
  };

  const fetchPageOnce = async (url: string, kind: 'feed' | 'article'): Promise<PageResult> => {
    checkAborted();
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
    const until = deferredUntil(response.status, response.headers.get('retry-after'), clock.now());
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
    if (decoded.guessed) logger.warn('charset guessed', { url, charset: decoded.charset });
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
  };

  // Phase 1: fetch.
  const perSource = await pool(options.sources, SOURCE_CONCURRENCY, async (source) => {
    const label = sourceLabel(source);
    const started = clock.now().getTime();
    const candidates: Candidate[] = [];
    const base = { name: label, type: source.type, url: source.url };
    let report: Omit<SourceReport, 'ms' | 'items' | 'failedItems'>;
    const sourceKey = tryCanonicaliseUrl(source.url) ?? source.url;
    /** Set when the upstream asks this source to wait: no more of its pages are fetched. */
    let deferred: string | undefined = deferrals[sourceKey]?.until;
    const defer = (error: DeferredError, url: string, status: number) => {
      deferred = error.until;
      deferrals[sourceKey] = { until: error.until, status, url };
      logger.warn('upstream asked to wait; source deferred', { source: label, url, until: error.until });
    };
    /** A page of this source, unless it is deferred (then a DeferredError, nothing fetched). */
    const sourcePage = async (url: string, kind: 'feed' | 'article'): Promise<PageResult> => {
      if (deferred) throw new DeferredError(deferred);
      try {
        return await fetchPage(url, kind);
      } catch (error) {
        if (error instanceof DeferredError) defer(error, url, error.status ?? 429);
        throw error;
      }
    };
    try {
      const url = canonicaliseUrl(source.url);
      if (deferred) {
        report = { ...base, status: 'deferred', entries: 0, deferredUntil: deferred };
      } else if (source.type === 'article') {
        const result = await sourcePage(url, 'article').then(
          (r) => ({ r }),
          (e: unknown) => ({ e }),
        );
        if ('e' in result && result.e instanceof DeferredError) {
          candidates.push({ source, label, url, deferredUntil: result.e.until });
          report = { ...base, status: 'deferred', entries: 1, deferredUntil: result.e.until };
        } else if ('e' in result) {
          const message = messageOf(result.e);
          candidates.push({ source, label, url, error: message });
          report = { ...base, status: 'failed', entries: 1, error: message };
        } else {
          candidates.push({ source, label, url, page: result.r.page });
          report = { ...base, status: result.r.notModified ? 'not-modified' : 'fetched', entries: 1 };
        }
      } else {
        const feed = await sourcePage(url, 'feed');
        const parsed = await parseUpstreamFeed(feed.page.body, feed.page.finalUrl);
        if (parsed.truncated > 0) {
          logger.warn('upstream feed over the entry limit: the first entries kept', {
            source: label,
            url: feed.page.finalUrl,
            field: 'entries',
            limit: INPUT_LIMITS.itemsPerUpstreamFeed,
            dropped: parsed.truncated,
          });
        }
        const entries = parsed.entries.slice(0, source.limit ?? DEFAULT_FEED_LIMIT);
        total += entries.length;
        // The feed did not change (304, or the same bytes): its entries' pages are those of the
        // last run, reused without a request while ENTRY_REVALIDATE_MS has not passed.
        const digest = await feedDigest(feed.page.body);
        const snapshot = await readFeedSnapshot(state, url);
        const fresh =
          snapshot?.digest === digest && now.getTime() - Date.parse(snapshot.checkedAt) < ENTRY_REVALIDATE_MS;
        const current = new Set(fresh ? snapshot.pages : []);
        let reusedPages = 0;
        const fetched = await pool(entries, PAGE_CONCURRENCY, async (entry): Promise<Candidate> => {
          const entryUrl = tryCanonicaliseUrl(entry.link);
          try {
            if (!entryUrl) throw new Error(`entry link is not an http(s) URL: ${entry.link}`);
            const kept = current.has(entryUrl) ? await readStoredPage(state, entryUrl) : null;
            if (kept) {
              reusedPages++;
              return { source, label, url: entryUrl, entry, page: kept };
            }
            const page = await sourcePage(entryUrl, 'article');
            return { source, label, url: entryUrl, entry, page: page.page };
          } catch (error) {
            if (signal?.aborted) throw error;
            const url = entryUrl ?? entry.link;
            if (error instanceof DeferredError)
              return { source, label, url, entry, deferredUntil: error.until };
            return { source, label, url, entry, error: messageOf(error) };
          } finally {
            tick(entry.link);
          }
        });
        candidates.push(...fetched);
        const good = fetched.flatMap((c) => (c.page ? [c.url] : []));
        await writeFeedSnapshot(
          state,
          { url, digest, checkedAt: fresh ? snapshot.checkedAt : at, pages: [...new Set(good)].sort() },
          snapshot,
        );
        const counts = { entries: entries.length, ...(reusedPages > 0 ? { reusedPages } : {}) };
        report = deferred
          ? { ...base, status: 'deferred', ...counts, deferredUntil: deferred }
          : { ...base, status: feed.notModified ? 'not-modified' : 'fetched', ...counts };
      }
    } catch (error) {
      if (signal?.aborted) throw error;
      if (error instanceof DeferredError) {
        report = { ...base, status: 'deferred', entries: 0, deferredUntil: error.until };
      } else {
        const message = messageOf(error);
        logger.error('remote source failed', { source: label, url: source.url, error: message });
        report = { ...base, status: 'failed', entries: 0, error: message };
      }
    }
    tick(label);
    return { source, label, candidates, report, ms: clock.now().getTime() - started };
  });
  checkAborted();

  // Phase 2: merge in config order.
  let ledger = options.ledger;
  const documents: RawDocument[] = [];
  const failures: ContentFailure[] = [];
  const retained: RetainedItem[] = [];
  const duplicates: DuplicateUrl[] = [];
  const produced = new Set<string>();
  const failedHere = new Map<string, string>();
  /** Item key → until when its source is deferred (not a failure). */
  const deferredHere = new Map<string, string>();
  const sources: SourceReport[] = [];
  for (const { source, label, candidates, report, ms } of perSource) {
    let items = 0;
    let failedItems = 0;
    for (const candidate of candidates) {
      const page = candidate.page;
      const urls = [candidate.url];
      if (page) {
        urls.push(page.finalUrl);
        const canonical = pageCanonical(page.body, page.finalUrl);
        if (canonical) urls.push(canonical);
      }
      const unique = [...new Set(urls)];
      const key = resolveAny(ledger, unique) ?? candidate.url;
      if (produced.has(key)) {
        duplicates.push({ url: candidate.url, sameAs: key });
        ledger = recordSighting(ledger, { key, urls: unique, source: label, at, fetched: false });
        continue;
      }
      let raw: RawDocument | null = null;
      const entry = candidate.entry;
      const tags = [...new Set([...(entry?.tags ?? []), ...(source.tags ?? [])])];
      const metadata: ArticleMetadata = {
        ...(entry?.title ? { title: entry.title } : {}),
        ...(entry?.date ? { date: entry.date } : {}),
        ...(entry?.updated ? { updated: entry.updated } : {}),
        ...(entry?.author ? { author: entry.author } : {}),
        ...(entry?.image ? { image: entry.image } : {}),
        ...(entry?.enclosures ? { enclosures: entry.enclosures } : {}),
        ...(tags.length ? { tags } : {}),
        url: page?.finalUrl ?? candidate.url,
      };
      if (page) {
        raw = {
          sourceId: key,
          file: lastSegment(key),
          source: label,
          format: 'html',
          body: page.body,
          baseUrl: page.finalUrl,
          metadata,
        };
      } else if (entry?.contentHtml && !ledger.items[key]) {
        // The page failed but the feed carries the body: better a feed-only item than none.
        raw = {
          sourceId: key,
          file: lastSegment(key),
          source: label,
          format: 'html',
          body: `<!doctype html><html><head><title>${escapeHtml(entry.title ?? '')}</title></head><body><article>${entry.contentHtml}</article></body></html>`,
          baseUrl: candidate.url,
          metadata,
        };
        logger.warn('page failed; using the content the feed carries', {
          url: candidate.url,
          error: candidate.error,
        });
      }
      ledger = recordSighting(ledger, { key, urls: unique, source: label, at, fetched: page !== undefined });
      if (raw) {
        await writeStoredItem(state, raw);
        documents.push(raw);
        produced.add(key);
        items++;
      } else if (candidate.deferredUntil) {
        deferredHere.set(key, candidate.deferredUntil);
      } else {
        failedItems++;
        failedHere.set(key, candidate.error ?? 'no content');
      }
    }
    sources.push({ ...report, items, failedItems, ms });
  }

  // Phase 3: retain what this run did not produce.
  const labels = new Map(perSource.map((s) => [s.label, s.report]));
  const cutoff = now.getTime() - options.retentionDays * DAY_MS;
  const expired: string[] = [];
  for (const [key, item] of Object.entries(ledger.items)) {
    if (produced.has(key)) continue;
    const sourceReport = labels.get(item.source);
    // Items of a source removed from config are not republished: the publisher dropped it.
    if (!sourceReport) continue;
    const failure = failedHere.get(key);
    const until = deferredHere.get(key) ?? sourceReport.deferredUntil;
    const reason = failure
      ? `fetch failed: ${failure}`
      : until
        ? `deferred until ${until}`
        : sourceReport.status === 'failed'
          ? `source failed: ${sourceReport.error ?? 'unknown error'}`
          : 'no longer listed upstream';
    if (Date.parse(item.lastSeen) < cutoff) {
      expired.push(key);
      continue;
    }
    const raw = await readStoredItem(state, key);
    if (!raw) {
      if (failure) failures.push({ sourceId: key, message: failure });
      continue;
    }
    documents.push(raw);
    produced.add(key);
    retained.push({ sourceId: key, reason, ...(item.lastGood ? { lastGood: item.lastGood } : {}) });
  }
  for (const [key, message] of failedHere) {
    if (!produced.has(key) && !failures.some((f) => f.sourceId === key))
      failures.push({ sourceId: key, message });
  }
  for (const r of retained) logger.warn('kept the last good version', { item: r.sourceId, reason: r.reason });
  await saveDeferrals(state, deferrals);
  return { documents, failures, sources, retained, duplicates, expired, ledger };
}
