/**
 * Content hashing for published documents: bytes (or a string, UTF-8 encoded) → SHA-256 hex,
 * and the strong ETag derived from it.
 *
 * Must not: use node:crypto (the core runs on Node and on the edge; Web Crypto exists on both),
 * or be called per request (the publisher hashes once; the reader verifies once per body load).
 * Tunables: ETAG_HEX_LENGTH below.
 */

/** 32 hex chars = 128 bits of SHA-256: collision-safe for a cache validator, short on the wire. */
const ETAG_HEX_LENGTH = 32;

const encoder = new TextEncoder();

function toBytes(input: Uint8Array | string): Uint8Array {
  return typeof input === 'string' ? encoder.encode(input) : input;
}

/** SHA-256 of the bytes (strings are UTF-8 encoded), as lowercase hex. */
export async function sha256Hex(input: Uint8Array | string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', toBytes(input) as Uint8Array<ArrayBuffer>);
  const bytes = new Uint8Array(digest);
  let hex = '';
  for (const byte of bytes) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

/** The first 32 hex digits of the SHA-256: the digest ETags and manifest variants carry. */
export async function shortDigest(input: Uint8Array | string): Promise<string> {
  const hex = await sha256Hex(input);
  return hex.slice(0, ETAG_HEX_LENGTH);
}

/**
 * A strong entity tag (RFC 9110 §8.8.3): the quoted first 32 hex digits of the SHA-256.
 * Strong because the same tag means byte-identical content.
 * https://www.rfc-editor.org/rfc/rfc9110#section-8.8.3
 */
export async function strongEtag(input: Uint8Array | string): Promise<string> {
  return `"${await shortDigest(input)}"`;
}
