/**
 * Metadata text (a title, a summary, a name, a tag) → plain text, once, so every format and every
 * reader shows the same string: tags stripped, character references decoded, white space collapsed.
 * A title such as `Les <b>gras</b> &amp; co` becomes `Les gras & co` in RSS, Atom, JSON Feed and the
 * page alike; before, each reader guessed differently whether it was markup (feedparser, feedsmith
 * and rss-parser strip it, others show it, one rendering RSS titles as HTML got a live link), and
 * the W3C validator warned (ContainsHTML).
 *
 * Rule: strip anything shaped like a tag (`<` + letter, `/`, `!` or `?`, up to the next `>`), decode
 * references, and strip again until no tag is left (an escaped `&lt;script&gt;` is markup too once
 * a reader decodes it). So `a <b> c` loses `<b>`; `a < b` and `3 > 2` stay (no letter after `<`).
 * Must not: touch body text (blocks are already text and a derived lead is cut from them).
 * Tunables: MAX_ROUNDS.
 */
import { decodeEntities } from '../text/decode-entities.ts';

/** Anything a reader would take for a tag, comment, doctype or processing instruction. */
const TAG = /<[a-zA-Z/!?][^>]*>/g;
/** Decode → strip rounds before giving up decoding (each round undoes one level of escaping). */
const MAX_ROUNDS = 3;

/** `text` as plain text: no markup, references decoded, white space collapsed to single spaces. */
export function toPlainText(text: string): string {
  let plain = text.replace(TAG, ' ');
  for (let round = 0; round < MAX_ROUNDS && plain.includes('&'); round++) {
    const decoded = decodeEntities(plain);
    if (decoded === plain) break;
    plain = decoded.replace(TAG, ' ');
  }
  // Escaped deeper than MAX_ROUNDS: whatever still looks like a tag goes.
  return plain.replace(TAG, ' ').replace(/\s+/g, ' ').trim();
}
