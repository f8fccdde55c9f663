import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../../src/core/digest/hash.ts';
import {
  type ManifestEntry,
  ManifestParseError,
  serializeManifestShard,
  shardKey,
} from '../../../src/core/publish/manifest.ts';
import { SHARD_LAYOUT_VERSION } from '../../../src/core/publish/manifest-shard.ts';
import { loadShard } from '../../../src/core/publish/manifest-store.ts';
import { createMemoryStorage } from '../../../src/drivers/storage/memory.ts';

const entry: ManifestEntry = {
  key: '_v/0123456789abcdef/feed.xml',
  contentType: 'application/rss+xml; charset=utf-8',
  etag: '"0123456789abcdef0123456789abcdef"',
  lastModified: '2024-05-01T10:00:00.000Z',
  size: 120,
};

const encoder = new TextEncoder();

describe('loadShard', () => {
  it('loads a shard stored under the key of its digest', async () => {
    const storage = createMemoryStorage();
    const bytes = serializeManifestShard('site', { '/feed.xml': entry });
    const key = shardKey('site', await sha256Hex(bytes));
    await storage.put(key, bytes);
    expect({ ...(await loadShard(storage, 'site', { key, count: 1 }, SHARD_LAYOUT_VERSION)) }).toEqual({
      '/feed.xml': entry,
    });
  });

  it('validates every entry of bytes that are not the ones their key names', async () => {
    const storage = createMemoryStorage();
    // Hand-edited after publishing: the key still names the digest of the original bytes.
    const original = serializeManifestShard('site', { '/feed.xml': entry });
    const key = shardKey('site', await sha256Hex(original));
    const edited = JSON.stringify({
      version: 2,
      shard: 'site',
      documents: { '/feed.xml': { ...entry, size: -1 } },
    });
    await storage.put(key, encoder.encode(edited));
    await expect(loadShard(storage, 'site', { key, count: 1 }, SHARD_LAYOUT_VERSION)).rejects.toThrow(
      /size must be a non-negative integer/,
    );
    // The same bad entry, published as such (its digest matches), is taken as written: the
    // check is that nothing changed since the publish, which validated what it serialized.
    const published = shardKey('site', await sha256Hex(edited));
    await storage.put(published, encoder.encode(edited));
    await expect(
      loadShard(storage, 'site', { key: published, count: 1 }, SHARD_LAYOUT_VERSION),
    ).resolves.toBeDefined();
  });

  it('refuses a missing shard, or one whose count differs from the root', async () => {
    const storage = createMemoryStorage();
    const bytes = serializeManifestShard('site', { '/feed.xml': entry });
    const key = shardKey('site', await sha256Hex(bytes));
    await expect(loadShard(storage, 'site', { key, count: 1 }, SHARD_LAYOUT_VERSION)).rejects.toThrow(
      /is missing/,
    );
    await storage.put(key, bytes);
    await expect(loadShard(storage, 'site', { key, count: 2 }, SHARD_LAYOUT_VERSION)).rejects.toThrow(
      ManifestParseError,
    );
  });
});
