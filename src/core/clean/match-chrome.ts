/**
 * Matches one block against the chrome lexicon of rules.ts.
 * Input: a block's text and whether it sits in the head/tail zone. Output: the matching entry or null.
 *
 * Must not: hold patterns (rules.ts does) or compile regexes per call (they are precompiled there).
 */

import { lexiconForm } from './normalise-text.ts';
import { CHROME_LEXICON, type ChromeEntry, THRESHOLDS } from './rules.ts';

export function matchChrome(text: string, atEdge: boolean): ChromeEntry | null {
  if (text.length > THRESHOLDS.lexiconMaxChars) return null;
  const form = lexiconForm(text);
  for (const entry of CHROME_LEXICON) {
    if (form.length > entry.maxChars) continue;
    if (entry.zone === 'edge' && !atEdge) continue;
    if (entry.hint && !entry.hint.test(form)) continue;
    if (entry.pattern.test(form)) return entry;
  }
  return null;
}
