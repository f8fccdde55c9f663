/**
 * A shard census: for one family of state shards (the item catalog, each sharded map of the
 * content index, the site index's `ids/` and `slugs/`), the digest of every shard it stored,
 * written with the shards (in the family's head object, or beside the shards). A shard read back
 * is checked against it: one missing while the census names it, present while the census does
 * not, or holding other bytes, makes that cache damaged (DamagedStateError: the run starts again
 * as a complete one and rewrites it). Without a census a lost shard would read as empty — "no
 * article has these lines", "no item holds this slug" — and nothing would notice
 * (docs/derived-state.md, "State that can and cannot be rebuilt").
 *
 * Cost: a 64-bit hash of each shard's text as it is read or written (keyHash, synchronous); the
 * census itself is ~24 bytes a shard.
 * Must not: read or write storage, or decide what to rebuild (the caller's error handling does).
 */
import { keyHash } from '../sources/gather-key-hash.ts';
import { DamagedStateError } from './damaged-state.ts';

/** Shard name (two hex digits, as in its key) → digest of its stored text. */
export type ShardCensus = Readonly<Record<string, string>>;

/** The digest the census keeps of a shard's stored text. */
export function shardDigest(text: string): string {
  return keyHash(text);
}

/** Shard number → the name the census and the shard key use (`0a`). */
export function shardName(shard: number): string {
  return shard.toString(16).padStart(2, '0');
}

/** A census read from JSON, or null when the value is not one. */
export function parseCensus(value: unknown): ShardCensus | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  for (const digest of Object.values(value)) if (typeof digest !== 'string') return null;
  return value as ShardCensus;
}

/**
 * Throws DamagedStateError unless a shard as read (`text`, null when missing) is the one the
 * census names. `what` names the shard in the message (its key).
 */
export function checkShard(census: ShardCensus, shard: number, text: string | null, what: string): void {
  const expected = census[shardName(shard)];
  if (expected === undefined && text === null) return;
  if (expected === undefined) throw new DamagedStateError(`state shard ${what} is not in its census`);
  if (text === null) throw new DamagedStateError(`state shard ${what} is missing`);
  if (shardDigest(text) !== expected)
    throw new DamagedStateError(`state shard ${what} does not match its census`);
}

/** A census with some shards rewritten (digest) or deleted (null); sorted, so its bytes are stable. */
export function updateCensus(
  census: ShardCensus,
  changes: Iterable<readonly [number, string | null]>,
): ShardCensus {
  const next = new Map(Object.entries(census));
  for (const [shard, digest] of changes) {
    if (digest === null) next.delete(shardName(shard));
    else next.set(shardName(shard), digest);
  }
  return Object.fromEntries([...next].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
