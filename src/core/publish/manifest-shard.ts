/**
 * Which manifest shard a route path belongs to: route path → shard id (`articles-3f`,
 * `tags-0a`, `tags-0a-a1`, `archive-0`, `site`, …), and which shards a route prefix may span.
 *
 * The published manifest (manifest.ts) is a small root naming one object per shard, so a
 * publish that changes one article rewrites the root and the few shards it touches, and the
 * app loads only the shards of the paths it is asked for. A shard is chosen by route family,
 * then by a hash bucket (articles, tags, publishers) or a block of archive page numbers, so that
 * no shard a small change touches grows past a few hundred entries at 100,000 articles (figures
 * next to SHARD_LAYOUTS).
 * Every route under one scope (`/tags/climat`, `/tags/climat/feed.xml`, `/tags/climat/archive/3/…`)
 * lands in shards computable from its slug alone: `replacePrefixes` can find them without
 * reading any other shard. `/x` and `/x.html` (which map to one storage key) share a shard, so a
 * key collision is always visible inside the shards a publish loads.
 *
 * Must not: depend on anything but the path and the layout version (readers and writers must
 * agree, across versions: a root records the layout its shards were cut with, and a root of
 * another known layout is still read, then re-sharded by the next publish). A layout, once
 * shipped, never changes: a new one gets the next version in SHARD_LAYOUTS.
 * Tunables: SHARD_LAYOUTS (the newest is what publish writes).
 */

/** Bucket counts and archive block size of one layout version. */
export interface ShardLayout {
  /** Buckets per slug family (the scope's own routes: page, feeds, limit variants). */
  readonly articles: number;
  readonly tags: number;
  readonly publishers: number;
  /** Buckets for a tag's / publisher's archive pages (by the same slug hash). */
  readonly tagArchives: number;
  readonly publisherArchives: number;
  /** Multi-segment routes of no other family. */
  readonly misc: number;
  /** Archive page numbers per shard (main scope and per tag/publisher bucket). */
  readonly archiveBlock: number;
}

/**
 * Every layout a root may name. Sizes at 100,000 articles (3 tags each, 50 items per archive
 * page, feedLimits [10, 25]; an entry is ≈ 500 bytes of JSON):
 * - 1: articles in 128 buckets → ≈ 780 entries (390 KB) per shard; tag archive pages by tag
 *   bucket (128) and blocks of 128 pages → up to ≈ 1,000 entries (520 KB). A one-article edit
 *   that re-tags read, re-serialized, hashed and wrote about 1 MB of shards. Root: ≈ 360 shards.
 * - 2: articles in 512 buckets → ≈ 195 entries (≈ 100 KB); tag archives in 512 buckets and blocks
 *   of 32 pages → ≈ 60 entries; main archive blocks of 32 pages (96 entries). The same edit moves
 *   ≈ 200 KB of shards; the root names ≈ 1,000 shards.
 * Shard counts trade the root's size (read and written by every publish) against the size of the
 * shards a change touches. Single-segment routes (`/`, `/feed.xml`, `/feed.xml?limit=10`,
 * `/opml.xml`, …) all go to `site`; other multi-segment routes are hashed into `misc-*`.
 */
export const SHARD_LAYOUTS: Readonly<Record<number, ShardLayout>> = {
  1: {
    articles: 128,
    tags: 128,
    publishers: 32,
    tagArchives: 128,
    publisherArchives: 32,
    misc: 16,
    archiveBlock: 128,
  },
  2: {
    articles: 512,
    tags: 128,
    publishers: 32,
    tagArchives: 512,
    publisherArchives: 32,
    misc: 16,
    archiveBlock: 32,
  },
};

/** The layout publish writes (part of every root, see manifest.ts). */
export const SHARD_LAYOUT_VERSION = 2;

/** Whether a root's layout version is one this code can read. */
export function isKnownLayout(version: number): boolean {
  return Object.hasOwn(SHARD_LAYOUTS, version);
}

function layoutOf(version: number): ShardLayout {
  const layout = SHARD_LAYOUTS[version];
  if (!layout) throw new RangeError(`unknown manifest shard layout ${version}`);
  return layout;
}

/** Route families whose second segment is a slug (hashed into buckets). */
const SLUG_FAMILIES = new Set(['articles', 'tags', 'publishers']);
/** Families whose routes carry their own archive pages (`/tags/<slug>/archive/<n>/…`). */
const SCOPE_FAMILIES = new Set(['tags', 'publishers']);
/** Shard ids are file-name safe: `[a-z0-9-]`. */
const SHARD_ID = /^[a-z][a-z0-9-]{0,63}$/;

/** FNV-1a over UTF-16 code units: pure, fast, no allocation; only bucket spread matters. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

function bucket(slug: string, buckets: number): string {
  return (fnv1a(slug) % buckets).toString(16).padStart(2, '0');
}

/** `x.html` and `x` name one storage key (manifest.ts routeToKey): hash them alike. */
function slugOf(segment: string): string {
  return segment.endsWith('.html') ? segment.slice(0, -'.html'.length) : segment;
}

/** Archive page number of a segment (`3`, `3.html`), or null. */
function pageOf(segment: string | undefined): number | null {
  if (segment === undefined) return null;
  const text = slugOf(segment);
  return /^\d{1,9}$/.test(text) ? Number(text) : null;
}

type SlugFamily = 'articles' | 'tags' | 'publishers';

/** The block of archive pages a page number falls in, under a layout. */
function archiveBlockOf(page: number, layout: ShardLayout): number {
  return Math.floor(page / layout.archiveBlock);
}

/** The shard id of a slug family's own routes (`tags-0a`). */
function scopeBase(family: SlugFamily, slug: string, layout: ShardLayout): string {
  return `${family}-${bucket(slugOf(slug), layout[family])}`;
}

/** The shard id prefix of a tag's / publisher's archive pages (`tags-1f3-a`); the block follows. */
function archiveBase(family: SlugFamily, slug: string, layout: ShardLayout): string {
  const buckets = family === 'publishers' ? layout.publisherArchives : layout.tagArchives;
  return `${family}-${bucket(slugOf(slug), buckets)}-a`;
}

/** Route path (already validated by routeToKey) → its shard id under a layout (default: the newest). Pure. */
export function shardOf(path: string, version: number = SHARD_LAYOUT_VERSION): string {
  const layout = layoutOf(version);
  const segments = path.split('/');
  // segments[0] is '' (paths start with '/'); a single segment is a site page or main feed.
  const family = segments[1] ?? '';
  const second = segments[2];
  if (second === undefined) return 'site';
  if (SLUG_FAMILIES.has(family)) {
    const slugFamily = family as SlugFamily;
    if (SCOPE_FAMILIES.has(family) && segments[3] === 'archive') {
      const page = pageOf(segments[4]);
      if (page !== null) return `${archiveBase(slugFamily, second, layout)}${archiveBlockOf(page, layout)}`;
    }
    return scopeBase(slugFamily, second, layout);
  }
  if (family === 'archive') {
    const page = pageOf(second);
    return page === null ? 'archive-misc' : `archive-${archiveBlockOf(page, layout)}`;
  }
  return `misc-${bucket(`${family}/${slugOf(second)}`, layout.misc)}`;
}

/** Whether `id` could be a shard id (what a root may name). */
export function isShardId(id: string): boolean {
  return SHARD_ID.test(id);
}

/** Segment-wise prefix match: `/tags/a` covers `/tags/a` and `/tags/a/…`, never `/tags/ab`. */
export function isUnderPrefix(path: string, prefix: string): boolean {
  if (prefix === '/') return true;
  return path === prefix || (path.startsWith(prefix) && path.charCodeAt(prefix.length) === 47); // '/'
}

/**
 * The shards (among `ids`, those a root names) that may hold a route under `prefix`: computed
 * from the prefix alone, so replacing `/tags/climat` reads the tag's bucket and its archive
 * blocks, not every tag. Conservative when the prefix is short (`/tags` → every tags shard).
 */
export function shardsUnder(
  prefix: string,
  ids: Iterable<string>,
  version: number = SHARD_LAYOUT_VERSION,
): Set<string> {
  const layout = layoutOf(version);
  const out = new Set<string>();
  const all = [...ids];
  const add = (test: (id: string) => boolean): void => {
    for (const id of all) if (test(id)) out.add(id);
  };
  if (prefix === '/') {
    add(() => true);
    return out;
  }
  // The prefix itself may be a route.
  const own = shardOf(prefix, version);
  if (all.includes(own)) out.add(own);
  const segments = prefix.split('/');
  const family = segments[1] ?? '';
  const second = segments[2];
  if (second === undefined) {
    // `/tags` → every `tags-*`; `/about` → every `misc-*` (could hold `/about/x`).
    if (SLUG_FAMILIES.has(family) || family === 'archive') add((id) => id.startsWith(`${family}-`));
    else add((id) => id.startsWith('misc-'));
    return out;
  }
  if (SLUG_FAMILIES.has(family)) {
    const slugFamily = family as SlugFamily;
    const base = scopeBase(slugFamily, second, layout);
    if (SCOPE_FAMILIES.has(family) && (segments[3] === undefined || segments[3] === 'archive')) {
      // The scope, or its archive folder: its own shard and every archive block of its bucket.
      const archives = archiveBase(slugFamily, second, layout);
      const page = segments[3] === 'archive' ? pageOf(segments[4]) : null;
      if (page !== null) add((id) => id === `${archives}${archiveBlockOf(page, layout)}`);
      else add((id) => id === base || (id.startsWith(archives) && /^\d+$/.test(id.slice(archives.length))));
    } else {
      add((id) => id === base);
    }
    return out;
  }
  if (family === 'archive') {
    const page = pageOf(second);
    add((id) => id === (page === null ? 'archive-misc' : `archive-${archiveBlockOf(page, layout)}`));
    return out;
  }
  add((id) => id === shardOf(prefix, version));
  return out;
}
