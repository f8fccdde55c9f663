/**
 * Text escaping for every rendered document: string → string safe inside XML 1.0
 * (RSS, Atom) or HTML5 text and attribute values.
 *
 * Must not: parse or rewrite markup (sanitising HTML is the clean stage's job), or
 * drop anything but characters that XML 1.0 forbids.
 * Spec: XML 1.0 §2.2 Char production (https://www.w3.org/TR/xml/#charsets),
 * §2.7 CDATA sections, §3.3.3 attribute-value normalisation.
 */

/**
 * Everything outside the XML 1.0 `Char` production: C0 controls except tab, LF and CR,
 * U+FFFE/U+FFFF, and lone surrogates. With the `u` flag a lone surrogate is its own
 * code point, so it falls outside every allowed range and is matched; valid pairs
 * (emoji) are one code point in U+10000–U+10FFFF and kept.
 */
const INVALID_XML_CHARS = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/**
 * C1 controls and the U+FDD0–U+FDEF noncharacters are legal but "discouraged"
 * (XML 1.0 §2.2); validators warn on them and no reader displays them. NEL (U+0085)
 * goes too: XML 1.1 parsers read it as a line end, feedparser as a Windows-1252
 * ellipsis, so the same title would differ between clients and formats.
 */
const DISCOURAGED_XML_CHARS = /[\u007F-\u009F\uFDD0-\uFDEF]/gu;

const XML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/**
 * Every code unit either pattern above could match (all but the code units they always keep),
 * tested without the `u` flag: a plain code-unit scan, several times faster than the two
 * Unicode-aware replaces over a long article. Surrogates count as suspect (the slow path keeps
 * valid pairs), so text with emoji takes the slow path.
 */
const MAYBE_STRIPPED = /[^\t\n\r\u0020-\u007E\u00A0-\uD7FF\uE000-\uFDCF\uFDF0-\uFFFD]/;

/** Removes characters XML 1.0 forbids or discourages; everything else is kept verbatim. */
export function stripInvalidXmlChars(text: string): string {
  // Nearly all text has nothing to strip: one fast scan proves it, and returns the same string.
  if (!MAYBE_STRIPPED.test(text)) return text;
  return text.replace(INVALID_XML_CHARS, '').replace(DISCOURAGED_XML_CHARS, '');
}

/** Escapes text for XML element content: strips illegal characters, escapes & < > " '. */
export function escapeXml(text: string): string {
  return stripInvalidXmlChars(text).replace(/[&<>"']/g, (c) => XML_ESCAPES[c] ?? c);
}

/**
 * Escapes an XML attribute value. Parsers turn a literal tab, LF or CR in an
 * attribute into a space (§3.3.3), so they are written as character references to
 * survive the round trip.
 */
export function escapeXmlAttr(text: string): string {
  return escapeXml(text).replace(/[\t\n\r]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Escapes text for HTML5 text and quoted attribute values. Same rules as XML: the
 * characters XML forbids are parse errors in HTML too, and `&apos;` is valid HTML5.
 */
export function escapeHtml(text: string): string {
  return escapeXml(text);
}

/**
 * Wraps text in a CDATA section. A `]]>` inside would end the section early, so
 * each one (however many) is split across two sections: `]]` ends the first,
 * `>` opens the next. Illegal characters are stripped because CDATA cannot
 * escape them either.
 */
export function wrapCdata(text: string): string {
  return `<![CDATA[${stripInvalidXmlChars(text).replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
}
