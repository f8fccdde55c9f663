/**
 * Local HTML files declare their charset the way fetched pages do (`<meta charset="gb2312">`,
 * `<meta http-equiv="Content-Type" content="…; charset=koi8-r">`); this reads that declaration so
 * a GB2312 or KOI8-R file on disk is not decoded as Windows-1252.
 * Input: the file's bytes. Output: the decoded text and its charset, or null when the markup
 * declares nothing usable (the caller keeps its UTF-8 / Windows-1252 decoding).
 *
 * Rule: the `<meta>` declaration wins over the Windows-1252 fallback only when the bytes are not
 * valid UTF-8 (a file re-saved as UTF-8 often keeps its old declaration) and the runtime's
 * TextDecoder knows the label. Must not: read files (the caller has the bytes).
 */
import { decodeFetchedText, isValidUtf8, sniffCharset } from '../text/sniff-charset.ts';

export function decodeDeclaredMarkup(bytes: Uint8Array): { text: string; encoding: string } | null {
  const sniffed = sniffCharset(bytes, null);
  if (sniffed.from !== 'meta' || !sniffed.charset || sniffed.charset === 'utf-8') return null;
  if (isValidUtf8(bytes)) return null;
  try {
    new TextDecoder(sniffed.charset);
  } catch {
    return null;
  }
  const decoded = decodeFetchedText(bytes, null);
  return { text: decoded.text, encoding: `${decoded.charset} (from <meta>)` };
}
