/**
 * The removal guard: a run that would unpublish every item, or more than half of them, is
 * refused before anything is committed or published, unless the operator allowed it
 * (`kiosque build --allow-removals`, config `allowRemovals`). A content folder mounted wrong, a
 * sync that emptied it, a typo in `--content`: each looks like "every article was deleted", and
 * publishing that would empty every reader's feed. A deliberate delete of a few articles passes.
 *
 * Input: how many items were published before the run and how many the run takes away.
 * Must not: read storage or decide what is removed (regenerate.ts counts). Threshold: MAX_REMOVED_SHARE.
 */
import { BuildRefusedError } from './build-refusal.ts';

/** The share of published items a run may unpublish without `allowRemovals` (strictly more is refused). */
export const MAX_REMOVED_SHARE = 0.5;

/** A run refused by the guard; the message names the counts and the way out. */
export class RemovalRefusedError extends BuildRefusedError {
  override readonly name = 'RemovalRefusedError';
  constructor(
    readonly removed: number,
    readonly publishedBefore: number,
  ) {
    const what = removed >= publishedBefore ? 'every item' : 'more than half of the items';
    super(
      `unpublish ${removed} of ${publishedBefore} published items (${what})`,
      'nothing was changed',
      'If the content folder is right and this is intended, build again with --allow-removals ' +
        '(config "allowRemovals": true for serve and the Worker)',
    );
  }
}

/** Throws RemovalRefusedError when the run would unpublish too much and the operator did not allow it. */
export function guardRemovals(removed: number, publishedBefore: number, allowRemovals: boolean): void {
  if (allowRemovals || removed === 0 || publishedBefore === 0) return;
  if (removed >= publishedBefore || removed > publishedBefore * MAX_REMOVED_SHARE) {
    throw new RemovalRefusedError(removed, publishedBefore);
  }
}
