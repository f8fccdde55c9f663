/**
 * Which manifest shard a route path belongs to: route path → shard id (`articles-3f`,
 * `tags-0a`, `tags-0a-a1`, `archive-0`, `site`, …), and which shards a route prefix may span.
 *
 * The published manifest (manifest.ts) is a small root naming one object per shard, so a
 * publish that changes one article rewrites the root and the few shards it touches, and the
 * app loads only the shards of the paths it is asked for. A shard is chosen by route family,
 * then by a hash bucket (articles, tags, publishers) or a block of archive page numbers, so that
 * no shard grows past ~1–2k entries at 100,000 articles (figures next to SHARD_LAYOUT).
 * Every route under one scope (`/tags/climat`, `/tags/climat/feed.xml`, `/tags/climat/archive/3/…`)
 * lands in shards computable from its slug alone: `replacePrefixes` can find them without
 * reading any other shard. `/x` and `/x.html` (which map to one storage key) share a shard, so a
 * key collision is always visible inside the shards a publish loads.
 *
 * Must not: depend on anything but the path (readers and writers must agree, across versions:
 * changing the layout moves entries between shards, which a publish handles, but bump
 * SHARD_LAYOUT_VERSION so the change is deliberate). Tunables: SHARD_LAYOUT.
 */

/** Part of every root (manifest.ts): a root written with another layout is re-sharded on publish. */
export const SHARD_LAYOUT_VERSION = 1;

/**
 * Buckets per family. Sizes at 100,000 articles (3 tags each, 50 items per archive page,
 * feedLimits [10, 25]):
 * - articles: one page each → 100,000 / 128 ≈ 780 entries per shard;
 * - tags: ≈10 routes per tag (3 feeds, 6 limit variants, page); 10,000 tags / 128 ≈ 780;
 *   their archive pages go to `tags-<bucket>-a<block>` shards (300,000 memberships / 50 per page
 *   × 3 formats = 18,000 / 128 ≈ 140 per block-0 shard);
 * - publishers: few, but each is a whole feed scope like a tag;
 * - archive: the main scope's pages, ARCHIVE_BLOCK pages per shard (128 × 3 formats = 384);
 * - other multi-segment routes: hashed into `misc-*`; single-segment routes (`/`, `/feed.xml`,
 *   `/feed.xml?limit=10`, `/opml.xml`, …) all go to `site`.
 */
export const SHARD_LAYOUT = {
  articles: 128,
  tags: 128,
  publishers: 32,
  misc: 16,
  /** Archive page numbers per shard (main scope and per tag/publisher bucket). */
  archiveBlock: 128,
} as const;

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

function archiveBlock(page: number): number {
  return Math.floor(page / SHARD_LAYOUT.archiveBlock);
}

/** Route path (already validated by routeToKey) → its shard id. Pure. */
export function shardOf(path: string): string {
  const segments = path.split('/');
  // segments[0] is '' (paths start with '/'); a single segment is a site page or main feed.
  const family = segments[1] ?? '';
  const second = segments[2];
  if (second === undefined) return 'site';
  if (SLUG_FAMILIES.has(family)) {
    const base = `${family}-${bucket(slugOf(second), SHARD_LAYOUT[family as 'articles' | 'tags' | 'publishers'])}`;
    if (SCOPE_FAMILIES.has(family) && segments[3] === 'archive') {
      const page = pageOf(segments[4]);
      if (page !== null) return `${base}-a${archiveBlock(page)}`;
    }
    return base;
  }
  if (family === 'archive') {
    const page = pageOf(second);
    return page === null ? 'archive-misc' : `archive-${archiveBlock(page)}`;
  }
  return `misc-${bucket(`${family}/${slugOf(second)}`, SHARD_LAYOUT.misc)}`;
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
export function shardsUnder(prefix: string, ids: Iterable<string>): Set<string> {
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
  const own = shardOf(prefix);
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
    const base = `${family}-${bucket(slugOf(second), SHARD_LAYOUT[family as 'articles' | 'tags' | 'publishers'])}`;
    if (SCOPE_FAMILIES.has(family) && (segments[3] === undefined || segments[3] === 'archive')) {
      // The scope, or its archive folder: the base shard and every archive block of the bucket.
      const page = segments[3] === 'archive' ? pageOf(segments[4]) : null;
      if (page !== null) add((id) => id === `${base}-a${archiveBlock(page)}`);
      else add((id) => id === base || id.startsWith(`${base}-a`));
    } else {
      add((id) => id === base);
    }
    return out;
  }
  if (family === 'archive') {
    const page = pageOf(second);
    add((id) => id === (page === null ? 'archive-misc' : `archive-${archiveBlock(page)}`));
    return out;
  }
  add((id) => id === shardOf(prefix));
  return out;
}
