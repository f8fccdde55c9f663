/**
 * Reading the published manifest through the Storage port: MANIFEST_KEY → root (or a version 1
 * manifest), a shard ref → its entries, or everything → one complete Manifest view.
 *
 * `loadManifest` reads every shard: for tools, tests and a full publish, never for a request
 * (the app's reader, app/published-reader.ts, loads shards one at a time, on demand).
 *
 * Must not: write anything, or return entries it could not validate (a shard whose bytes match
 * the digest its key names was validated by the publish that wrote it: only its frame is
 * checked again, see parseManifestShard). Tunables: none (reads run IO_CONCURRENCY at a time).
 */
import type { Storage } from '../../ports/storage.ts';
import { IO_CONCURRENCY, mapConcurrent } from '../concurrency/map-concurrent.ts';
import { sha256Hex } from '../digest/hash.ts';
import {
  MANIFEST_KEY,
  type Manifest,
  type ManifestEntry,
  ManifestParseError,
  parseManifestShard,
  parseStoredManifest,
  type ShardEntries,
  type ShardRef,
  type StoredManifest,
  shardKeyDigest,
} from './manifest.ts';

/** MANIFEST_KEY → root or version 1 manifest; null when nothing was published. Throws ManifestParseError. */
export async function loadStoredManifest(storage: Storage): Promise<StoredManifest | null> {
  const stored = await storage.get(MANIFEST_KEY);
  return stored ? parseStoredManifest(stored.body) : null;
}

/** One shard's validated entries; ManifestParseError when missing, damaged or miscounted. */
export async function loadShard(
  storage: Storage,
  shardId: string,
  ref: ShardRef,
  /** The layout of the root naming the shard. */
  layout: number,
): Promise<ShardEntries> {
  const stored = await storage.get(ref.key);
  if (!stored) throw new ManifestParseError(`shard ${shardId} (${ref.key}) is missing`);
  // Bytes matching the digest their key names are the ones a publish serialized: its entries
  // were validated then, and are not again (see parseManifestShard).
  const digest = shardKeyDigest(ref.key, shardId);
  const published = digest !== null && (await sha256Hex(stored.body)).startsWith(digest);
  const entries = parseManifestShard(stored.body, shardId, { published, layout });
  const count = Object.keys(entries).length;
  if (count !== ref.count) {
    throw new ManifestParseError(`shard ${shardId} holds ${count} entries, the root says ${ref.count}`);
  }
  return entries;
}

/** Root + every shard (or a version 1 manifest) → one complete view; null when nothing was published. */
export async function loadManifest(storage: Storage): Promise<Manifest | null> {
  const stored = await loadStoredManifest(storage);
  if (stored === null || stored.version === 1) return stored;
  const ids = Object.keys(stored.shards).sort();
  const shards = await mapConcurrent(ids, IO_CONCURRENCY, (id) =>
    loadShard(storage, id, stored.shards[id] as ShardRef, stored.layout),
  );
  const documents: Record<string, ManifestEntry> = {};
  for (const entries of shards) Object.assign(documents, entries);
  return { version: 2, generation: stored.generation, publishedAt: stored.publishedAt, documents };
}
