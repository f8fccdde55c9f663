/**
 * Content-coding negotiation: an Accept-Encoding header + the variants a document has → the
 * coding to serve. Brotli wins over gzip whenever both are acceptable (it is smaller for text and
 * both are precomputed); identity is the fallback, and is also served when the client excluded
 * it but no acceptable variant exists (RFC 9110 §12.5.3 allows ignoring the header then).
 * https://www.rfc-editor.org/rfc/rfc9110#section-12.5.3
 *
 * Must not: compress anything (variants are precomputed at publish time).
 * Tunables: MAX_CACHED_HEADERS (distinct Accept-Encoding values remembered by the request path).
 */
import { memoiseByHeader } from './header-memo.ts';

export type ContentCoding = 'br' | 'gzip' | 'identity';

export interface AvailableVariants {
  readonly br: boolean;
  readonly gzip: boolean;
}

/** Parses `gzip;q=0.8, br, *;q=0` into coding → q (lowercased; invalid q counts as 0). */
function parseAcceptEncoding(header: string): Map<string, number> {
  const weights = new Map<string, number>();
  for (const part of header.split(',')) {
    const [rawCoding, ...params] = part.split(';');
    const coding = rawCoding?.trim().toLowerCase();
    if (!coding) continue;
    let q = 1;
    for (const param of params) {
      const [name, value] = param.split('=').map((s) => s.trim());
      if (name?.toLowerCase() === 'q') {
        q = value !== undefined && /^(0(\.\d{0,3})?|1(\.0{0,3})?)$/.test(value) ? Number(value) : 0;
      }
    }
    weights.set(coding === 'x-gzip' ? 'gzip' : coding, q);
  }
  return weights;
}

/**
 * Clients send a handful of distinct Accept-Encoding values (one per browser/reader build), so the
 * request path remembers the answer per value; past this many it starts afresh (bounded memory
 * even against a client sending random values).
 */
export const MAX_CACHED_HEADERS = 256;

const NEITHER: AvailableVariants = Object.freeze({ br: false, gzip: false });

/** Which of the precomputed codings an Accept-Encoding header accepts (identity is always possible). */
export function acceptedCodings(header: string | undefined): AvailableVariants {
  if (!header) return NEITHER;
  const weights = parseAcceptEncoding(header);
  const star = weights.get('*');
  const acceptable = (coding: string): boolean => (weights.get(coding) ?? star ?? 0) > 0;
  return Object.freeze({ br: acceptable('br'), gzip: acceptable('gzip') });
}

/** The coding to serve given what the client accepts and what the document has. */
export function chooseCoding(accepted: AvailableVariants, available: AvailableVariants): ContentCoding {
  if (available.br && accepted.br) return 'br';
  if (available.gzip && accepted.gzip) return 'gzip';
  return 'identity';
}

/** The coding to serve; `identity` when the header is absent or nothing better is acceptable. */
export function negotiateEncoding(header: string | undefined, available: AvailableVariants): ContentCoding {
  return chooseCoding(acceptedCodings(header), available);
}

/** acceptedCodings with the answer remembered per distinct header value (one Map hit per request). */
export function createAcceptedCodingsCache(
  max = MAX_CACHED_HEADERS,
): (header: string | undefined) => AvailableVariants {
  return memoiseByHeader(acceptedCodings, NEITHER, max);
}
