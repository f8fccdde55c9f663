import { beforeEach, describe, expect, it } from 'vitest';
import { strongEtag } from '../../../src/core/digest/hash.ts';
import type { RenderedDocument } from '../../../src/core/model.ts';
import { MANIFEST_KEY, serializeManifest, versionedKey } from '../../../src/core/publish/manifest.ts';
import { SHARD_LAYOUT_VERSION, shardOf } from '../../../src/core/publish/manifest-shard.ts';
import { loadManifest } from '../../../src/core/publish/manifest-store.ts';
import {
  PIPELINE_CONCURRENCY,
  PUBLISH_JOURNAL_KEY,
  PublishInputError,
  publishDocuments,
} from '../../../src/core/publish/publish.ts';
import { planDocument } from '../../../src/core/render/planned-document.ts';
import { createMemoryStorage } from '../../../src/drivers/storage/memory.ts';
import type { Clock } from '../../../src/ports/clock.ts';
import type { Compressor } from '../../../src/ports/compressor.ts';
import type { Logger } from '../../../src/ports/logger.ts';
import type { Storage } from '../../../src/ports/storage.ts';
import { republishWithLayout } from './manifest-layout-fixture.ts';

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} };
const decode = (bytes: Uint8Array | undefined): string => new TextDecoder().decode(bytes);

/** Deterministic stand-in for zlib: tags the bytes so tests can tell variants apart. */
function fakeCompressor(withBrotli = true): Compressor {
  const tag = (prefix: string, body: Uint8Array): Uint8Array =>
    new Uint8Array([...new TextEncoder().encode(prefix), ...body.slice(0, 16)]);
  return {
    gzip: async (body) => tag('GZ:', body),
    brotli: async (body) => (withBrotli ? tag('BR:', body) : null),
  };
}

function settableClock(iso: string): Clock & { set(iso: string): void } {
  let now = new Date(iso);
  return {
    now: () => now,
    set(next) {
      now = new Date(next);
    },
  };
}

/** Wraps a storage so that the Nth put (1-based, counted from arming), or the put of one key, throws. */
function failingOnPut(
  inner: Storage,
): Storage & { failOnPut(n: number): void; failOnKey(key: string): void; puts: string[] } {
  let remaining = Number.POSITIVE_INFINITY;
  let failingKey: string | null = null;
  const puts: string[] = [];
  return {
    puts,
    failOnPut(n) {
      remaining = n;
    },
    failOnKey(key) {
      failingKey = key;
    },
    get: (key) => inner.get(key),
    delete: (key) => inner.delete(key),
    list: (prefix) => inner.list(prefix),
    async put(key, body) {
      remaining--;
      if (remaining === 0 || key === failingKey) throw new Error(`disk full writing ${key}`);
      puts.push(key);
      await inner.put(key, body);
    },
  };
}

const big = (label: string): string => `<p>${label}</p>\n`.repeat(40);
const docs = (overrides: Record<string, string> = {}): RenderedDocument[] => {
  const bodies: Record<string, string> = {
    '/feed.xml': big('feed v1'),
    '/': big('home v1'),
    '/articles/a': big('article a'),
    '/tiny.json': '{}',
    ...overrides,
  };
  return Object.entries(bodies).map(([path, body]) => ({
    path,
    body,
    contentType: path.endsWith('.xml')
      ? 'application/rss+xml; charset=utf-8'
      : path.endsWith('.json')
        ? 'application/feed+json; charset=utf-8'
        : 'text/html; charset=utf-8',
  }));
};

/** What a run killed mid-publish leaves: its journal naming the keys it was writing. */
const journal = (...keys: string[]): Uint8Array => new TextEncoder().encode(JSON.stringify({ keys }));

/** Shard objects of the sharded manifest (`_v/<hex>/_manifest/<id>.json`). */
const isShardKey = (key: string): boolean => /^_v\/[0-9a-f]{16}\/_manifest\//.test(key);

/** The content-addressed key publish stores `body` under for the route key `key`. */
const v = async (key: string, body: string): Promise<string> => versionedKey(key, await strongEtag(body));

async function snapshot(storage: Storage): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const key of await storage.list('')) out[key] = decode((await storage.get(key))?.body);
  return out;
}

describe('publishDocuments', () => {
  let storage: ReturnType<typeof failingOnPut>;
  let clock: ReturnType<typeof settableClock>;
  const deps = () => ({ storage, clock, compressor: fakeCompressor(), logger: silent });

  beforeEach(() => {
    storage = failingOnPut(createMemoryStorage());
    clock = settableClock('2024-05-01T10:00:00.789Z');
  });

  it('writes every document, its variants and a generation-1 manifest', async () => {
    const result = await publishDocuments(docs(), deps());
    expect(result.manifest.generation).toBe(1);
    expect(result.changed).toEqual(['/feed.xml', '/', '/articles/a', '/tiny.json']);
    expect(result.unchanged).toBe(0);
    const feedKey = await v('feed.xml', big('feed v1'));
    expect(feedKey).toMatch(/^_v\/[0-9a-f]{16}\/feed\.xml$/);
    // Content-addressed versions (what the manifest names) plus route-named copies for people.
    expect((await storage.list('')).filter((key) => !isShardKey(key))).toEqual(
      [
        await v('articles/a.html', big('article a')),
        `${await v('articles/a.html', big('article a'))}.br`,
        `${await v('articles/a.html', big('article a'))}.gz`,
        feedKey,
        `${feedKey}.br`,
        `${feedKey}.gz`,
        await v('index.html', big('home v1')),
        `${await v('index.html', big('home v1'))}.br`,
        `${await v('index.html', big('home v1'))}.gz`,
        await v('tiny.json', '{}'),
        'articles/a.html',
        'articles/a.html.br',
        'articles/a.html.gz',
        'feed.xml',
        'feed.xml.br',
        'feed.xml.gz',
        'index.html',
        'index.html.br',
        'index.html.gz',
        MANIFEST_KEY,
        'tiny.json',
      ].sort(),
    );
    expect(decode((await storage.get('feed.xml'))?.body)).toBe(big('feed v1'));
    const entry = result.manifest.documents['/feed.xml'];
    expect(entry).toMatchObject({
      key: feedKey,
      contentType: 'application/rss+xml; charset=utf-8',
      etag: await strongEtag(big('feed v1')),
      // HTTP-date precision: milliseconds dropped.
      lastModified: '2024-05-01T10:00:00.000Z',
      size: new TextEncoder().encode(big('feed v1')).byteLength,
      gzip: { key: `${feedKey}.gz` },
      br: { key: `${feedKey}.br` },
    });
    expect(result.manifest.documents['/tiny.json']?.gzip).toBeUndefined();
    expect(await loadManifest(storage)).toEqual(result.manifest);
    // One shard (`site` holds the single-segment routes, `articles-xx` the article).
    expect(Object.keys(result.root.shards).sort()).toEqual([
      expect.stringMatching(/^articles-[0-9a-f]{2,3}$/),
      'site',
    ]);
    expect((await storage.list('')).filter(isShardKey)).toHaveLength(2);
  });

  it('writes the root after every version and shard, and the route copies after the root', async () => {
    await publishDocuments(docs(), deps());
    const root = storage.puts.indexOf(MANIFEST_KEY);
    const before = storage.puts.slice(0, root);
    const after = storage.puts.slice(root + 1);
    expect(before.filter((key) => key !== PUBLISH_JOURNAL_KEY).every((key) => key.startsWith('_v/'))).toBe(
      true,
    );
    expect(after.every((key) => !key.startsWith('_v/'))).toBe(true);
    expect(after).toContain('feed.xml');
  });

  it('keeps unchanged documents (ETag, Last-Modified) without rewriting them; moves changed ones', async () => {
    const first = await publishDocuments(docs(), deps());
    storage.puts.length = 0;
    clock.set('2024-05-01T11:30:00.000Z');
    const second = await publishDocuments(docs({ '/feed.xml': big('feed v2') }), deps());

    expect(second.manifest.generation).toBe(2);
    expect(second.changed).toEqual(['/feed.xml']);
    expect(second.unchanged).toBe(3);
    const feedKey = await v('feed.xml', big('feed v2'));
    // Journal, the version, journal (naming the copy to refresh), the one touched shard, the
    // root (swap), then the route copy: variants before identity.
    expect(storage.puts).toEqual([
      PUBLISH_JOURNAL_KEY,
      feedKey,
      `${feedKey}.gz`,
      `${feedKey}.br`,
      PUBLISH_JOURNAL_KEY,
      expect.stringMatching(/^_v\/[0-9a-f]{16}\/_manifest\/site\.json$/),
      MANIFEST_KEY,
      'feed.xml.gz',
      'feed.xml.br',
      'feed.xml',
    ]);
    expect(second.shards).toEqual({ read: 2, written: 1, total: 2 });
    expect(second.manifest.documents['/']).toEqual(first.manifest.documents['/']);
    const feed = second.manifest.documents['/feed.xml'];
    expect(feed?.etag).not.toBe(first.manifest.documents['/feed.xml']?.etag);
    expect(feed?.lastModified).toBe('2024-05-01T11:30:00.000Z');
    expect(decode((await storage.get(feedKey))?.body)).toBe(big('feed v2'));
    expect(decode((await storage.get('feed.xml'))?.body)).toBe(big('feed v2'));
    // The previous version's keys are gone once the new manifest is in place.
    expect(await storage.list(await v('feed.xml', big('feed v1')))).toEqual([]);
  });

  it('skips the brotli variant when the compressor has none', async () => {
    const result = await publishDocuments(docs(), { ...deps(), compressor: fakeCompressor(false) });
    expect(result.manifest.documents['/feed.xml']?.br).toBeUndefined();
    expect(result.manifest.documents['/feed.xml']?.gzip).toBeDefined();
    expect(await storage.list('feed')).toEqual(['feed.xml', 'feed.xml.gz']);
    const feedKey = await v('feed.xml', big('feed v1'));
    expect(await storage.list(feedKey)).toEqual([feedKey, `${feedKey}.gz`]);
  });

  it('precompresses an immutable document (a frozen archive page) with gzip only', async () => {
    const page: RenderedDocument = {
      path: '/archive/1/feed.xml',
      contentType: 'application/rss+xml; charset=utf-8',
      body: big('frozen page'),
      immutable: true,
    };
    const result = await publishDocuments([...docs(), page], deps());
    const entry = result.manifest.documents['/archive/1/feed.xml'];
    expect(entry?.immutable).toBe(true);
    expect(entry?.gzip).toBeDefined();
    expect(entry?.br).toBeUndefined();
    expect(await storage.list('archive/1/')).toEqual(['archive/1/feed.xml', 'archive/1/feed.xml.gz']);
    // Documents that can change keep both codings.
    expect(result.manifest.documents['/feed.xml']?.br).toBeDefined();
  });

  it('deletes documents (and their variants) that are no longer published, after the swap', async () => {
    await publishDocuments(docs(), deps());
    const remaining = docs().filter((doc) => doc.path !== '/articles/a');
    const result = await publishDocuments(remaining, deps());
    expect(result.removed).toEqual(['/articles/a']);
    expect(await storage.list('articles/')).toEqual([]);
    expect((await storage.list('_v/')).filter((key) => key.includes('/articles/'))).toEqual([]);
    expect(result.manifest.documents['/articles/a']).toBeUndefined();
  });

  it('deletes a stale .br when a changed document no longer gets one', async () => {
    await publishDocuments(docs(), deps());
    await publishDocuments(docs({ '/feed.xml': big('feed v2') }), {
      ...deps(),
      compressor: fakeCompressor(false),
    });
    expect(await storage.list('feed')).toEqual(['feed.xml', 'feed.xml.gz']);
    expect((await storage.list('_v/')).filter((key) => key.endsWith('feed.xml.br'))).toEqual([]);
  });

  it.each([1, 2, 3, 4])(
    'leaves the previous manifest and every previous document intact when put #%i of the next run throws',
    async (n) => {
      await publishDocuments(docs(), deps());
      const before = await snapshot(storage);
      storage.failOnPut(n);
      await expect(
        publishDocuments(docs({ '/feed.xml': big('feed v2'), '/articles/b': big('new article') }), deps()),
      ).rejects.toThrow('disk full');
      expect(await snapshot(storage)).toEqual(before);
    },
  );

  it('leaves everything intact when the manifest put itself throws', async () => {
    await publishDocuments(docs(), deps());
    const before = await snapshot(storage);
    storage.failOnKey(MANIFEST_KEY);
    await expect(publishDocuments(docs({ '/feed.xml': big('feed v2') }), deps())).rejects.toThrow(
      'disk full',
    );
    expect(await snapshot(storage)).toEqual(before);
  });

  it.each(['gzip', 'brotli'] as const)(
    'rolls back when %s fails (both encodings run at once, beside the identity write)',
    async (failing) => {
      await publishDocuments(docs(), deps());
      const before = await snapshot(storage);
      const compressor: Compressor = {
        ...fakeCompressor(),
        [failing]: async () => {
          throw new Error(`${failing} out of memory`);
        },
      };
      await expect(
        publishDocuments(docs({ '/feed.xml': big('feed v2') }), { ...deps(), compressor }),
      ).rejects.toThrow(`${failing} out of memory`);
      expect(await snapshot(storage)).toEqual(before);
    },
  );

  it('reports the identity write failure, not the compressions that failed beside it', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => {
      unhandled.push(reason);
    };
    process.on('unhandledRejection', onUnhandled);
    try {
      const failing: Compressor = {
        gzip: () => Promise.reject(new Error('gzip failed')),
        brotli: () => Promise.reject(new Error('brotli failed')),
      };
      storage.failOnPut(1);
      await expect(publishDocuments(docs(), { ...deps(), compressor: failing })).rejects.toThrow('disk full');
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(unhandled).toEqual([]);
      expect(await storage.list('')).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('rewrites a document whose stored bytes no longer match (a run that died without rollback)', async () => {
    await publishDocuments(docs(), deps());
    const feedKey = await v('feed.xml', big('feed v1'));
    await storage.put(PUBLISH_JOURNAL_KEY, journal(feedKey));
    await storage.put(feedKey, new TextEncoder().encode('damaged behind our back'));
    const result = await publishDocuments(docs(), deps());
    expect(result.changed).toEqual(['/feed.xml']);
    expect(decode((await storage.get(feedKey))?.body)).toBe(big('feed v1'));
  });

  it('refreshes a stale route-named copy of an unchanged document (a run killed before its swap)', async () => {
    await publishDocuments(docs(), deps());
    await storage.put(PUBLISH_JOURNAL_KEY, journal('feed.xml'));
    await storage.put('feed.xml', new TextEncoder().encode('bytes of a run that never swapped'));
    const result = await publishDocuments(docs(), deps());
    expect(result.changed).toEqual([]);
    expect(decode((await storage.get('feed.xml'))?.body)).toBe(big('feed v1'));
    expect(await storage.get(PUBLISH_JOURNAL_KEY)).toBeNull();
  });

  it('verifies every key when the dead run left an unreadable journal', async () => {
    await publishDocuments(docs(), deps());
    const feedKey = await v('feed.xml', big('feed v1'));
    await storage.put(PUBLISH_JOURNAL_KEY, new TextEncoder().encode('{"keys": tr'));
    await storage.put(feedKey, new TextEncoder().encode('damaged'));
    await storage.put('index.html', new TextEncoder().encode('stale'));
    const result = await publishDocuments(docs(), deps());
    expect(result.changed).toEqual(['/feed.xml']);
    expect(decode((await storage.get(feedKey))?.body)).toBe(big('feed v1'));
    expect(decode((await storage.get('index.html'))?.body)).toBe(big('home v1'));
    expect(await storage.get(PUBLISH_JOURNAL_KEY)).toBeNull();
  });

  it('trusts the live manifest after a finished run: no read-back of unchanged bytes', async () => {
    await publishDocuments(docs(), deps());
    const reads: string[] = [];
    const counting: Storage = {
      ...storage,
      get: (key) => {
        reads.push(key);
        return storage.get(key);
      },
    };
    storage.puts.length = 0;
    const result = await publishDocuments(docs({ '/feed.xml': big('feed v2') }), {
      ...deps(),
      storage: counting,
    });
    expect(result.unchanged).toBe(3);
    // The root, the journal and the shards (a full publish compares every route), then only
    // the keys this run wrote (read back for the route copies): none of the unchanged bytes.
    const written = new Set(storage.puts);
    expect(
      reads.filter(
        (key) => key !== MANIFEST_KEY && key !== PUBLISH_JOURNAL_KEY && !isShardKey(key) && !written.has(key),
      ),
    ).toEqual([]);
    expect(reads).not.toContain(await v('index.html', big('home v1')));
    expect(reads).not.toContain('index.html');
    expect(await storage.get(PUBLISH_JOURNAL_KEY)).toBeNull();
  });

  it('deletes versions a killed run wrote but no manifest references, and keeps the live ones', async () => {
    await publishDocuments(docs(), deps());
    // What a SIGKILL between writing a new version and the swap leaves behind.
    const orphan = await v('feed.xml', big('feed never published'));
    await storage.put(PUBLISH_JOURNAL_KEY, journal(orphan, `${orphan}.gz`));
    await storage.put(orphan, new TextEncoder().encode(big('feed never published')));
    await storage.put(`${orphan}.gz`, new Uint8Array([1]));
    const result = await publishDocuments(docs(), deps());
    expect(await storage.list(orphan)).toEqual([]);
    for (const entry of Object.values(result.manifest.documents)) {
      expect(await storage.get(entry.key)).not.toBeNull();
    }
  });

  it('never rewrites bytes a live manifest references: any manifest names complete bytes', async () => {
    const first = await publishDocuments(docs(), deps());
    const liveKeys = Object.values(first.manifest.documents).flatMap((e) =>
      [e.key, e.gzip?.key, e.br?.key].filter((k) => k !== undefined),
    );
    storage.puts.length = 0;
    await publishDocuments(docs({ '/feed.xml': big('feed v2'), '/': big('home v2') }), deps());
    expect(storage.puts.filter((key) => liveKeys.includes(key))).toEqual([]);
  });

  it('does not render a planned document whose inputs match the live entry', async () => {
    const renders: string[] = [];
    const planned = (inputs: Record<string, string>) =>
      docs().map((d) =>
        planDocument(d.path, d.contentType, [inputs[d.path] ?? 'same'], () => {
          renders.push(d.path);
          return inputs[d.path] === 'v2' ? big('feed v2') : d.body;
        }),
      );
    const first = await publishDocuments(planned({}), deps());
    expect(renders).toHaveLength(4);
    expect(first.manifest.documents['/feed.xml']?.inputs).toMatch(/^[0-9a-f]{32}$/);
    renders.length = 0;
    storage.puts.length = 0;
    const second = await publishDocuments(planned({ '/feed.xml': 'v2' }), deps());
    expect(renders).toEqual(['/feed.xml']);
    expect(second.changed).toEqual(['/feed.xml']);
    expect(second.unchanged).toBe(3);
    expect(second.manifest.documents['/']).toEqual(first.manifest.documents['/']);
    const stored = { documents: {}, ...(await loadManifest(storage)) };
    expect(stored.documents['/feed.xml']?.etag).toBe(await strongEtag(big('feed v2')));
    expect(stored.documents['/']?.inputs).toBe(first.manifest.documents['/']?.inputs);
    // A third run with the same inputs renders nothing and writes only the manifest.
    renders.length = 0;
    storage.puts.length = 0;
    const third = await publishDocuments(planned({ '/feed.xml': 'v2' }), deps());
    expect(renders).toEqual([]);
    expect(third.changed).toEqual([]);
    expect(storage.puts).toEqual([MANIFEST_KEY]);
  });

  it("renders a planned document again when a dead run's journal names its keys", async () => {
    const planned = () => docs().map((d) => planDocument(d.path, d.contentType, ['same'], () => d.body));
    await publishDocuments(planned(), deps());
    await storage.put(PUBLISH_JOURNAL_KEY, journal('feed.xml'));
    await storage.put('feed.xml', new TextEncoder().encode('stale copy'));
    const result = await publishDocuments(planned(), deps());
    expect(result.changed).toEqual([]);
    expect(decode((await storage.get('feed.xml'))?.body)).toBe(big('feed v1'));
  });

  it('publishes from scratch over a corrupt previous manifest', async () => {
    await storage.put(MANIFEST_KEY, new TextEncoder().encode('garbage'));
    const result = await publishDocuments(docs(), deps());
    expect(result.manifest.generation).toBe(1);
  });

  it.each([
    ['a duplicate route', [...docs(), { path: '/', body: 'again', contentType: 'text/html' }]],
    ['two routes on one key', [...docs(), { path: '/articles/a.html', body: 'x', contentType: 'text/html' }]],
    [
      'a route on the manifest key',
      [{ path: '/manifest.json', body: '{}', contentType: 'application/json' }],
    ],
    ['a route on the status key', [{ path: '/status.json', body: '{}', contentType: 'application/json' }]],
    [
      'a route on the journal key',
      [{ path: '/publish-journal.json', body: '{}', contentType: 'application/json' }],
    ],
    ['a route on a variant key', [...docs(), { path: '/feed.xml.gz', body: 'x', contentType: 'text/plain' }]],
    ['a route under the versions prefix', [{ path: '/_v/x/feed.xml', body: 'x', contentType: 'text/plain' }]],
  ])('rejects %s before writing anything', async (_label, input) => {
    await expect(publishDocuments(input, deps())).rejects.toThrow(PublishInputError);
    expect(await storage.list('')).toEqual([]);
  });

  it('rejects a path that is not a route before writing anything', async () => {
    await expect(
      publishDocuments([{ path: '/../x', body: 'x', contentType: 'text/plain' }], deps()),
    ).rejects.toMatchObject({ name: 'InvalidRouteError' });
    expect(await storage.list('')).toEqual([]);
  });
});

/** Counts gets and puts per key. */
function countingStorage(inner: Storage): Storage & { gets: Map<string, number>; puts: string[] } {
  const gets = new Map<string, number>();
  const puts: string[] = [];
  return {
    gets,
    puts,
    async get(key) {
      gets.set(key, (gets.get(key) ?? 0) + 1);
      return inner.get(key);
    },
    async put(key, body) {
      puts.push(key);
      await inner.put(key, body);
    },
    delete: (key) => inner.delete(key),
    list: (prefix) => inner.list(prefix),
  };
}

describe('publishDocuments with a patch', () => {
  let storage: ReturnType<typeof countingStorage>;
  const clock = settableClock('2024-05-01T10:00:00.000Z');
  const deps = () => ({ storage, clock, compressor: fakeCompressor(), logger: silent });
  const html = 'text/html; charset=utf-8';
  const article = (slug: string, version = 'v1'): RenderedDocument => ({
    path: `/articles/${slug}`,
    contentType: html,
    body: big(`${slug} ${version}`),
  });
  const site = (): RenderedDocument[] => [
    ...docs(),
    ...Array.from({ length: 30 }, (_, i) => article(`s${i}`)),
    { path: '/tags/foo', contentType: html, body: big('tag foo') },
    { path: '/tags/foo/feed.xml', contentType: 'application/rss+xml', body: big('foo feed') },
    { path: '/tags/foo/archive/0/feed.xml', contentType: 'application/rss+xml', body: big('foo archive') },
    { path: '/tags/foobar/feed.xml', contentType: 'application/rss+xml', body: big('foobar feed') },
  ];
  const shardGets = (): string[] => [...storage.gets.keys()].filter(isShardKey);

  beforeEach(async () => {
    storage = countingStorage(createMemoryStorage());
    await publishDocuments(site(), deps());
    storage.gets.clear();
    storage.puts.length = 0;
  });

  it('upserts one route: reads and rewrites only its shard, carries every other route over', async () => {
    const before = await loadManifest(storage);
    storage.gets.clear();
    const result = await publishDocuments([article('s3', 'v2')], deps(), { patch: {} });
    expect(result.changed).toEqual(['/articles/s3']);
    expect(result.shards).toMatchObject({ read: 1, written: 1 });
    // Reads: root, journal, the one shard, then the new version's three keys (for its route copy).
    expect(shardGets()).toHaveLength(1);
    const versionGets = [...storage.gets.keys()].filter((key) => key.startsWith('_v/') && !isShardKey(key));
    expect(versionGets).toHaveLength(3);
    for (const key of versionGets) expect(key).toContain('/articles/s3.html');
    expect([...storage.gets.keys()].filter((key) => !key.startsWith('_v/')).sort()).toEqual(
      [MANIFEST_KEY, PUBLISH_JOURNAL_KEY].sort(),
    );
    // Writes: journal, 3 version keys, journal, 1 shard, root, 3 route copies.
    expect(storage.puts.filter(isShardKey)).toHaveLength(1);
    expect(storage.puts).toHaveLength(10);
    const after = await loadManifest(storage);
    expect(Object.keys(after?.documents ?? {}).sort()).toEqual(Object.keys(before?.documents ?? {}).sort());
    for (const [path, entry] of Object.entries(before?.documents ?? {}))
      if (path !== '/articles/s3') expect(after?.documents[path]).toEqual(entry);
    expect(decode((await storage.get('articles/s3.html'))?.body)).toBe(big('s3 v2'));
    expect(after?.generation).toBe(2);
  });

  it('adds a new route and removes listed ones (their versions and route copies go)', async () => {
    const gone = (await loadManifest(storage))?.documents['/articles/s4'];
    storage.gets.clear();
    const result = await publishDocuments([article('new')], deps(), {
      patch: { remove: ['/articles/s4', '/articles/never-published'] },
    });
    expect(result.changed).toEqual(['/articles/new']);
    expect(result.removed).toEqual(['/articles/s4']);
    // The shards of /articles/new and /articles/s4 only.
    expect(shardGets().length).toBeLessThanOrEqual(2);
    const after = await loadManifest(storage);
    expect(after?.documents['/articles/s4']).toBeUndefined();
    expect(after?.documents['/articles/new']).toBeDefined();
    expect(Object.keys(after?.documents ?? {})).toHaveLength(site().length);
    expect(await storage.get('articles/s4.html')).toBeNull();
    expect(await storage.get(gone?.key ?? '')).toBeNull();
  });

  it('replaces a prefix segment-wise: /tags/foo drops its unlisted routes, never /tags/foobar', async () => {
    const result = await publishDocuments(
      [{ path: '/tags/foo/feed.xml', contentType: 'application/rss+xml', body: big('foo feed') }],
      deps(),
      { patch: { replacePrefixes: ['/tags/foo'] } },
    );
    expect(result.removed).toEqual(['/tags/foo', '/tags/foo/archive/0/feed.xml']);
    expect(result.changed).toEqual([]);
    // Only the tag's bucket and archive block were read (not the articles' or site shards).
    const read = shardGets().map((key) => key.split('/').at(-1) ?? '');
    expect(read.length).toBeGreaterThan(0);
    const own = [shardOf('/tags/foo'), shardOf('/tags/foo/archive/0/feed.xml')].map((id) => `${id}.json`);
    for (const id of read) expect(own).toContain(id);
    const after = await loadManifest(storage);
    expect(after?.documents['/tags/foobar/feed.xml']).toBeDefined();
    expect(after?.documents['/tags/foo/feed.xml']).toBeDefined();
    expect(await storage.get('tags/foo.html')).toBeNull();
  });

  it('writes only the root when nothing changed', async () => {
    const result = await publishDocuments([article('s1')], deps(), { patch: {} });
    expect(result.changed).toEqual([]);
    expect(storage.puts).toEqual([MANIFEST_KEY]);
  });

  it.each([
    ['a route both upserted and removed', [article('s1')], { remove: ['/articles/s1'] }],
    ['a route on the key of a published route', [{ ...article('s1'), path: '/articles/s1.html' }], {}],
    ['a .html route on the key of a published tag page', [{ ...article('s1'), path: '/tags/foo.html' }], {}],
    ['the home page as /index.html', [{ ...article('s1'), path: '/index.html' }], {}],
    ['a remove that is not a route', [], { remove: ['articles/x'] }],
  ])('rejects %s before writing anything', async (_label, input, patch) => {
    await expect(publishDocuments(input, deps(), { patch })).rejects.toThrow(/Route|route/);
    expect(storage.puts).toEqual([]);
  });

  it('refuses a patch over an unreadable manifest (it would unpublish everything)', async () => {
    await storage.put(MANIFEST_KEY, new TextEncoder().encode('garbage'));
    storage.puts.length = 0;
    await expect(publishDocuments([article('s1')], deps(), { patch: {} })).rejects.toThrow(PublishInputError);
    expect(storage.puts).toEqual([]);
  });

  it('upgrades a version 1 manifest: the next patch writes a root and every shard', async () => {
    const full = await loadManifest(storage);
    if (!full) throw new Error('nothing published');
    // What an installation published before sharding: one object with every entry.
    for (const key of (await storage.list('_v/')).filter(isShardKey)) await storage.delete(key);
    await storage.put(MANIFEST_KEY, serializeManifest({ ...full, version: 1 }));
    const result = await publishDocuments([article('s2', 'v2')], deps(), { patch: {} });
    expect(result.root.version).toBe(2);
    expect(result.root.generation).toBe(full.generation + 1);
    const after = await loadManifest(storage);
    expect(after?.version).toBe(2);
    expect(Object.keys(after?.documents ?? {}).sort()).toEqual(Object.keys(full.documents).sort());
    for (const [path, entry] of Object.entries(full.documents))
      if (path !== '/articles/s2') expect(after?.documents[path]).toEqual(entry);
    expect(result.shards.written).toBe(Object.keys(result.root.shards).length);
  });

  it.each(['published', 'hand-made'] as const)(
    're-shards a layout 1 root (%s shard keys): the next patch keeps every route',
    async (keys) => {
      const full = await loadManifest(storage);
      if (!full) throw new Error('nothing published');
      const old = await republishWithLayout(storage, 1, keys);
      const result = await publishDocuments([article('s2', 'v2')], deps(), { patch: {} });
      expect(result.root.layout).toBe(SHARD_LAYOUT_VERSION);
      expect(Object.keys(result.root.shards).sort()).not.toEqual(Object.keys(old).sort());
      const after = await loadManifest(storage);
      expect(Object.keys(after?.documents ?? {}).sort()).toEqual(Object.keys(full.documents).sort());
      for (const [path, entry] of Object.entries(full.documents))
        if (path !== '/articles/s2') expect(after?.documents[path]).toEqual(entry);
      expect(decode((await storage.get('articles/s2.html'))?.body)).toBe(big('s2 v2'));
      // The layout 1 shard objects the new root does not name (`site` is cut alike) are gone.
      const named = new Set(Object.values(result.root.shards).map((ref) => ref.key));
      const dropped = Object.values(old).filter((ref) => !named.has(ref.key));
      expect(dropped.length).toBeGreaterThan(0);
      for (const ref of dropped) expect(await storage.get(ref.key)).toBeNull();
    },
  );

  it('after a dead run, refreshes the copies its journal names, even of routes outside the patch', async () => {
    await storage.put(
      PUBLISH_JOURNAL_KEY,
      new TextEncoder().encode(JSON.stringify({ version: 2, keys: [], copies: ['/articles/s9'] })),
    );
    await storage.put('articles/s9.html', new TextEncoder().encode('stale'));
    const orphan = await v('articles/zz.html', 'never swapped');
    await storage.put(orphan, new TextEncoder().encode('never swapped'));
    await publishDocuments([article('s1')], deps(), { patch: {} });
    expect(decode((await storage.get('articles/s9.html'))?.body)).toBe(big('s9 v1'));
    expect(await storage.get(orphan)).toBeNull();
    expect(await storage.get(PUBLISH_JOURNAL_KEY)).toBeNull();
  });
});

describe('publishDocuments memory bound', () => {
  it('never holds more than PIPELINE_CONCURRENCY rendered documents at once (async renders awaited)', async () => {
    const inner = createMemoryStorage();
    let alive = 0;
    let maxAlive = 0;
    const storage: Storage = {
      ...inner,
      get: (key) => inner.get(key),
      list: (prefix) => inner.list(prefix),
      delete: (key) => inner.delete(key),
      async put(key, body) {
        await inner.put(key, body);
        // The brotli variant is a document's last version write: its bytes are dropped after it.
        if (key.startsWith('_v/') && key.endsWith('.br')) alive--;
      },
    };
    const documents = Array.from({ length: 300 }, (_, i) =>
      planDocument(`/articles/p${i}`, 'text/html; charset=utf-8', [i], async () => {
        alive++;
        maxAlive = Math.max(maxAlive, alive);
        await new Promise((resolve) => setTimeout(resolve, 0));
        return big(`page ${i}`);
      }),
    );
    const result = await publishDocuments(documents, {
      storage,
      clock: settableClock('2024-05-01T10:00:00.000Z'),
      compressor: fakeCompressor(),
      logger: silent,
    });
    expect(result.changed).toHaveLength(300);
    expect(alive).toBe(0);
    expect(maxAlive).toBeGreaterThan(1);
    expect(maxAlive).toBeLessThanOrEqual(PIPELINE_CONCURRENCY);
  });
});

describe('publishDocuments route copies through storage.copy', () => {
  /** Memory storage counting copies and the gets of version keys. */
  function copyingStorage(): Storage & { copies: string[]; versionGets: number; failCopies: boolean } {
    const inner = createMemoryStorage();
    const storage = {
      copies: [] as string[],
      versionGets: 0,
      failCopies: false,
      async get(key: string) {
        if (key.startsWith('_v/') && !isShardKey(key)) storage.versionGets++;
        return inner.get(key);
      },
      put: (key: string, body: Uint8Array) => inner.put(key, body),
      delete: (key: string) => inner.delete(key),
      list: (prefix: string) => inner.list(prefix),
      async copy(from: string, to: string) {
        storage.copies.push(`${from} -> ${to}`);
        if (storage.failCopies) return false;
        return (await inner.copy?.(from, to)) ?? false;
      },
    };
    return storage;
  }

  function copyingDeps(storage: ReturnType<typeof copyingStorage>) {
    return {
      storage,
      clock: settableClock('2024-05-01T10:00:00.000Z'),
      compressor: fakeCompressor(),
      logger: silent,
    };
  }

  it('copies each version to its route key without reading the bytes back, variants before identity', async () => {
    const storage = copyingStorage();
    const deps = copyingDeps(storage);
    await publishDocuments(docs(), deps);
    const feedKey = await v('feed.xml', big('feed v1'));
    expect(storage.versionGets).toBe(0);
    expect(
      storage.copies.filter((line) => line.endsWith('-> feed.xml') || line.includes('-> feed.xml.')),
    ).toEqual([`${feedKey}.gz -> feed.xml.gz`, `${feedKey}.br -> feed.xml.br`, `${feedKey} -> feed.xml`]);
    expect(decode((await storage.get('feed.xml'))?.body)).toBe(big('feed v1'));
    expect(await storage.get(PUBLISH_JOURNAL_KEY)).toBeNull();
  });

  it('keeps the journal when a copy reports its version missing, so the next run refreshes it', async () => {
    const storage = copyingStorage();
    const deps = copyingDeps(storage);
    storage.failCopies = true;
    const result = await publishDocuments(docs(), deps);
    expect(result.changed).toHaveLength(4);
    expect(await storage.get('feed.xml')).toBeNull();
    expect(await storage.get(PUBLISH_JOURNAL_KEY)).not.toBeNull();
    storage.failCopies = false;
    await publishDocuments(docs(), deps);
    expect(decode((await storage.get('feed.xml'))?.body)).toBe(big('feed v1'));
    expect(await storage.get(PUBLISH_JOURNAL_KEY)).toBeNull();
  });
});
