/**
 * Phase 3 of remote collection: every ledger item of a configured source that this run did not
 * produce (vanished upstream, page or source failing, source deferred) is republished from its
 * last good copy while its last sighting is within `retentionDays`, with the reason; past that it
 * expires. A failed page with no good copy is a failure; so is a retained item whose stored copy
 * is lost or unreadable (state damaged): it is reported, and keeps what is published of it.
 *
 * Must not: fetch, or republish an item whose source was removed from the config (the publisher
 * dropped it).
 */
import type { Logger } from '../../ports/logger.ts';
import type { Storage } from '../../ports/storage.ts';
import type { RawDocument } from '../model.ts';
import type { MergedItems } from './merge-remote-items.ts';
import type { FetchReport, ItemFailure, RetainedItem } from './remote-outcome.ts';
import { readStoredItem } from './remote-state.ts';

export interface RetainedItems {
  readonly retained: RetainedItem[];
  readonly failures: ItemFailure[];
  /** Items past the retention window, no longer published. */
  readonly expired: string[];
}

/** Why an item not produced this run is missing. */
function retainReason(failure: string | undefined, until: string | undefined, report: FetchReport): string {
  return failure
    ? `fetch failed: ${failure}`
    : until
      ? `deferred until ${until}`
      : report.status === 'failed'
        ? `source failed: ${report.error ?? 'unknown error'}`
        : 'no longer listed upstream';
}

/** Why a retained item is published as it was: its last good copy is gone from the state store. */
function lostCopyMessage(reason: string): string {
  return `${reason}, and its last good copy (remote/items/) is lost or unreadable: kept as published until upstream lists it again or its retention ends`;
}

/**
 * Adds each retained item's last good copy to `merged.documents` (its key to `merged.produced`, its
 * source's type to `merged.kinds`).
 * `reports` are the fetch reports by source label.
 */
export async function retainRemoteItems(
  state: Storage,
  logger: Logger,
  merged: MergedItems,
  reports: ReadonlyMap<string, FetchReport>,
  cutoffMs: number,
): Promise<RetainedItems> {
  const { ledger, documents, produced, kinds, failedHere, deferredHere } = merged;
  const retained: RetainedItem[] = [];
  const failures: ItemFailure[] = [];
  const expired: string[] = [];
  for (const [key, item] of Object.entries(ledger.items)) {
    if (produced.has(key)) continue;
    const sourceReport = reports.get(item.source);
    // Items of a source removed from config are not republished: the publisher dropped it.
    if (!sourceReport) continue;
    const failure = failedHere.get(key);
    const reason = retainReason(failure, deferredHere.get(key) ?? sourceReport.deferredUntil, sourceReport);
    if (Date.parse(item.lastSeen) < cutoffMs) {
      expired.push(key);
      continue;
    }
    const raw: RawDocument | null = await readStoredItem(state, key);
    if (!raw) {
      // Fetched once, so a copy was stored: lost with the state. Never silently: as a failure the
      // item keeps its published version (sources/remote-collection.ts). Never fetched: nothing to keep.
      if (failure || item.lastGood)
        failures.push({ sourceId: key, message: failure ?? lostCopyMessage(reason) });
      continue;
    }
    documents.push(raw);
    produced.add(key);
    kinds.set(key, sourceReport.type);
    retained.push({ sourceId: key, reason, ...(item.lastGood ? { lastGood: item.lastGood } : {}) });
  }
  for (const [key, message] of failedHere) {
    if (!produced.has(key) && !failures.some((f) => f.sourceId === key))
      failures.push({ sourceId: key, message });
  }
  for (const r of retained) logger.warn('kept the last good version', { item: r.sourceId, reason: r.reason });
  return { retained, failures, expired };
}
