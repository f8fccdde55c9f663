/**
 * Phase 2 of remote collection: the fetched candidates of every source, in config order (so the
 * outcome never depends on timing) → RawDocuments with item keys. Each page's key comes from the
 * ledger (its URL, its final URL after redirects, its same-host `<link rel=canonical>` → the key
 * under which the story was first seen); a story reached twice in one run is kept once and
 * reported as a duplicate. A failed page whose feed entry carries the body becomes a feed-only
 * item, the first time only. Every produced item is stored as its last good copy.
 *
 * Must not: fetch, or decide what is retained (retain-remote-items.ts does).
 */
import type { Logger } from '../../ports/logger.ts';
import type { Storage } from '../../ports/storage.ts';
import type { ArticleMetadata, RawDocument } from '../model.ts';
import { tryCanonicaliseUrl } from './canonical-url.ts';
import { type ItemLedger, recordSighting, resolveAny } from './item-ledger.ts';
import type { Candidate, DuplicateUrl, SourceFetch, SourceReport } from './remote-outcome.ts';
import type { RemoteSourceType } from './remote-source.ts';
import { writeStoredItem } from './remote-state.ts';

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

export interface MergedItems {
  readonly ledger: ItemLedger;
  readonly documents: RawDocument[];
  readonly duplicates: DuplicateUrl[];
  readonly sources: SourceReport[];
  /** Item keys produced this run. */
  readonly produced: Set<string>;
  /** Item key produced this run → the type of source (feed or article) its document came from. */
  readonly kinds: Map<string, RemoteSourceType>;
  /** Item key → why its page failed. */
  readonly failedHere: Map<string, string>;
  /** Item key → until when its source is deferred (not a failure). */
  readonly deferredHere: Map<string, string>;
}

export async function mergeRemoteItems(
  state: Storage,
  logger: Logger,
  perSource: readonly SourceFetch[],
  startLedger: ItemLedger,
  at: string,
): Promise<MergedItems> {
  let ledger = startLedger;
  const documents: RawDocument[] = [];
  const duplicates: DuplicateUrl[] = [];
  const produced = new Set<string>();
  const kinds = new Map<string, RemoteSourceType>();
  const failedHere = new Map<string, string>();
  const deferredHere = new Map<string, string>();
  const sources: SourceReport[] = [];
  for (const { label, candidates, report, ms } of perSource) {
    let items = 0;
    let failedItems = 0;
    for (const candidate of candidates) {
      const page = candidate.page;
      const unique = candidateUrls(candidate);
      const key = resolveAny(ledger, unique) ?? candidate.url;
      if (produced.has(key)) {
        duplicates.push({ url: candidate.url, sameAs: key });
        ledger = recordSighting(ledger, { key, urls: unique, source: label, at, fetched: false });
        continue;
      }
      const raw = candidateDocument(candidate, key, ledger, logger);
      ledger = recordSighting(ledger, { key, urls: unique, source: label, at, fetched: page !== undefined });
      if (raw) {
        await writeStoredItem(state, raw);
        documents.push(raw);
        produced.add(key);
        kinds.set(key, candidate.source.type);
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
  return { ledger, documents, duplicates, sources, produced, kinds, failedHere, deferredHere };
}

/** The URLs a candidate is known by: as listed, its final URL, its page's canonical. */
function candidateUrls(candidate: Candidate): string[] {
  const page = candidate.page;
  const urls = [candidate.url];
  if (page) {
    urls.push(page.finalUrl);
    const canonical = pageCanonical(page.body, page.finalUrl);
    if (canonical) urls.push(canonical);
  }
  return [...new Set(urls)];
}

/** The document a candidate yields under `key`: its page, or the feed's content; null when neither. */
function candidateDocument(
  candidate: Candidate,
  key: string,
  ledger: ItemLedger,
  logger: Logger,
): RawDocument | null {
  const { page, entry, source, label } = candidate;
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
    return {
      sourceId: key,
      file: lastSegment(key),
      source: label,
      format: 'html',
      body: page.body,
      baseUrl: page.finalUrl,
      metadata,
    };
  }
  if (entry?.contentHtml && !ledger.items[key]) {
    // The page failed but the feed carries the body: better a feed-only item than none.
    logger.warn('page failed; using the content the feed carries', {
      url: candidate.url,
      error: candidate.error,
    });
    return {
      sourceId: key,
      file: lastSegment(key),
      source: label,
      format: 'html',
      body: `<!doctype html><html><head><title>${escapeHtml(entry.title ?? '')}</title></head><body><article>${entry.contentHtml}</article></body></html>`,
      baseUrl: candidate.url,
      metadata,
    };
  }
  return null;
}
