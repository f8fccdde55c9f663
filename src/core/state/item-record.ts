/**
 * The ledger entry kept in state for every item ever published: its id, slug, first-seen
 * date and content hash. `advanceItemRecord` is the only place dates move:
 * a new item gets `firstSeen = now`; `changedAt` moves only when the content hash changes.
 *
 * Must not: read the clock itself (`now` is passed in) or touch storage (the pipeline does).
 */
import { mintItemId } from './mint-item-id.ts';

export interface ItemRecord {
  readonly sourceId: string;
  readonly id: string;
  readonly slug: string;
  /** ISO-8601: when kiosque first saw the item; the published date when none is explicit. */
  readonly firstSeen: string;
  readonly contentHash: string;
  /** ISO-8601: when the content last changed after first publication, or null if never. */
  readonly changedAt: string | null;
}

export interface ItemObservation {
  readonly sourceId: string;
  /** What the id derives from: explicit id, else canonical URL, else source path. */
  readonly identityKey: string;
  readonly slug: string;
  readonly contentHash: string;
}

/** Returns the record after observing the item now; the same object when nothing moved. */
export async function advanceItemRecord(
  previous: ItemRecord | null,
  observed: ItemObservation,
  now: Date,
): Promise<ItemRecord> {
  const at = new Date(Math.floor(now.getTime() / 1000) * 1000).toISOString();
  if (!previous) {
    return {
      sourceId: observed.sourceId,
      id: await mintItemId(observed.identityKey),
      slug: observed.slug,
      firstSeen: at,
      contentHash: observed.contentHash,
      changedAt: null,
    };
  }
  if (previous.contentHash === observed.contentHash) return previous;
  return { ...previous, contentHash: observed.contentHash, changedAt: at };
}

/** Parses a stored record, or null when the bytes are not a valid record. */
export function parseItemRecord(text: string): ItemRecord | null {
  try {
    const value = JSON.parse(text) as Partial<ItemRecord>;
    if (
      typeof value.sourceId === 'string' &&
      typeof value.id === 'string' &&
      typeof value.slug === 'string' &&
      typeof value.firstSeen === 'string' &&
      typeof value.contentHash === 'string' &&
      (value.changedAt === null || typeof value.changedAt === 'string')
    ) {
      return {
        sourceId: value.sourceId,
        id: value.id,
        slug: value.slug,
        firstSeen: value.firstSeen,
        contentHash: value.contentHash,
        changedAt: value.changedAt,
      };
    }
  } catch {
    // fall through: a corrupt record is treated as absent and logged by the caller
  }
  return null;
}
