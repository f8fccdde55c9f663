/**
 * Matches one block against the chrome lexicon of rules.ts.
 * Input: a block's text and whether it sits in the head/tail zone. Output: the matching entry or null.
 *
 * The lexicon's patterns are lower case and compiled without the `i` flag (see `whole` in
 * rules.ts): they run on the lower-cased block.
 *
 * Must not: hold patterns (rules.ts does) or compile regexes per call (they are precompiled there).
 */

import { lexiconForm } from './normalise-text.ts';
import { CHROME_LEXICON, type ChromeEntry, THRESHOLDS } from './rules.ts';

export function matchChrome(text: string, atEdge: boolean): ChromeEntry | null {
  if (text.length > THRESHOLDS.lexiconMaxChars) return null;
  const tidy = lexiconForm(text);
  const form = tidy.toLowerCase();
  for (const entry of CHROME_LEXICON) {
    if (tidy.length > entry.maxChars) continue;
    if (entry.zone === 'edge' && !atEdge) continue;
    if (entry.hint && !entry.hint.test(form)) continue;
    if (entry.pattern.test(form)) return entry;
  }
  return null;
}
