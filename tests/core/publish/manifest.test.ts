import { describe, expect, it } from 'vitest';
import {
  type Manifest,
  type ManifestEntry,
  ManifestParseError,
  type ManifestRoot,
  parseManifest,
  parseManifestShard,
  parseStoredManifest,
  routeToKey,
  serializeManifest,
  serializeManifestRoot,
  serializeManifestShard,
  shardKey,
  shardKeyDigest,
} from '../../../src/core/publish/manifest.ts';
import {
  isUnderPrefix,
  SHARD_LAYOUT_VERSION,
  SHARD_LAYOUTS,
  shardOf,
  shardsUnder,
} from '../../../src/core/publish/manifest-shard.ts';

describe('routeToKey', () => {
  it.each([
    ['/', 'index.html'],
    ['/feed.xml', 'feed.xml'],
    ['/feed.json', 'feed.json'],
    ['/articles/x', 'articles/x.html'],
    ['/articles/x.html', 'articles/x.html'],
  ])('%s → %s', (path, key) => {
    expect(routeToKey(path)).toBe(key);
  });

  it.each(['', 'feed.xml', '/articles/../secret', '/a//b', '/articles/', '/./x', '/a\0b', '/a\\b'])(
    'rejects %j with InvalidRouteError',
    (path) => {
      expect(() => routeToKey(path)).toThrow(expect.objectContaining({ name: 'InvalidRouteError' }));
    },
  );
});

const sample: Manifest = {
  version: 1,
  generation: 3,
  publishedAt: '2024-05-01T10:00:00.000Z',
  documents: {
    '/feed.xml': {
      key: 'feed.xml',
      contentType: 'application/rss+xml; charset=utf-8',
      etag: '"0123456789abcdef0123456789abcdef"',
      lastModified: '2024-05-01T10:00:00.000Z',
      size: 1000,
      gzip: { key: 'feed.xml.gz', size: 300, digest: 'aa' },
      br: { key: 'feed.xml.br', size: 250, digest: 'bb' },
    },
    '/': {
      key: 'index.html',
      contentType: 'text/html; charset=utf-8',
      etag: '"fedcba9876543210fedcba9876543210"',
      lastModified: '2024-04-01T10:00:00.000Z',
      size: 10,
    },
  },
};

describe('parseManifest', () => {
  it('round-trips a serialized manifest', () => {
    expect(parseManifest(serializeManifest(sample))).toEqual(sample);
  });

  it('serializes documents in sorted path order (stable bytes)', () => {
    const text = new TextDecoder().decode(serializeManifest(sample));
    expect(text.indexOf('"/"')).toBeLessThan(text.indexOf('"/feed.xml"'));
  });

  it.each([
    ['not JSON', 'nope{'],
    ['not UTF-8', new Uint8Array([0xff, 0xfe, 0x00])],
    ['an array', '[]'],
    ['a wrong version', JSON.stringify({ ...sample, version: 2 })],
    ['a negative generation', JSON.stringify({ ...sample, generation: -1 })],
    ['documents missing', JSON.stringify({ version: 1, generation: 1, publishedAt: 'x' })],
    [
      'an unquoted etag',
      JSON.stringify({ ...sample, documents: { '/': { ...sample.documents['/'], etag: 'abc' } } }),
    ],
    [
      'a bad lastModified',
      JSON.stringify({
        ...sample,
        documents: { '/': { ...sample.documents['/'], lastModified: 'yesterday' } },
      }),
    ],
    [
      'a path that is not a route',
      JSON.stringify({ ...sample, documents: { '../x': sample.documents['/'] } }),
    ],
    [
      'a variant without digest',
      JSON.stringify({
        ...sample,
        documents: { '/': { ...sample.documents['/'], gzip: { key: 'index.html.gz', size: 1 } } },
      }),
    ],
  ])('throws ManifestParseError on %s', (_label, input) => {
    expect(() => parseManifest(input)).toThrow(ManifestParseError);
  });
});

describe('shardOf', () => {
  const block = SHARD_LAYOUTS[SHARD_LAYOUT_VERSION]?.archiveBlock ?? 0;
  it('puts single-segment routes (main feeds, limit variants, site pages) in `site`', () => {
    for (const path of ['/', '/feed.xml', '/feed.xml?limit=10', '/opml.xml', '/tags', '/archive'])
      expect(shardOf(path)).toBe('site');
  });

  it('buckets articles by slug; `/x` and `/x.html` (one storage key) share a shard', () => {
    expect(shardOf('/articles/abc')).toMatch(/^articles-[0-9a-f]{2,3}$/);
    expect(shardOf('/articles/abc.html')).toBe(shardOf('/articles/abc'));
    expect(shardOf('/articles/abc/extra')).toBe(shardOf('/articles/abc'));
  });

  it('keeps a tag scope in its bucket; its archive pages in blocks of their own bucket', () => {
    const base = shardOf('/tags/climat');
    expect(base).toMatch(/^tags-[0-9a-f]{2}$/);
    expect(shardOf('/tags/climat/feed.xml')).toBe(base);
    expect(shardOf('/tags/climat/feed.xml?limit=10')).toBe(base);
    const archives = shardOf('/tags/climat/archive/3/feed.xml');
    expect(archives).toMatch(/^tags-[0-9a-f]{2,3}-a0$/);
    expect(shardOf('/tags/climat/archive/3.html')).toBe(archives);
    expect(shardOf(`/tags/climat/archive/${block}/atom.xml`)).toBe(archives.replace(/0$/, '1'));
    expect(shardOf('/publishers/le-monde/feed.json')).toMatch(/^publishers-[0-9a-f]{2}$/);
  });

  it('still answers for layout 1, whose roots a deployed site may hold', () => {
    const base = shardOf('/tags/climat', 1);
    expect(shardOf('/tags/climat/archive/3/feed.xml', 1)).toBe(`${base}-a0`);
    expect(shardOf('/tags/climat/archive/128/feed.xml', 1)).toBe(`${base}-a1`);
    expect(shardOf('/archive/130/feed.xml', 1)).toBe('archive-1');
    expect(shardOf('/archive/130/feed.xml')).toBe(`archive-${Math.floor(130 / block)}`);
    expect(shardsUnder('/tags/climat', [base, `${base}-a0`, `${base}-a1`, 'tags-zz'], 1)).toEqual(
      new Set([base, `${base}-a0`, `${base}-a1`]),
    );
    expect(() => shardOf('/feed.xml', 99)).toThrow(/unknown manifest shard layout 99/);
  });

  it('blocks main archive pages by page number', () => {
    expect(shardOf('/archive/0/feed.xml')).toBe('archive-0');
    expect(shardOf(`/archive/${block * 3 + 1}/feed.json`)).toBe('archive-3');
    expect(shardOf('/archive/latest/feed.xml')).toBe('archive-misc');
    expect(shardOf('/pages/about')).toMatch(/^misc-[0-9a-f]{2}$/);
  });

  it('keeps shards small for the routes of 100,000 articles and 10,000 tags', () => {
    const counts = new Map<string, number>();
    const add = (path: string) => counts.set(shardOf(path), (counts.get(shardOf(path)) ?? 0) + 1);
    for (let i = 0; i < 100_000; i++) add(`/articles/article-${i}-${(i * 7919) % 1000}`);
    for (let t = 0; t < 10_000; t++) {
      for (const file of ['', '/feed.xml', '/atom.xml', '/feed.json']) add(`/tags/tag-${t}${file}`);
      for (const limit of [10, 25])
        for (const file of ['feed.xml', 'atom.xml', 'feed.json'])
          add(`/tags/tag-${t}/${file}?limit=${limit}`);
      for (let page = 0; page < 6; page++)
        for (const file of ['feed.xml', 'atom.xml', 'feed.json'])
          add(`/tags/tag-${t}/archive/${page}/${file}`);
    }
    for (let page = 0; page < 2000; page++)
      for (const file of ['feed.xml', 'atom.xml', 'feed.json']) add(`/archive/${page}/${file}`);
    // An article edit touches an articles shard: ≈ 200 entries (layout 1: ≈ 800).
    expect(
      Math.max(...[...counts].filter(([id]) => id.startsWith('articles-')).map(([, n]) => n)),
    ).toBeLessThan(250);
    // Ten routes per tag in 128 buckets, six archive pages per tag in 512: under a thousand.
    expect(Math.max(...counts.values())).toBeLessThan(1000);
    // …and the root names no more than about a thousand and a half.
    expect(counts.size).toBeLessThan(1600);
  });
});

describe('shardsUnder / isUnderPrefix', () => {
  const ids = [
    'site',
    shardOf('/tags/a'),
    shardOf('/tags/a/archive/0/feed.xml'),
    shardOf('/tags/zz'),
    'archive-0',
    shardOf('/articles/x'),
  ];

  it('matches segment-wise', () => {
    expect(isUnderPrefix('/tags/foo', '/tags/foo')).toBe(true);
    expect(isUnderPrefix('/tags/foo/feed.xml', '/tags/foo')).toBe(true);
    expect(isUnderPrefix('/tags/foobar', '/tags/foo')).toBe(false);
    expect(isUnderPrefix('/anything', '/')).toBe(true);
  });

  it('names the tag bucket and its archive blocks for a tag prefix, all tags shards for /tags', () => {
    expect(shardsUnder('/tags/a', ids)).toEqual(
      new Set([shardOf('/tags/a'), shardOf('/tags/a/archive/0/feed.xml')]),
    );
    const tags = shardsUnder('/tags', ids);
    for (const id of ids.filter((id) => id.startsWith('tags-'))) expect(tags.has(id)).toBe(true);
    expect(tags.has('site')).toBe(true); // `/tags` itself is a site page
    expect(shardsUnder('/articles/x', ids)).toEqual(new Set([shardOf('/articles/x')]));
    expect(shardsUnder('/', ids)).toEqual(new Set(ids));
  });
});

describe('version 2: root and shards', () => {
  const entry = sample.documents['/feed.xml'];
  const root: ManifestRoot = {
    version: 2,
    layout: 1,
    generation: 4,
    publishedAt: '2024-05-01T10:00:00.000Z',
    shards: { site: { key: shardKey('site', 'ab'.repeat(32)), count: 2 } },
  };

  it('round-trips a root and a shard; parseManifest points v2 readers at loadManifest', () => {
    expect(parseStoredManifest(serializeManifestRoot(root))).toEqual(root);
    expect(parseManifestShard(serializeManifestShard('site', sample.documents), 'site')).toEqual(
      sample.documents,
    );
    expect(() => parseManifest(serializeManifestRoot(root))).toThrow(/loadManifest/);
    expect(parseStoredManifest(serializeManifest(sample))).toEqual(sample);
  });

  it.each([
    [
      'a shard key of another shard',
      { ...root, shards: { site: { key: shardKey('misc-00', 'ab'.repeat(32)), count: 1 } } },
    ],
    ['a shard key outside the shard folder', { ...root, shards: { site: { key: 'feed.xml', count: 1 } } }],
    [
      'a bad shard id',
      { ...root, shards: { 'Bad/Id': { key: shardKey('site', 'ab'.repeat(32)), count: 1 } } },
    ],
    [
      'a negative count',
      { ...root, shards: { site: { key: shardKey('site', 'ab'.repeat(32)), count: -1 } } },
    ],
    ['no layout', { ...root, layout: undefined }],
    ['a layout this version does not know', { ...root, layout: 99 }],
  ])('refuses a root with %s', (_label, value) => {
    expect(() => parseStoredManifest(JSON.stringify(value))).toThrow(ManifestParseError);
  });

  it('refuses a shard holding a route of another shard, or naming another id', () => {
    const stray = serializeManifestShard('site', { '/articles/x': entry as ManifestEntry });
    expect(() => parseManifestShard(stray, 'site')).toThrow(/belongs to shard articles-/);
    expect(() => parseManifestShard(serializeManifestShard('site', {}), 'misc-00')).toThrow(
      ManifestParseError,
    );
  });

  it('reads the digest back from a shard key, and only from the key of that shard', () => {
    const hex = '0123456789abcdef'.repeat(4);
    expect(shardKeyDigest(shardKey('articles-3f', hex), 'articles-3f')).toBe(hex.slice(0, 16));
    expect(shardKeyDigest(shardKey('articles-3f', hex), 'articles-40')).toBeNull();
    expect(shardKeyDigest(`_v/${hex.slice(0, 16)}/feed.xml`, 'site')).toBeNull();
    expect(shardKeyDigest(shardKey('site', 'ABCDEF0123456789'), 'site')).toBeNull();
  });

  it("takes a published shard's entries as they are, checking only its frame", () => {
    const bytes = serializeManifestShard('site', sample.documents);
    expect(parseManifestShard(bytes, 'site', { published: true })).toEqual(sample.documents);
    expect(() => parseManifestShard(bytes, 'misc-00', { published: true })).toThrow(/names shard "site"/);
    expect(() =>
      parseManifestShard('{"version":2,"shard":"site","documents":[]}', 'site', { published: true }),
    ).toThrow(/documents must be an object/);
    const table = parseManifestShard('{"version":2,"shard":"site","documents":{}}', 'site', {
      published: true,
    });
    expect(Object.getPrototypeOf(table)).toBeNull();
  });
});
