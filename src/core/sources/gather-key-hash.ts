/**
 * Cheap synchronous hashes for the gather indexes: a string → 64-bit digest as 16 hex digits
 * (what the chrome index and the content index store for a block's comparison key), and a string
 * → shard number (which shard file of a sharded index holds a key).
 *
 * Why not SHA-256: a 100,000-article build hashes over a million short block keys; Web Crypto is
 * async and costs a promise per call, this costs a few hundred nanoseconds. 64 bits keep the chance
 * of any collision among a million keys of one source below 1 in 10^7, and a collision can only
 * make one short line look repeated: it never loses an article.
 *
 * Must not: be used where an adversary's collision matters (raw content identity uses SHA-256).
 * Tunables: none (the constants are the FNV-1a and MurmurHash2 multipliers).
 */

/** Two independent 32-bit FNV-1a-style lanes over the UTF-16 code units, as 16 hex digits. */
export function keyHash(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x2f3a_9b17;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    a = Math.imul(a ^ unit, 0x01000193);
    b = Math.imul(b ^ unit, 0x5bd1e995);
    b ^= b >>> 15;
  }
  // Final avalanche so that keys differing in their last character spread over every shard.
  a = Math.imul(a ^ (a >>> 16), 0x85ebca6b);
  a = Math.imul(a ^ (a >>> 13), 0xc2b2ae35);
  a ^= a >>> 16;
  b = Math.imul(b ^ (b >>> 16), 0x85ebca6b);
  b ^= b >>> 13;
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
}

/** Which of `shards` shards a key falls in (32-bit FNV-1a with a final mix, modulo the count). */
export function shardOf(text: string, shards: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h ^= h >>> 13;
  return (h >>> 0) % shards;
}
