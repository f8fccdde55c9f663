/**
 * Content hashing for published documents and state keys: bytes (or a string, UTF-8 encoded) →
 * SHA-256 hex, and the strong ETag derived from it.
 *
 * Must not: use node:crypto (the core runs on Node and on the edge), or be called per request
 * (the publisher hashes once; the reader verifies once per body load).
 * Tunables: ETAG_HEX_LENGTH, SYNC_HASH_MAX_BYTES below.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';

/** 32 hex chars = 128 bits of SHA-256: collision-safe for a cache validator, short on the wire. */
const ETAG_HEX_LENGTH = 32;

/**
 * Inputs up to this size are hashed synchronously in JavaScript (@noble/hashes), larger ones with
 * Web Crypto. Most hashes are short (state keys from source ids, item input digests: an
 * incremental run makes hundreds), and each `crypto.subtle.digest` call costs about 70 µs on
 * Node whatever the size (a round trip through the thread pool) against 6 µs for 200 bytes in
 * JavaScript; from about 8 KB on (rendered documents) Web Crypto's native code wins. Both compute
 * the same SHA-256, so the threshold never changes a result.
 */
const SYNC_HASH_MAX_BYTES = 8 * 1024;

const encoder = new TextEncoder();

function toBytes(input: Uint8Array | string): Uint8Array {
  return typeof input === 'string' ? encoder.encode(input) : input;
}

/** SHA-256 of the bytes (strings are UTF-8 encoded), as lowercase hex. */
export async function sha256Hex(input: Uint8Array | string): Promise<string> {
  const bytes = toBytes(input);
  if (bytes.byteLength <= SYNC_HASH_MAX_BYTES) return bytesToHex(sha256(bytes));
  return webCryptoHex(bytes);
}

async function webCryptoHex(input: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', input as Uint8Array<ArrayBuffer>);
  return bytesToHex(new Uint8Array(digest));
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
