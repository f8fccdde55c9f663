/**
 * The main-prose guard: no single rule may delete the element that holds most of the page's
 * prose. A chrome class hint, a widget check or a link-density rule that would remove it is
 * overruled, except for comment threads and consent overlays (MAIN_PROSE_GUARD.neverHint).
 * Input: the element's and the whole's non-link characters, the element's class/id.
 * Output: whether the element must stay.
 *
 * Must not: measure (the callers pass their own counts) or hold a threshold (rules.ts does).
 */
import { MAIN_PROSE_GUARD } from './rules.ts';

export function holdsMainProse(partChars: number, wholeChars: number, hints = ''): boolean {
  if (partChars < MAIN_PROSE_GUARD.minChars || wholeChars <= 0) return false;
  if (hints && MAIN_PROSE_GUARD.neverHint.test(hints)) return false;
  return partChars / wholeChars >= MAIN_PROSE_GUARD.share;
}
