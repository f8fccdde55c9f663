/**
 * Rebuilds the remote item ledger (item-ledger.ts) when it is missing or unreadable, from the
 * remote state that survives it: the last good copy of each item (`remote/items/`: its item key,
 * source label, and the URLs it was read from) and the remote index (item key → source label, for
 * items whose copy is lost too). Without this, a lost ledger made every item that upstream no
 * longer lists (retained from its last good copy) leave the site on the next run, unreported.
 *
 * What cannot come back, by construction: aliases other than the URLs a copy was read from (a
 * story reached at a new URL later is matched again by canonical URL and content fingerprint),
 * and the sightings' times: every recovered item counts as first and last seen (and fetched) now, so an item
 * retained before the loss is kept up to `retentionDays` longer than it would have been, never
 * less (docs/derived-state.md).
 *
 * Must not: fetch, read the clock (`at` is passed in), or write anything (the ledger is saved by
 * the commit of a run that succeeds).
 */
import type { Storage } from '../../ports/storage.ts';
import { tryCanonicaliseUrl } from './canonical-url.ts';
import type { ItemLedger, LedgerItem } from './item-ledger.ts';
import { readStoredItems } from './remote-state.ts';

export interface RecoveredLedger {
  readonly ledger: ItemLedger;
  /** Items rebuilt from their stored copies. */
  readonly fromCopies: number;
  /** Items known only from the remote index (their copy is lost too). */
  readonly fromIndex: number;
}

/**
 * The ledger the surviving state gives; empty when nothing survives (a first run, or every remote
 * item gone). `remoteIndex`: item key → its source label, as the remote index holds it.
 */
export async function recoverLedger(
  state: Storage,
  remoteIndex: Readonly<Record<string, { readonly source: string }>>,
  at: string,
): Promise<RecoveredLedger> {
  const items: Record<string, LedgerItem> = {};
  for (const raw of await readStoredItems(state)) {
    const urls = [raw.metadata?.url, raw.baseUrl]
      .map((url) => (url ? tryCanonicaliseUrl(url) : null))
      .filter((url): url is string => url !== null);
    items[raw.sourceId] = {
      aliases: [...new Set([raw.sourceId, ...urls])],
      source: raw.source,
      firstSeen: at,
      lastSeen: at,
      lastGood: at,
    };
  }
  const fromCopies = Object.keys(items).length;
  for (const [key, entry] of Object.entries(remoteIndex)) {
    if (items[key] || typeof entry.source !== 'string') continue;
    // Indexed, so fetched and stored once: a lost copy is reported (retain-remote-items.ts).
    items[key] = { aliases: [key], source: entry.source, firstSeen: at, lastSeen: at, lastGood: at };
  }
  const sorted = Object.fromEntries(Object.entries(items).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return {
    ledger: { version: 1, items: sorted },
    fromCopies,
    fromIndex: Object.keys(items).length - fromCopies,
  };
}
