/**
 * A stated language (`lang:` in front matter, `<html lang>`, an upstream feed) → a canonical
 * BCP 47 tag (RFC 5646), or null when it is not one. `fr_FR` → `fr-FR`, `EN-gb` → `en-GB`,
 * `zh-hant-tw` → `zh-Hant-TW`. Checked once here: `lang: 'fr"><script>…'` became an invalid
 * `xml:lang` in Atom and a raw JSON Feed `language` before (issue 24).
 *
 * How: underscores become hyphens, then `Intl.getCanonicalLocales` (Node and Workers alike)
 * validates the syntax and fixes the case; it throws on anything that is not a well-formed tag.
 * Shared by clean (a document's stated language) and normalise (item fields), so it lives in no
 * stage folder.
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

/**
 * Language names some pages put in `<html lang>` or `lang:` instead of a tag ("deutsch, german"),
 * in English and in the language itself, lower case → ISO 639-1.
 */
const LANGUAGE_NAMES: Readonly<Record<string, string>> = {
  english: 'en',
  german: 'de',
  deutsch: 'de',
  french: 'fr',
  français: 'fr',
  francais: 'fr',
  spanish: 'es',
  español: 'es',
  espanol: 'es',
  castellano: 'es',
  italian: 'it',
  italiano: 'it',
  portuguese: 'pt',
  português: 'pt',
  portugues: 'pt',
  polish: 'pl',
  polski: 'pl',
  russian: 'ru',
  русский: 'ru',
  dutch: 'nl',
  nederlands: 'nl',
  japanese: 'ja',
  日本語: 'ja',
  korean: 'ko',
  한국어: 'ko',
  chinese: 'zh',
  中文: 'zh',
};

/** Whether the primary subtag names a language the runtime knows (not just a well-formed tag). */
function isKnownLanguage(tag: string): boolean {
  const primary = tag.split('-')[0] ?? '';
  if (primary.length > 3) return false;
  try {
    return new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none' }).of(primary) !== undefined;
  } catch {
    return false;
  }
}

/**
 * A stated language as written on real pages → a canonical BCP 47 tag of a known language, or
 * null. Reads lists ("de, en"), language names ("deutsch, german") and any case ("EN"); drops
 * what names no language (`lang=`, "deutsch" as a tag, "zz"). The first usable part wins.
 */
export function statedLanguage(value: string | undefined): string | null {
  if (value === undefined) return null;
  for (const part of value.split(/[\s,;/|]+/u)) {
    const named = LANGUAGE_NAMES[part.toLowerCase()];
    if (named) return named;
    const tag = canonicalLanguage(part);
    if (tag !== null && isKnownLanguage(tag)) return tag;
  }
  return null;
}
