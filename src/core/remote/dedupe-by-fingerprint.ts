/**
 * "The same story reached twice becomes one item", second line of defence after canonical URLs:
 * remote documents whose article text is identical (same fingerprint of the parsed main-content
 * blocks) are folded into the item first seen (ledger `firstSeen`, then config order). It runs
 * after parsing and BEFORE cleaning: two copies of one story in a source would otherwise look like
 * text "repeated across the source" and be stripped as chrome. The duplicate's URLs become aliases of that
 * item, so the next run maps them straight to it and ids, slugs and dates never fork.
 *
 * Must not: fingerprint short texts (MIN_FINGERPRINT_CHARS: two stubs or empty pages are not the
 * same story) or touch local content/ documents (their identity is their path; copies of one story
 * among them fold by their own rule: clean/story-fold.ts, sources/story-index.ts).
 */
import { STORY_FOLD } from '../clean/rules.ts';
import { type Fingerprintable, fingerprintOf } from '../clean/story-fold.ts';
import { findByFingerprint, type ItemLedger, mergeItems, recordFingerprint } from './item-ledger.ts';

/** Below this many characters of article text, a match is likely chance, not the same story. */
export const MIN_FINGERPRINT_CHARS = STORY_FOLD.minFingerprintChars;

export interface Deduplicated<T extends Fingerprintable> {
  readonly documents: readonly T[];
  /** The input, position for position: the kept (possibly re-keyed) document or null. */
  readonly aligned: readonly (T | null)[];
  readonly merged: readonly { readonly url: string; readonly sameAs: string }[];
  readonly ledger: ItemLedger;
}

export async function dedupeByFingerprint<T extends Fingerprintable>(
  docs: readonly T[],
  ledger: ItemLedger,
): Promise<Deduplicated<T>> {
  const firstSeen = (key: string) => ledger.items[key]?.firstSeen ?? '9999';
  const order = docs.map((doc, index) => ({ doc, index }));
  // Oldest items claim their fingerprint first, so an established item never becomes an alias.
  const ranked = [...order].sort(
    (a, b) => firstSeen(a.doc.raw.sourceId).localeCompare(firstSeen(b.doc.raw.sourceId)) || a.index - b.index,
  );
  const owners = new Map<string, string>();
  const keep = new Map<number, T>();
  const merged: { url: string; sameAs: string }[] = [];
  let next = ledger;
  const inRun = new Set(docs.map((d) => d.raw.sourceId));
  for (const { doc, index } of ranked) {
    const key = doc.raw.sourceId;
    const fingerprint = next.items[key] ? await fingerprintOf(doc) : null;
    if (!fingerprint) {
      keep.set(index, doc);
      continue;
    }
    const owner = owners.get(fingerprint);
    if (owner) {
      merged.push({ url: key, sameAs: owner });
      next = mergeItems(next, key, owner);
      continue;
    }
    // An older item (not produced this run) already had this text: this is it, under a new URL.
    const earlier = findByFingerprint(next, fingerprint, key);
    if (earlier && !inRun.has(earlier) && firstSeen(earlier) < firstSeen(key)) {
      merged.push({ url: key, sameAs: earlier });
      next = mergeItems(next, key, earlier);
      owners.set(fingerprint, earlier);
      keep.set(index, { ...doc, raw: { ...doc.raw, sourceId: earlier } });
      continue;
    }
    owners.set(fingerprint, key);
    next = recordFingerprint(next, key, fingerprint);
    keep.set(index, doc);
  }
  const aligned = order.map(({ index }) => keep.get(index) ?? null);
  const documents = aligned.filter((d): d is T => d !== null);
  return { documents, aligned, merged, ledger: next };
}
