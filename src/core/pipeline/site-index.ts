/**
 * The site index: what the site's documents need to know about the whole corpus, kept in state
 * so an incremental run never walks every item. It holds
 *   - every scope's members in feed order (scope-list.ts: the site `''`, `/tags/<slug>`,
 *     `/publishers/<slug>`), with the spelling counts that choose each topic's label and its
 *     frozen archive pages (frozen-pages.ts: key ranges and counts, kept by complete runs too);
 *   - which source files claim each item id (`site-index/ids/`, sharded: two files may claim one
 *     explicit id or URL, and only the first in feed order is published);
 *   - which source file holds each slug (`site-index/slugs/`, sharded);
 *   - the status aggregates (warning total, flagged items).
 * The head (`site-index/head.json`) names the chunks and holds the aggregates; it is written
 * last, so a stored head always names complete chunks. A complete run rebuilds everything from
 * the catalog (`buildSiteIndex`); an incremental one loads the head and the shards and chunks
 * it touches (`loadSiteIndex`) and changes them (index-changes.ts).
 *
 * Must not: read the clock; decide what changed (index-changes.ts does); render anything.
 * Tunables: ID_SHARDS, SLUG_SHARDS; chunk sizes in scope-list.ts.
 */
import type { Storage } from '../../ports/storage.ts';
import { type FrozenPage, recountFrozen, settleFrozen } from './frozen-pages.ts';
import { createShardedMap, type ShardedMap } from './gather-sharded-map.ts';
import type { CatalogEntry, CatalogFlag } from './item-catalog.ts';
import { isLive, orderEntries } from './item-order.ts';
import { IO_CONCURRENCY, mapConcurrent } from './map-concurrent.ts';
import { scopeLabelsOf, type TopicNamer } from './scope-labels.ts';
import {
  buildScopeList,
  CHUNK_PREFIX,
  type ChunkLimits,
  type ChunkStore,
  createChunkStore,
  openScopeList,
  parseChunkRefs,
  type ScopeList,
  type ScopeMember,
  type StoredChunkRef,
} from './scope-list.ts';

export const SITE_INDEX_PREFIX = 'site-index/';
export const SITE_INDEX_HEAD = 'site-index/head.json';
/** Bumped when the stored shape changes: an older index is rebuilt by a complete run. */
export const SITE_INDEX_VERSION = 2;
const ID_SHARDS = 256;
const SLUG_SHARDS = 256;

export interface ScopeState {
  readonly list: ScopeList;
  /** Cleaned spelling → how many member labels use it (topics only). */
  readonly spellings: Map<string, number>;
  /** Its frozen archive pages, oldest first (frozen-pages.ts); replaced by index-changes.ts. */
  frozen: FrozenPage[];
}

/** How archives are paged: what freezing a page needs to know. */
export interface ArchivePaging {
  readonly feedSize: number;
  readonly pageSize: number;
}

export interface SiteIndex {
  /** Scope key → its state; the site is `''`. Scopes with no member are absent. */
  readonly scopes: Map<string, ScopeState>;
  /** Item id → the live source files claiming it. */
  readonly ids: ShardedMap<string[]>;
  /** Slug → the source file holding it (live or held back). */
  readonly slugs: ShardedMap<string>;
  /** Sum of the warnings of entries not held back. */
  warnings: number;
  /** Source id → its quality-gate flag. */
  readonly flagged: Map<string, CatalogFlag>;
  /** Opens an empty scope (its first member is about to be inserted). */
  createScope(key: string): ScopeState;
  /** Writes chunks, shards and then the head; deletes chunks no longer named. */
  save(): Promise<void>;
}

interface HeadJson {
  readonly v: number;
  readonly next: number;
  readonly warnings: number;
  readonly flagged: [string, CatalogFlag][];
  readonly scopes: Record<string, { s: [string, number][]; c: StoredChunkRef[]; f?: StoredFrozen[] }>;
}

/** [last member's published, id, source id, member count] */
type StoredFrozen = [string, string, string, number];

function parseFrozen(value: unknown): FrozenPage[] | null {
  if (value === undefined) return [];
  if (!Array.isArray(value)) return null;
  const pages: FrozenPage[] = [];
  for (const row of value) {
    if (
      !Array.isArray(row) ||
      typeof row[0] !== 'string' ||
      typeof row[1] !== 'string' ||
      typeof row[2] !== 'string' ||
      typeof row[3] !== 'number'
    ) {
      return null;
    }
    pages.push({ last: { published: row[0], id: row[1], sourceId: row[2] }, n: row[3] });
  }
  return pages;
}

/** What a scope list keeps of a catalog entry. */
export function scopeMemberOf(entry: CatalogEntry): ScopeMember {
  return {
    sourceId: entry.sourceId,
    id: entry.id,
    published: entry.published,
    updated: entry.updated,
    digest: entry.digest,
  };
}

function assemble(
  state: Storage,
  store: ChunkStore,
  scopes: Map<string, ScopeState>,
  ids: ShardedMap<string[]>,
  slugs: ShardedMap<string>,
  aggregates: { warnings: number; flagged: Map<string, CatalogFlag> },
  fresh: boolean,
): SiteIndex {
  const index: SiteIndex = {
    scopes,
    ids,
    slugs,
    warnings: aggregates.warnings,
    flagged: aggregates.flagged,
    createScope(key) {
      const scope: ScopeState = { list: openScopeList(store, []), spellings: new Map(), frozen: [] };
      scopes.set(key, scope);
      return scope;
    },
    async save() {
      const retired = await store.flush();
      const shardWrites = [...(await ids.writes()), ...(await slugs.writes())];
      await mapConcurrent(shardWrites, IO_CONCURRENCY, (w) =>
        w.body === null ? state.delete(w.key) : state.put(w.key, w.body),
      );
      const head: HeadJson = {
        v: SITE_INDEX_VERSION,
        next: store.next,
        warnings: index.warnings,
        flagged: [...index.flagged].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        scopes: Object.fromEntries(
          [...scopes]
            .filter(([, scope]) => scope.list.count > 0)
            .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
            .map(([key, scope]) => [
              key,
              {
                s: [...scope.spellings],
                c: scope.list.toStored(),
                ...(scope.frozen.length > 0
                  ? {
                      f: scope.frozen.map(
                        (page): StoredFrozen => [
                          page.last.published,
                          page.last.id,
                          page.last.sourceId,
                          page.n,
                        ],
                      ),
                    }
                  : {}),
              },
            ]),
        ),
      };
      await state.put(SITE_INDEX_HEAD, new TextEncoder().encode(JSON.stringify(head)));
      // After the head: nothing names these any more (a fresh build also drops strays).
      const doomed = new Set(retired);
      if (fresh) {
        const named = new Set<string>();
        for (const scope of Object.values(head.scopes)) {
          for (const ref of scope.c) named.add(`${CHUNK_PREFIX}${ref[0].toString(36)}.json`);
        }
        for (const key of await state.list(CHUNK_PREFIX)) if (!named.has(key)) doomed.add(key);
      }
      await mapConcurrent([...doomed], IO_CONCURRENCY, (key) => state.delete(key));
    },
  };
  return index;
}

/**
 * Loads the head (chunks and shards load as they are touched). Null when there is no index, it
 * is unreadable, or it has another version: the caller then rebuilds it with a complete run.
 */
export async function loadSiteIndex(state: Storage, limits?: ChunkLimits): Promise<SiteIndex | null> {
  const stored = await state.get(SITE_INDEX_HEAD);
  if (!stored) return null;
  let head: HeadJson;
  try {
    head = JSON.parse(new TextDecoder().decode(stored.body)) as HeadJson;
  } catch {
    return null;
  }
  if (
    head?.v !== SITE_INDEX_VERSION ||
    typeof head.next !== 'number' ||
    typeof head.warnings !== 'number' ||
    !Array.isArray(head.flagged) ||
    typeof head.scopes !== 'object' ||
    head.scopes === null
  ) {
    return null;
  }
  const writes = (key: string, body: Uint8Array): Promise<void> => state.put(key, body);
  const store = createChunkStore(state, head.next, writes, limits);
  const scopes = new Map<string, ScopeState>();
  for (const [key, scope] of Object.entries(head.scopes)) {
    const refs = parseChunkRefs(scope?.c);
    const frozen = parseFrozen(scope?.f);
    if (!refs || !frozen || !Array.isArray(scope.s)) return null;
    scopes.set(key, { list: openScopeList(store, refs), spellings: new Map(scope.s), frozen });
  }
  return assemble(
    state,
    store,
    scopes,
    createShardedMap<string[]>(state, `${SITE_INDEX_PREFIX}ids/`, ID_SHARDS),
    createShardedMap<string>(state, `${SITE_INDEX_PREFIX}slugs/`, SLUG_SHARDS),
    { warnings: head.warnings, flagged: new Map(head.flagged) },
    false,
  );
}

/**
 * The index of a whole catalog, from scratch (a complete run): replaces whatever is stored.
 * `previous` gives each scope's frozen page boundaries from the index being replaced (none: the
 * archive is paged by position), so a complete run keeps every page an incremental one would.
 */
export async function buildSiteIndex(
  state: Storage,
  entries: readonly CatalogEntry[],
  namer: TopicNamer,
  paging: ArchivePaging,
  previous: ReadonlyMap<string, readonly FrozenPage[]> = new Map(),
  limits?: ChunkLimits,
): Promise<SiteIndex> {
  const store = createChunkStore(state, 0, (key, body) => state.put(key, body), limits);
  const ids = createShardedMap<string[]>(state, `${SITE_INDEX_PREFIX}ids/`, ID_SHARDS, { fresh: true });
  const slugs = createShardedMap<string>(state, `${SITE_INDEX_PREFIX}slugs/`, SLUG_SHARDS, { fresh: true });
  let warnings = 0;
  const flagged = new Map<string, CatalogFlag>();
  for (const entry of entries) {
    if (entry.slug) slugs.set(entry.slug, entry.sourceId);
    if (entry.flag) flagged.set(entry.sourceId, entry.flag);
    if (!entry.flag?.heldBack) warnings += entry.warnings;
    if (isLive(entry)) ids.set(entry.id, [...(ids.get(entry.id) ?? []), entry.sourceId].sort());
  }
  const members = new Map<string, ScopeMember[]>([['', []]]);
  const spellings = new Map<string, Map<string, number>>();
  for (const entry of orderEntries(entries)) {
    const member = scopeMemberOf(entry);
    (members.get('') as ScopeMember[]).push(member);
    const labels = scopeLabelsOf(entry, namer);
    for (const scope of labels.scopes) {
      let list = members.get(scope);
      if (!list) {
        list = [];
        members.set(scope, list);
      }
      list.push(member);
    }
    for (const [scope, spelling] of labels.spellings) {
      let counts = spellings.get(scope);
      if (!counts) {
        counts = new Map();
        spellings.set(scope, counts);
      }
      counts.set(spelling, (counts.get(spelling) ?? 0) + 1);
    }
  }
  const scopes = new Map<string, ScopeState>();
  for (const [key, list] of members) {
    if (list.length === 0) continue;
    const oldestFirst = [...list].reverse();
    const lasts = (previous.get(key) ?? []).map((page) => page.last);
    const settled = await settleFrozen(
      recountFrozen(lasts, oldestFirst),
      Math.max(0, list.length - paging.feedSize),
      paging.pageSize,
      (position) => oldestFirst[position] as ScopeMember,
    );
    scopes.set(key, {
      list: buildScopeList(store, list),
      spellings: spellings.get(key) ?? new Map(),
      frozen: settled.pages,
    });
  }
  return assemble(state, store, scopes, ids, slugs, { warnings, flagged }, true);
}
