/**
 * Untrusted text (file names, URLs, upstream titles, error messages) → text safe to print on one
 * line of a log or report: every character that can move the cursor, end the line, recolour or
 * clear a terminal, or reorder what is shown is replaced by a visible escape (`\n`, `\x1b`,
 * `\u202e`). A file named `x\n  failed    forged.txt` prints as one line, `x\n  failed …`.
 *
 * Escaped: C0 controls (tab, LF and CR included), DEL, C1 controls (NEL U+0085, CSI U+009B …),
 * the bidirectional marks, embeddings, overrides and isolates (U+061C, U+200E/F, U+202A–U+202E,
 * U+2066–U+2069; "Trojan Source", CVE-2021-42574) and the line/paragraph separators
 * U+2028/U+2029. Backslashes are left alone: a literal `\n` in a name forges no line.
 *
 * Must not: touch any other character (accents, emoji, right-to-left scripts stay readable), or
 * be applied to output meant for machines as text (JSON lines use `escapeControlInJson`, which
 * keeps the value exact for a parser). Used by every log line and report: the console loggers,
 * `kiosque build`'s report and progress bar, `kiosque clean`'s text output.
 */

// biome-ignore lint/suspicious/noControlCharactersInRegex: escaping control characters is the point.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
/** What JSON.stringify leaves raw among UNSAFE (it already escapes C0 controls). */
const UNSAFE_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

const hex = (ch: string, width: number): string => ch.charCodeAt(0).toString(16).padStart(width, '0');

/** `text` with every unsafe character replaced by a visible escape (`\n`, `\x1b`, `\u202e`). */
export function escapeControl(text: string): string {
  return text.replace(UNSAFE, (ch) => NAMED[ch] ?? (ch < '\u0100' ? `\\x${hex(ch, 2)}` : `\\u${hex(ch, 4)}`));
}

/** A JSON text with the unsafe characters JSON.stringify leaves raw written as `\uXXXX` escapes. */
export function escapeControlInJson(json: string): string {
  return json.replace(UNSAFE_IN_JSON, (ch) => `\\u${hex(ch, 4)}`);
}
