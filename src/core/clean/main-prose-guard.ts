/**
 * The main-prose guard: no single rule may delete the element that holds most of the page's
 * prose. A chrome class hint, a widget check or a link-density rule that would remove it is
 * overruled, except for comment threads and consent overlays (MAIN_PROSE_GUARD.neverHint).
 * Input: the element's and the whole's non-link characters, the element's class/id.
 * Output: whether the element must stay (and, for the explain trace, its share of the prose).
 *
 * Must not: measure (the callers pass their own counts) or hold a threshold (rules.ts does).
 */
import { MAIN_PROSE_GUARD } from './rules.ts';

/** The element's share of the prose when the guard keeps it, else null. */
export function guardedShare(partChars: number, wholeChars: number, hints = ''): number | null {
  if (partChars < MAIN_PROSE_GUARD.minChars || wholeChars <= 0) return null;
  if (hints && MAIN_PROSE_GUARD.neverHint.test(hints)) return null;
  const share = partChars / wholeChars;
  return share >= MAIN_PROSE_GUARD.share ? share : null;
}

export function holdsMainProse(partChars: number, wholeChars: number, hints = ''): boolean {
  return guardedShare(partChars, wholeChars, hints) !== null;
}

/** The explain trace's reason for a refused removal. */
export function guardReason(wanted: string, why: string, share: number, of: string): string {
  const pct = Math.round(share * 100);
  const min = Math.round(MAIN_PROSE_GUARD.share * 100);
  return `${wanted} wanted it removed (${why}); refused: it holds ${pct}% of ${of} (guard: ≥ ${min}% and ≥ ${MAIN_PROSE_GUARD.minChars} characters)`;
}
