/**
 * Character-set detection for fetched bytes: byte-order mark > Content-Type `charset` >
 * `<meta charset>` / `<meta http-equiv>` / `<?xml encoding?>` in the first bytes > unknown.
 * Then `decodeFetchedText` turns the bytes into text with the Web-standard TextDecoder (the
 * Node fetch driver decodes earlier with iconv-lite and hands over UTF-8; this is the path for a
 * runtime whose fetch returns the upstream bytes untouched, such as the edge).
 *
 * Precedence follows the HTML encoding-sniffing algorithm, simplified:
 * https://html.spec.whatwg.org/multipage/parsing.html#determining-the-character-encoding
 * A declared UTF-8 that does not decode is treated as Windows-1252 (the usual lie on French sites).
 *
 * Must not: fetch or log. Tunables: PRESCAN_BYTES.
 */

/** How far into the document a `<meta charset>` may appear (the HTML spec says 1024 bytes). */
export const PRESCAN_BYTES = 1024;

export type CharsetSource = 'bom' | 'header' | 'meta' | 'default';

export interface SniffedCharset {
  /** Lower-case label, e.g. `utf-8`, `windows-1252`; null when nothing declares one. */
  readonly charset: string | null;
  readonly from: CharsetSource;
  /** Bytes of BOM to skip. */
  readonly bomLength: number;
}

/** Labels that WHATWG maps to windows-1252 (ISO-8859-1 and ASCII are decoded as its superset). */
const WINDOWS_1252_LABELS = new Set([
  'windows-1252',
  'cp1252',
  'x-cp1252',
  'iso-8859-1',
  'iso8859-1',
  'iso_8859-1',
  'latin1',
  'l1',
  'us-ascii',
  'ascii',
]);

/** Canonical lower-case label (`latin1` → `windows-1252`, `utf8` → `utf-8`). */
export function normaliseCharsetLabel(label: string): string {
  const lower = label
    .trim()
    .replace(/^["']|["']$/g, '')
    .toLowerCase();
  if (WINDOWS_1252_LABELS.has(lower)) return 'windows-1252';
  if (lower === 'utf8' || lower === 'unicode-1-1-utf-8') return 'utf-8';
  return lower;
}

/** The `charset` parameter of a Content-Type header, if any. */
export function charsetFromContentType(contentType: string | null | undefined): string | null {
  const match = /;\s*charset\s*=\s*("?)([^";\s]+)\1/i.exec(contentType ?? '');
  return match?.[2] ? normaliseCharsetLabel(match[2]) : null;
}

function charsetFromMarkup(bytes: Uint8Array): string | null {
  // Latin-1 view of the head: every ASCII-compatible charset spells its declaration in ASCII.
  let head = '';
  const end = Math.min(bytes.length, PRESCAN_BYTES);
  for (let i = 0; i < end; i++) head += String.fromCharCode(bytes[i] ?? 0);
  const meta =
    /<meta[^>]+charset\s*=\s*["']?([\w.:-]+)/i.exec(head) ??
    /<\?xml[^>]+encoding\s*=\s*["']([\w.:-]+)["']/i.exec(head);
  return meta?.[1] ? normaliseCharsetLabel(meta[1]) : null;
}

/** Finds the declared charset of fetched bytes. */
export function sniffCharset(bytes: Uint8Array, contentType: string | null | undefined): SniffedCharset {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { charset: 'utf-8', from: 'bom', bomLength: 3 };
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { charset: 'utf-16le', from: 'bom', bomLength: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { charset: 'utf-16be', from: 'bom', bomLength: 2 };
  const header = charsetFromContentType(contentType);
  if (header) return { charset: header, from: 'header', bomLength: 0 };
  const markup = charsetFromMarkup(bytes);
  if (markup) return { charset: markup, from: 'meta', bomLength: 0 };
  return { charset: null, from: 'default', bomLength: 0 };
}

/** Whether the bytes are well-formed UTF-8. */
export function isValidUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/**
 * The charset to decode with: the declared one, except that a missing or false UTF-8
 * declaration on bytes that are not UTF-8 falls back to windows-1252.
 */
export function chooseCharset(
  bytes: Uint8Array,
  sniffed: SniffedCharset,
): { charset: string; guessed: boolean } {
  const body = bytes.subarray(sniffed.bomLength);
  if (sniffed.charset && sniffed.charset !== 'utf-8') return { charset: sniffed.charset, guessed: false };
  if (isValidUtf8(body)) return { charset: 'utf-8', guessed: sniffed.charset === null };
  return { charset: 'windows-1252', guessed: true };
}

/**
 * Windows-1252 code points for bytes 0x80–0x9F: Node 20's TextDecoder treats windows-1252 as
 * ISO-8859-1 and yields C1 controls there; WHATWG (and browsers, and the edge) map them this way.
 */
const CP1252_C1 =
  '\u20AC\u0081\u201A\u0192\u201E\u2026\u2020\u2021\u02C6\u2030\u0160\u2039\u0152\u008D\u017D\u008F' +
  '\u0090\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u02DC\u2122\u0161\u203A\u0153\u009D\u017E\u0178';

export interface DecodedText {
  readonly text: string;
  readonly charset: string;
  readonly from: CharsetSource;
  /** True when the charset was guessed (none declared, or the declaration was wrong). */
  readonly guessed: boolean;
}

/** Bytes → text with the Web-standard TextDecoder (unknown labels decode as UTF-8, lossy). */
export function decodeFetchedText(bytes: Uint8Array, contentType: string | null | undefined): DecodedText {
  const sniffed = sniffCharset(bytes, contentType);
  const { charset, guessed } = chooseCharset(bytes, sniffed);
  const body = bytes.subarray(sniffed.bomLength);
  let text: string;
  try {
    text = new TextDecoder(charset).decode(body);
  } catch {
    text = new TextDecoder('utf-8').decode(body);
  }
  if (charset === 'windows-1252') {
    text = text.replace(/[\u0080-\u009F]/g, (ch) => CP1252_C1.charAt(ch.charCodeAt(0) - 0x80));
  }
  return { text, charset, from: sniffed.from, guessed };
}
