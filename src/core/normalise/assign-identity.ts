/**
 * Identity assignment for one cleaned document: the quality gate (held back or flagged), and for
 * an item that passes it the id (minted once from the identity key, or the one its record holds),
 * who keeps an id two sources claim (id-claims.ts), a free slug, and the first-seen date, as the
 * item record the ledger stores (state/item-record.ts).
 *
 * Pure over what the orchestrator injects (IdentityLedger: the other claimants' records, the slugs
 * already held, holding a loser back).
 * Must not: read or write storage or the clock itself; decide anything but the item's identity
 * and its quality flag.
 * Tunables: the gate's warning codes live in clean/rules.ts.
 */

import { KEPT_NOTHING, KEPT_TOO_LITTLE } from '../clean/rules.ts';
import type { CleanDocument } from '../model.ts';
import type { CatalogFlag } from '../state/item-catalog.ts';
import { advanceItemRecord, type ItemRecord } from '../state/item-record.ts';
import { mintItemId } from '../state/mint-item-id.ts';
import { type IdClaim, type IdField, keepsId } from './id-claims.ts';
import { makeSlug, slugCandidates } from './make-slug.ts';

/**
 * Quality gate (issue 3): kept nothing → held back (an empty item helps no reader); kept too
 * little → published but flagged. Both are listed in the build status (/healthz). Otherwise the
 * item's first quality warning (e.g. a machine-translation artefact, marked in the body):
 * published, and listed on /status with the rule and why. Null: nothing to flag.
 */
export function qualityFlag(clean: CleanDocument): CatalogFlag | null {
  const gate = clean.warnings.find((w) => w.code === KEPT_NOTHING || w.code === KEPT_TOO_LITTLE);
  const noted = gate ?? clean.warnings[0];
  const title = clean.metadata.title ?? clean.inferred.title;
  return noted
    ? {
        code: noted.code,
        message: noted.message,
        heldBack: noted.code === KEPT_NOTHING,
        ...(title ? { title } : {}),
      }
    : null;
}

/** The id's source of identity: the front-matter/upstream id, else the URL, else the source id. */
export function identityOf(clean: CleanDocument): { readonly key: string; readonly field: IdField } {
  return {
    key: clean.metadata.id ?? clean.metadata.url ?? clean.raw.sourceId,
    field: clean.metadata.id !== undefined ? 'id' : 'url',
  };
}

/** What identity assignment reads and does outside itself (the orchestrator supplies it). */
export interface IdentityLedger {
  /** The live sources other than `sourceId` published under `id` now. */
  holders(id: string, sourceId: string): Promise<readonly string[]>;
  /** A source's stored record (null: none, or unreadable). */
  recordOf(sourceId: string): Promise<ItemRecord | null>;
  /** Takes `loser` out of the published items: `holder` keeps the id. */
  holdBack(loser: string, holder: string, field: IdField, value: string): Promise<void>;
  /** Whether another item holds `slug`. */
  slugTaken(slug: string): Promise<boolean>;
}

export interface IdentityRequest {
  readonly sourceId: string;
  readonly identityKey: string;
  readonly field: IdField;
  readonly contentHash: string;
  /** The source's record before this run (stored or recovered); null: a new item. */
  readonly previous: ItemRecord | null;
}

/**
 * First-seen dates of one run: items first seen in one run are spaced one second apart, in source
 * order, so each has its own timestamp (W3C feedvalidator flags identical atom:updated values and
 * readers need a stable order). Recorded once, these dates never move again.
 */
export interface FirstSeenClock {
  readonly started: Date;
  newInThisRun: number;
}

/** The first free slug for a source: its own, else the next candidate (make-slug.ts). */
export async function freeSlug(sourceId: string, taken: (slug: string) => Promise<boolean>): Promise<string> {
  for (const candidate of slugCandidates(makeSlug(sourceId))) if (!(await taken(candidate))) return candidate;
  throw new Error('unreachable: slug candidates never end');
}

/**
 * One id, one published source (id-claims.ts): the one the id was issued to first keeps it; every
 * other claimant is held back. Returns the keeper's source id.
 */
async function settleIdClaims(request: IdentityRequest, id: string, ledger: IdentityLedger): Promise<string> {
  const { sourceId, previous } = request;
  let keeper: IdClaim = { sourceId, record: previous };
  const claimants: IdClaim[] = [keeper];
  for (const other of await ledger.holders(id, sourceId)) {
    const claim = { sourceId: other, record: await ledger.recordOf(other) };
    claimants.push(claim);
    if (keepsId(claim, keeper)) keeper = claim;
  }
  for (const claim of claimants)
    if (claim !== keeper)
      await ledger.holdBack(claim.sourceId, keeper.sourceId, request.field, request.identityKey);
  return keeper.sourceId;
}

/**
 * The item's record after this run (the same object as `previous` when nothing changed), or null
 * when another source keeps its id (it was held back).
 */
export async function assignIdentity(
  request: IdentityRequest,
  ledger: IdentityLedger,
  firstSeen: FirstSeenClock,
): Promise<ItemRecord | null> {
  const { sourceId, identityKey, contentHash, previous } = request;
  const id = previous?.id ?? (await mintItemId(identityKey));
  if ((await settleIdClaims(request, id, ledger)) !== sourceId) return null;
  const slug = previous?.slug ?? (await freeSlug(sourceId, ledger.slugTaken));
  const seen = previous
    ? firstSeen.started
    : new Date(firstSeen.started.getTime() - 1000 * firstSeen.newInThisRun++);
  return await advanceItemRecord(previous, { sourceId, identityKey, slug, contentHash }, seen);
}
