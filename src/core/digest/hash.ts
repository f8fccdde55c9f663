/**
 * Content hashing for published documents and state keys: bytes (or a string, UTF-8 encoded) →
 * SHA-256 hex, and the strong ETag derived from it. Shared by every stage, so it lives in no stage
 * folder (normalise, remote, state, pipeline and the app all hash).
 *
 * Which SHA-256: the runtime's native synchronous one where it offers one (`node:crypto`, found
 * through `process.getBuiltinModule`, so nothing imports it and the Worker bundle stays
 * Web-standard), else @noble/hashes for short inputs and Web Crypto for long ones. All compute
 * the same digest: the choice never changes a result, only its cost (on Node, native hashing of
 * a 200-byte key takes about 1 µs against 6 µs warm in JavaScript, and a fresh process's first
 * JavaScript hashes run cold; a 100 KB document, about 0.3 ms with no thread-pool round trip).
 *
 * Must not: import node:crypto (the core runs on Node and on the edge), or be called per request
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

/** The slice of node:crypto's Hash used here. */
interface NativeHash {
  update(data: Uint8Array | string, encoding?: 'utf8'): NativeHash;
  digest(encoding: 'hex'): string;
}
type CreateNativeHash = (algorithm: 'sha256') => NativeHash;

/** node:crypto's createHash when the runtime has it built in (Node ≥ 20.16), else null. */
function findNativeHash(): CreateNativeHash | null {
  const runtime = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  if (typeof runtime?.getBuiltinModule !== 'function') return null;
  try {
    const crypto = runtime.getBuiltinModule('node:crypto') as { createHash?: unknown } | undefined;
    return typeof crypto?.createHash === 'function' ? (crypto.createHash as CreateNativeHash) : null;
  } catch {
    return null;
  }
}

const createNativeHash = findNativeHash();

/** SHA-256 of the bytes (strings are UTF-8 encoded), as lowercase hex. */
export async function sha256Hex(input: Uint8Array | string): Promise<string> {
  if (createNativeHash) return createNativeHash('sha256').update(input, 'utf8').digest('hex');
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
