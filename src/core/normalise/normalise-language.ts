/**
 * A stated language (`lang:` in front matter, `<html lang>`, an upstream feed) → a canonical
 * BCP 47 tag (RFC 5646), or null when it is not one. `fr_FR` → `fr-FR`, `EN-gb` → `en-GB`,
 * `zh-hant-tw` → `zh-Hant-TW`. Checked once here: `lang: 'fr"><script>…'` became an invalid
 * `xml:lang` in Atom and a raw JSON Feed `language` before (issue 24).
 *
 * How: underscores become hyphens, then `Intl.getCanonicalLocales` (Node and Workers alike)
 * validates the syntax and fixes the case; it throws on anything that is not a well-formed tag.
 * Must not: guess a language (the caller falls back to the detected or site language).
 * Tunables: MAX_TAG_CHARS.
 */

/** Longer than any real tag (RFC 5646 §4.4.1 advises 35 as enough for all). */
const MAX_TAG_CHARS = 35;

/** The canonical BCP 47 form of `tag`, or null when it is not a well-formed tag. */
export function canonicalLanguage(tag: string): string | null {
  const text = tag.trim().replace(/_/g, '-');
  if (text === '' || text.length > MAX_TAG_CHARS || !/^[A-Za-z0-9-]+$/.test(text)) return null;
  try {
    return Intl.getCanonicalLocales(text)[0] ?? null;
  } catch {
    return null;
  }
}
