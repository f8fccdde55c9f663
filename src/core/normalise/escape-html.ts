/**
 * Escapes plain text for HTML element content and attribute values (`&<>"'`).
 * Input: text. Output: the same text, safe inside an element or a double-quoted attribute.
 *
 * Must not: decode or re-escape entities (the input is plain text by contract). No tunables.
 */

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML element content and attribute values. */
export function escapeHtmlText(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch] ?? ch);
}
