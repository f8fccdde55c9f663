import { beforeEach, describe, expect, it } from 'vitest';
import { createStorageReader, DocumentUnavailableError } from '../../src/app/published-reader.ts';
import { strongEtag } from '../../src/core/digest/hash.ts';
import type { RenderedDocument } from '../../src/core/model.ts';
import { MANIFEST_KEY, serializeManifest } from '../../src/core/publish/manifest.ts';
import { loadManifest } from '../../src/core/publish/manifest-store.ts';
import { publishDocuments } from '../../src/core/publish/publish.ts';
import { STATUS_KEY } from '../../src/core/publish/reserved-keys.ts';
import { writeBuildStatus } from '../../src/core/report/build-status.ts';
import { createNodeCompressor } from '../../src/drivers/compressor/node-zlib.ts';
import { createMemoryStorage } from '../../src/drivers/storage/memory.ts';
import type { Clock } from '../../src/ports/clock.ts';
import type { Logger } from '../../src/ports/logger.ts';
import type { Storage } from '../../src/ports/storage.ts';
import { republishWithLayout } from '../core/publish/manifest-layout-fixture.ts';

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} };
const decode = (bytes: Uint8Array | undefined): string => new TextDecoder().decode(bytes);
const feed = (version: string): RenderedDocument => ({
  path: '/feed.xml',
  contentType: 'application/rss+xml; charset=utf-8',
  body: `<rss><channel><title>${version}</title></channel></rss>\n`.repeat(30),
});
const home: RenderedDocument = { path: '/', contentType: 'text/html; charset=utf-8', body: '<h1>Home</h1>' };

/** Counts reads per key so tests can see what the reader caches. */
function countingStorage(inner: Storage): Storage & { reads: Map<string, number> } {
  const reads = new Map<string, number>();
  return {
    reads,
    async get(key) {
      reads.set(key, (reads.get(key) ?? 0) + 1);
      return inner.get(key);
    },
    put: (key, body) => inner.put(key, body),
    delete: (key) => inner.delete(key),
    list: (prefix) => inner.list(prefix),
  };
}

describe('createStorageReader', () => {
  let storage: ReturnType<typeof countingStorage>;
  let now: number;
  const clock: Clock = { now: () => new Date(now) };
  const publish = (documents: RenderedDocument[]) =>
    publishDocuments(documents, { storage, clock, compressor: createNodeCompressor(), logger: silent });

  /** The content-addressed key the current manifest names for `path` (or its variant). */
  const storedKey = async (path: string, variant?: 'gzip' | 'br'): Promise<string> => {
    const manifest = await loadManifest(storage);
    const entry = manifest?.documents[path];
    const key = variant ? entry?.[variant]?.key : entry?.key;
    if (!key) throw new Error(`no ${variant ?? 'identity'} key for ${path}`);
    return key;
  };

  beforeEach(() => {
    storage = countingStorage(createMemoryStorage());
    now = Date.UTC(2024, 4, 1, 10);
  });

  it('has no manifest, document or status before the first publish', async () => {
    const reader = createStorageReader(storage, { clock });
    expect(await reader.manifest()).toBeNull();
    expect(await reader.document('/feed.xml')).toBeNull();
    expect(await reader.status()).toBeNull();
  });

  it('serves verified bytes and variants of a published document; null for unknown paths', async () => {
    await publish([feed('v1'), home]);
    const reader = createStorageReader(storage, { clock });
    const document = await reader.document('/feed.xml');
    expect(decode(document?.body)).toBe(feed('v1').body);
    expect(document?.entry.etag).toBe(await strongEtag(feed('v1').body));
    expect(document?.gzip).toBeDefined();
    expect(document?.br).toBeDefined();
    expect((await reader.document('/'))?.gzip).toBeUndefined();
    expect(await reader.document('/nope')).toBeNull();
    expect(await reader.document('__proto__')).toBeNull();
  });

  it('reads bodies once, then serves them from memory', async () => {
    await publish([feed('v1')]);
    const [key, brKey] = [await storedKey('/feed.xml'), await storedKey('/feed.xml', 'br')];
    storage.reads.clear();
    const reader = createStorageReader(storage, { clock });
    await Promise.all([reader.document('/feed.xml'), reader.document('/feed.xml')]);
    await reader.document('/feed.xml');
    expect(storage.reads.get(key)).toBe(1);
    expect(storage.reads.get(brKey)).toBe(1);
    // The route-named copy is for people and static hosts; the reader never touches it.
    expect(storage.reads.get('feed.xml')).toBeUndefined();
  });

  it('re-reads the manifest at most every refreshMs, or on reload()', async () => {
    const reader = createStorageReader(storage, { clock, refreshMs: 1000 });
    await publish([feed('v1')]);
    storage.reads.clear();
    await reader.manifest();
    await reader.manifest();
    expect(storage.reads.get(MANIFEST_KEY)).toBe(1);
    await publish([feed('v2')]);
    expect((await reader.manifest())?.generation).toBe(1);
    await reader.reload();
    expect((await reader.manifest())?.generation).toBe(2);
    await publish([feed('v3')]);
    now += 1000;
    expect((await reader.manifest())?.generation).toBe(3);
  });

  it('re-reads the manifest once when bytes are newer than its cached manifest', async () => {
    await publish([feed('v1')]);
    const reader = createStorageReader(storage, { clock, refreshMs: 60_000 });
    await reader.manifest();
    await publish([feed('v2')]);
    const document = await reader.document('/feed.xml');
    expect(decode(document?.body)).toBe(feed('v2').body);
    expect(document?.entry.etag).toBe(await strongEtag(feed('v2').body));
  });

  it('never serves bytes that mismatch their ETag: falls back to the last verified version', async () => {
    await publish([feed('v1')]);
    const reader = createStorageReader(storage, { clock, refreshMs: 0, logger: silent });
    expect(decode((await reader.document('/feed.xml'))?.body)).toBe(feed('v1').body);
    // A publish of v2 that has swapped its manifest, then the bytes get overwritten behind its back.
    await publish([feed('v2')]);
    await storage.put(await storedKey('/feed.xml'), new TextEncoder().encode(feed('v3').body));
    const document = await reader.document('/feed.xml');
    expect(decode(document?.body)).toBe(feed('v1').body);
    expect(document?.entry.etag).toBe(await strongEtag(feed('v1').body));
  });

  it('throws DocumentUnavailableError when bytes mismatch and no verified version exists', async () => {
    await publish([feed('v1')]);
    // Damage the stored bytes behind the manifest's back.
    await storage.put(await storedKey('/feed.xml'), new TextEncoder().encode(feed('v2').body));
    const reader = createStorageReader(storage, { clock, logger: silent });
    await expect(reader.document('/feed.xml')).rejects.toThrow(DocumentUnavailableError);
  });

  it('treats a mismatched variant like a mismatched body', async () => {
    await publish([feed('v1')]);
    await storage.put(await storedKey('/feed.xml', 'gzip'), new Uint8Array([1, 2, 3]));
    const reader = createStorageReader(storage, { clock, logger: silent });
    await expect(reader.document('/feed.xml')).rejects.toThrow(DocumentUnavailableError);
  });

  it('keeps the cache under maxCacheBytes, evicting least recently used documents', async () => {
    const docs = ['a', 'b', 'c'].map((slug) => ({
      path: `/articles/${slug}`,
      contentType: 'text/html; charset=utf-8',
      body: slug.repeat(100), // < 256 bytes: no variants, 100 bytes each
    }));
    await publish(docs);
    const [keyA, keyB] = [await storedKey('/articles/a'), await storedKey('/articles/b')];
    storage.reads.clear();
    const reader = createStorageReader(storage, { clock, maxCacheBytes: 250 });
    await reader.document('/articles/a');
    await reader.document('/articles/b');
    await reader.document('/articles/a'); // a is now most recent
    await reader.document('/articles/c'); // evicts b
    await reader.document('/articles/a');
    await reader.document('/articles/b');
    expect(storage.reads.get(keyA)).toBe(1);
    expect(storage.reads.get(keyB)).toBe(2);
  });

  it('keeps serving the last manifest when the stored one turns to garbage', async () => {
    await publish([feed('v1')]);
    const reader = createStorageReader(storage, { clock, refreshMs: 0, logger: silent });
    await reader.manifest();
    await storage.put(MANIFEST_KEY, new TextEncoder().encode('garbage'));
    expect((await reader.manifest())?.generation).toBe(1);
  });

  describe('peek (the synchronous fast-path lookup)', () => {
    it('is null until the manifest is read and the document loaded, then the verified document', async () => {
      await publish([feed('v1'), home]);
      const reader = createStorageReader(storage, { clock });
      expect(reader.peek('/feed.xml')).toBeNull();
      await reader.manifest();
      expect(reader.peek('/feed.xml')).toBeNull();
      const loaded = await reader.document('/feed.xml');
      expect(reader.peek('/feed.xml')).toBe(loaded);
      expect(reader.peek('/')).toBeNull();
      expect(reader.peek('/nope')).toBeNull();
      expect(reader.peek('constructor')).toBeNull();
    });

    it('is null once the manifest needs a refresh, and after a publish changes the bytes', async () => {
      await publish([feed('v1')]);
      const reader = createStorageReader(storage, { clock, refreshMs: 1000 });
      const v1 = await reader.document('/feed.xml');
      now += 999;
      expect(reader.peek('/feed.xml')).toBe(v1);
      now += 1;
      expect(reader.peek('/feed.xml')).toBeNull();
      await reader.manifest();
      expect(reader.peek('/feed.xml')).toBe(v1);
      await publish([feed('v2')]);
      await reader.reload();
      // The manifest names v2 now: v1 must not be served, and v2 is not loaded yet.
      expect(reader.peek('/feed.xml')).toBeNull();
      const v2 = await reader.document('/feed.xml');
      expect(decode(reader.peek('/feed.xml')?.body)).toBe(feed('v2').body);
      expect(reader.peek('/feed.xml')).toBe(v2);
    });

    it('gives a peeked document a second chance at eviction; evicted documents are not peeked', async () => {
      const docs = ['a', 'b', 'c', 'd'].map((slug) => ({
        path: `/articles/${slug}`,
        contentType: 'text/html; charset=utf-8',
        body: slug.repeat(100), // 100 bytes each, no variants
      }));
      await publish(docs);
      const reader = createStorageReader(storage, { clock, maxCacheBytes: 250 });
      await reader.document('/articles/a');
      await reader.document('/articles/b');
      expect(reader.peek('/articles/a')).not.toBeNull(); // a used since the last pass
      await reader.document('/articles/c'); // evicts b, not a
      expect(reader.peek('/articles/b')).toBeNull();
      expect(reader.peek('/articles/c')).not.toBeNull();
      // a's bit was spent on the last pass and c was peeked: d evicts a.
      await reader.document('/articles/d');
      expect(reader.peek('/articles/a')).toBeNull();
      expect(reader.peek('/articles/c')).not.toBeNull();
      expect(reader.peek('/articles/d')).not.toBeNull();
    });
  });

  describe('sharded manifest', () => {
    const articles = (n: number, version = 'v1'): RenderedDocument[] =>
      Array.from({ length: n }, (_, i) => ({
        path: `/articles/a${i}`,
        contentType: 'text/html; charset=utf-8',
        body: `<p>${version} ${i}</p>`,
      }));
    const shardReads = (): string[] =>
      [...storage.reads.keys()].filter((key) => /^_v\/[0-9a-f]{16}\/_manifest\//.test(key));

    it('reads the root only for the summary, and one shard on the first request in it (once)', async () => {
      const published = await publish([feed('v1'), home, ...articles(40)]);
      const shardCount = Object.keys(published.root.shards).length;
      expect(shardCount).toBeGreaterThan(5);
      storage.reads.clear();
      const reader = createStorageReader(storage, { clock });
      expect(await reader.manifest()).toEqual({
        generation: 1,
        publishedAt: published.root.publishedAt,
        documents: 42,
      });
      expect(shardReads()).toEqual([]);
      await Promise.all([reader.document('/articles/a3'), reader.document('/articles/a3')]);
      await reader.document('/articles/a3');
      expect(shardReads()).toHaveLength(1);
      expect(storage.reads.get(shardReads()[0] ?? '')).toBe(1);
      expect((await reader.entry('/articles/a3'))?.etag).toBe(await strongEtag('<p>v1 3</p>'));
      expect(await reader.entry('/articles/missing')).toBeNull();
      expect((await reader.paths()).length).toBe(42);
      expect(shardReads()).toHaveLength(shardCount);
    });

    it('on refresh keeps the shards whose key is unchanged and drops (reloads) the changed ones', async () => {
      await publish([feed('v1'), home, ...articles(40)]);
      const reader = createStorageReader(storage, { clock, refreshMs: 1000 });
      const paths = (await reader.paths()).filter((path) => path !== '/articles/a7');
      const a7 = await reader.document('/articles/a7');
      const others = await Promise.all(paths.map((path) => reader.document(path)));
      // Only /articles/a7 changes: its shard gets a new key; the others keep theirs.
      await publish([
        feed('v1'),
        home,
        ...articles(40).map((d) => (d.path === '/articles/a7' ? { ...d, body: 'v2' } : d)),
      ]);
      storage.reads.clear();
      await reader.reload();
      expect(storage.reads.get(MANIFEST_KEY)).toBe(1);
      expect(shardReads()).toEqual([]);
      // Unchanged shards: still peekable; the changed shard: its routes go through document().
      const peeked = paths.filter((path, i) => reader.peek(path) === others[i]);
      expect(peeked.length).toBeGreaterThan(30);
      expect(reader.peek('/articles/a7')).toBeNull();
      const fresh = await reader.document('/articles/a7');
      expect(decode(fresh?.body)).toBe('v2');
      expect(fresh).not.toBe(a7);
      expect(shardReads()).toHaveLength(1);
      expect(reader.peek('/articles/a7')).toBe(fresh);
      // A route sharing the changed shard is served from cache again after one lookup.
      const neighbours = paths.filter((path) => reader.peek(path) === null);
      for (const path of neighbours) expect(await reader.document(path)).toBe(others[paths.indexOf(path)]);
      expect(shardReads()).toHaveLength(1);
    });

    it('serves a version 1 manifest (an installation not yet upgraded)', async () => {
      const published = await publish([feed('v1'), home, ...articles(3)]);
      const v1 = { ...published.manifest, version: 1 as const, generation: 7 };
      await storage.put(MANIFEST_KEY, serializeManifest(v1));
      const reader = createStorageReader(storage, { clock });
      expect(await reader.manifest()).toMatchObject({ generation: 7, documents: 5 });
      expect(decode((await reader.document('/articles/a1'))?.body)).toBe('<p>v1 1</p>');
      expect(reader.peek('/articles/a1')).not.toBeNull();
      expect(await reader.paths()).toHaveLength(5);
    });

    it.each(['published', 'hand-made'] as const)(
      'serves a layout 1 root (%s shard keys), as published before the layout changed',
      async (keys) => {
        await publish([feed('v1'), home, ...articles(12)]);
        await republishWithLayout(storage, 1, keys);
        const reader = createStorageReader(storage, { clock });
        expect(await reader.manifest()).toMatchObject({ documents: 14 });
        for (let i = 0; i < 12; i++)
          expect(decode((await reader.document(`/articles/a${i}`))?.body)).toBe(`<p>v1 ${i}</p>`);
        expect(decode((await reader.document('/feed.xml'))?.body)).toBe(feed('v1').body);
        expect(await reader.paths()).toHaveLength(14);
      },
    );

    it('re-reads the root when a shard it names has been deleted by a newer publish', async () => {
      await publish([feed('v1'), ...articles(4)]);
      const reader = createStorageReader(storage, { clock, refreshMs: 60_000, logger: silent });
      await reader.manifest();
      await publish([feed('v1'), ...articles(4, 'v2')]);
      // The old root is still cached; its article shards are gone.
      expect(decode((await reader.document('/articles/a2'))?.body)).toBe('<p>v2 2</p>');
    });
  });

  it('reads the build status from storage', async () => {
    await writeBuildStatus(storage, {
      lastAttemptAt: '2024-05-01T10:00:00.000Z',
      lastSuccessAt: '2024-05-01T10:00:00.000Z',
      itemCount: 3,
      durationMs: 12,
      errors: [],
      warnings: 0,
    });
    const reader = createStorageReader(storage, { clock });
    expect((await reader.status())?.itemCount).toBe(3);
    expect(storage.reads.get(STATUS_KEY)).toBe(1);
  });
});
