/**
 * The remote item ledger (`remote/ledger.json` in state): which item key every URL leads to
 * (aliases when a story moves or is reached twice), when each item was first and last seen,
 * its content fingerprint and the source it came from. Pure functions over a plain object;
 * the pipeline loads it once per run and saves it before publishing.
 *
 * An item key is the canonical URL under which the story was FIRST seen; it is the item's
 * `sourceId`, so its id, slug and first-seen date (state/item-record.ts) never move afterwards.
 *
 * Must not: fetch, or read the clock (dates are passed in). Tunables: none.
 */
import type { Storage } from '../../ports/storage.ts';

export const LEDGER_KEY = 'remote/ledger.json';

export interface LedgerItem {
  /** Canonical URLs that lead to this item (the key itself included). */
  readonly aliases: readonly string[];
  /** Label of the source that last listed it. */
  readonly source: string;
  /** ISO-8601. */
  readonly firstSeen: string;
  /** ISO-8601: last run in which upstream listed it or it was fetched successfully. */
  readonly lastSeen: string;
  /** ISO-8601: last successful fetch, when any. */
  readonly lastGood?: string;
  /** SHA-256 of the cleaned text, for "same story at another URL". */
  readonly fingerprint?: string;
}

export interface ItemLedger {
  readonly version: 1;
  /** Item key → item. */
  readonly items: Readonly<Record<string, LedgerItem>>;
}

export const EMPTY_LEDGER: ItemLedger = { version: 1, items: {} };

/** The item key a canonical URL leads to, or null for a URL never seen. */
export function resolveItemKey(ledger: ItemLedger, url: string): string | null {
  if (ledger.items[url]) return url;
  for (const [key, item] of Object.entries(ledger.items)) if (item.aliases.includes(url)) return key;
  return null;
}

/** The first of `urls` that the ledger knows, as its item key. */
export function resolveAny(ledger: ItemLedger, urls: readonly string[]): string | null {
  for (const url of urls) {
    const key = resolveItemKey(ledger, url);
    if (key) return key;
  }
  return null;
}

/** The item key already holding `fingerprint`, other than `except`. */
export function findByFingerprint(ledger: ItemLedger, fingerprint: string, except: string): string | null {
  for (const [key, item] of Object.entries(ledger.items)) {
    if (key !== except && item.fingerprint === fingerprint) return key;
  }
  return null;
}

export interface Sighting {
  readonly key: string;
  readonly urls: readonly string[];
  readonly source: string;
  readonly at: string;
  readonly fetched: boolean;
}

/** Records that an item was listed (and maybe fetched) now, adding any new aliases. */
export function recordSighting(ledger: ItemLedger, sighting: Sighting): ItemLedger {
  const previous = ledger.items[sighting.key];
  const aliases = [...new Set([sighting.key, ...(previous?.aliases ?? []), ...sighting.urls])];
  const item: LedgerItem = {
    ...(previous ?? { firstSeen: sighting.at }),
    aliases,
    source: sighting.source,
    lastSeen: sighting.at,
    ...(sighting.fetched ? { lastGood: sighting.at } : {}),
  };
  return { ...ledger, items: { ...ledger.items, [sighting.key]: item } };
}

export function recordFingerprint(ledger: ItemLedger, key: string, fingerprint: string): ItemLedger {
  const item = ledger.items[key];
  if (!item || item.fingerprint === fingerprint) return ledger;
  return { ...ledger, items: { ...ledger.items, [key]: { ...item, fingerprint } } };
}

/** Folds item `from` into item `into`: its URLs become aliases of `into`, `from` disappears. */
export function mergeItems(ledger: ItemLedger, from: string, into: string): ItemLedger {
  const source = ledger.items[from];
  const target = ledger.items[into];
  if (!target || from === into) return ledger;
  const items = { ...ledger.items };
  delete items[from];
  items[into] = {
    ...target,
    aliases: [...new Set([...target.aliases, from, ...(source?.aliases ?? [])])],
    lastSeen: source && source.lastSeen > target.lastSeen ? source.lastSeen : target.lastSeen,
  };
  return { ...ledger, items };
}

function isLedgerItem(value: unknown): value is LedgerItem {
  const v = value as Partial<LedgerItem> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    Array.isArray(v.aliases) &&
    v.aliases.every((a) => typeof a === 'string') &&
    typeof v.source === 'string' &&
    typeof v.firstSeen === 'string' &&
    typeof v.lastSeen === 'string'
  );
}

/**
 * The stored ledger, or null when it is missing or unreadable (not JSON, another version): the
 * caller then rebuilds it from the remote state that survives (remote/recover-ledger.ts). Items
 * of another shape are dropped one by one.
 */
export async function readLedger(state: Storage): Promise<ItemLedger | null> {
  const stored = await state.get(LEDGER_KEY);
  if (!stored) return null;
  try {
    const value = JSON.parse(new TextDecoder().decode(stored.body)) as { version?: unknown; items?: unknown };
    if (value.version !== 1 || typeof value.items !== 'object' || value.items === null) return null;
    const items: Record<string, LedgerItem> = {};
    for (const [key, item] of Object.entries(value.items)) if (isLedgerItem(item)) items[key] = item;
    return { version: 1, items };
  } catch {
    return null;
  }
}

/** The stored ledger, or an empty one when it is missing or unreadable (tests and tools). */
export async function loadLedger(state: Storage): Promise<ItemLedger> {
  return (await readLedger(state)) ?? EMPTY_LEDGER;
}

export async function saveLedger(state: Storage, ledger: ItemLedger): Promise<void> {
  await state.put(LEDGER_KEY, new TextEncoder().encode(`${JSON.stringify(ledger, null, 1)}\n`));
}
