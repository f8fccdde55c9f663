/**
 * Test helper: rewrites what a publish stored as if an older kiosque had published it with
 * another shard layout (a deployed site right after an upgrade).
 */
import { sha256Hex } from '../../../src/core/digest/hash.ts';
import {
  MANIFEST_KEY,
  type ManifestEntry,
  type ShardRef,
  serializeManifestRoot,
  serializeManifestShard,
  shardKey,
} from '../../../src/core/publish/manifest.ts';
import { shardOf } from '../../../src/core/publish/manifest-shard.ts';
import { loadManifest } from '../../../src/core/publish/manifest-store.ts';
import type { Storage } from '../../../src/ports/storage.ts';

/**
 * Replaces the stored root and shards with ones cut with `layout`. `keys: 'hand-made'` stores
 * each shard under a key whose digest is not its bytes', so a reader validates every entry.
 */
export async function republishWithLayout(
  storage: Storage,
  layout: number,
  keys: 'published' | 'hand-made' = 'published',
): Promise<Record<string, ShardRef>> {
  const manifest = await loadManifest(storage);
  if (manifest?.version !== 2) throw new Error('publish first');
  for (const key of await storage.list('_v/')) if (key.includes('/_manifest/')) await storage.delete(key);
  const groups = new Map<string, Record<string, ManifestEntry>>();
  for (const [path, entry] of Object.entries(manifest.documents)) {
    const id = shardOf(path, layout);
    groups.set(id, { ...groups.get(id), [path]: entry });
  }
  const shards: Record<string, ShardRef> = {};
  for (const [id, documents] of groups) {
    const bytes = serializeManifestShard(id, documents);
    const key = shardKey(id, keys === 'published' ? await sha256Hex(bytes) : '0'.repeat(64));
    await storage.put(key, bytes);
    shards[id] = { key, count: Object.keys(documents).length };
  }
  const root = {
    version: 2 as const,
    layout,
    generation: manifest.generation,
    publishedAt: manifest.publishedAt,
    shards,
  };
  await storage.put(MANIFEST_KEY, serializeManifestRoot(root));
  return shards;
}
