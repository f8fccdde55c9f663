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
 * The head (`site-index/head.json`) names the chunks and holds the aggregates and each scope's
 * frozen page counts (run-length coded); the frozen pages' boundary keys, which grow with the
 * archive, sit in one object per scope (`site-index/frozen/`, frozen-page-store.ts), read only by
 * runs that touch the scope and rewritten only when a page freezes or drops. The head is written
 * last, so a stored head always names complete chunks and objects. The head also holds the census
 * of the `ids/` and `slugs/` shards (state/shard-census.ts): a shard lost or rewritten is found
 * when read (DamagedStateError), never read as "no item holds this slug"; chunks are checked
 * against their refs (count, last member) and frozen-page objects against their names (a digest
 * of their content). A head without a census (an earlier release) loads `checked: false`, and a
 * run rebuilds the index from the catalog (keeping its frozen pages). A complete run rebuilds
 * everything from the catalog (`buildSiteIndex`); an incremental one loads the head and the
 * shards and chunks it touches (`loadSiteIndex`) and changes them (index-changes.ts).
 *
 * Must not: read the clock; decide what changed (index-changes.ts does); render anything.
 * Tunables: ID_SHARDS, SLUG_SHARDS; chunk sizes in scope-list.ts.
 */
import type { Storage } from '../../ports/storage.ts';
import { IO_CONCURRENCY, mapConcurrent } from '../concurrency/map-concurrent.ts';
import {
  FROZEN_PREFIX,
  type FrozenSlot,
  frozenKeyOf,
  frozenSlot,
  INLINE_FROZEN_VERSION,
  parseInlineFrozen,
  parseStoredFrozen,
  type StoredFrozen,
} from './frozen-page-store.ts';
import { type FrozenPage, recountFrozen, settleFrozen } from './frozen-pages.ts';
import type { CatalogEntry, CatalogFlag } from './item-catalog.ts';
import { isLive, orderEntries } from './item-order.ts';
import { scopeLabelsOf, type TopicNamer } from './scope-labels.ts';
import {
  buildScopeList,
  CHUNK_PREFIX,
  type ChunkLimits,
  type ChunkStore,
  createChunkStore,
  openScopeList,
  parseChunkRefs,
  type ScopeMember,
  type StoredChunkRef,
} from './scope-list.ts';
import type { ScopeState } from './scope-state.ts';
import { parseCensus, type ShardCensus } from './shard-census.ts';
import { createShardedMap, type ShardedMap } from './sharded-map.ts';

export const SITE_INDEX_PREFIX = 'site-index/';
export const SITE_INDEX_HEAD = 'site-index/head.json';
/** Bumped when the stored shape changes: an older index is rebuilt by a complete run. */
export const SITE_INDEX_VERSION = 3;

const ID_SHARDS = 256;
const SLUG_SHARDS = 256;

export type { ScopeState } from './scope-state.ts';

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
  /** Whether its shards are checked against a census (false: a head from an earlier release). */
  readonly checked: boolean;
  /** The frozen-page objects (`site-index/frozen/` keys) the loaded head names. */
  frozenObjects(): string[];
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
  readonly scopes: Record<string, { s: [string, number][]; c: StoredChunkRef[]; f?: StoredFrozen }>;
  /** The census of the `ids/` and `slugs/` shards (absent in heads of earlier releases). */
  readonly k?: { readonly ids: ShardCensus; readonly slugs: ShardCensus };
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
  slots: Map<string, FrozenSlot>,
  ids: ShardedMap<string[]>,
  slugs: ShardedMap<string>,
  aggregates: { warnings: number; flagged: Map<string, CatalogFlag> },
  fresh: boolean,
  checked: boolean,
): SiteIndex {
  const scopes = new Map<string, ScopeState>([...slots].map(([key, slot]) => [key, slot.state]));
  const retiredFrozen = new Set<string>();
  const index: SiteIndex = {
    scopes,
    ids,
    slugs,
    warnings: aggregates.warnings,
    flagged: aggregates.flagged,
    checked,
    frozenObjects: () =>
      [...slots.values()].flatMap((slot) => (slot.storedRef ? [frozenKeyOf(slot.storedRef)] : [])),
    createScope(key) {
      // A scope emptied and opened again in one run: its stored keys object is retired on save.
      const replaced = slots.get(key)?.storedRef;
      if (replaced) retiredFrozen.add(frozenKeyOf(replaced));
      const slot = frozenSlot(state, key, openScopeList(store, []), new Map(), { ref: '', counts: [] }, []);
      slots.set(key, slot);
      scopes.set(key, slot.state);
      return slot.state;
    },
    async save() {
      const retired = await store.flush();
      const shardWrites = [...(await ids.writes()), ...(await slugs.writes())];
      await mapConcurrent(shardWrites, IO_CONCURRENCY, (w) =>
        w.body === null ? state.delete(w.key) : state.put(w.key, w.body),
      );
      // Scopes deleted from `scopes` (no member left) retire their keys object too.
      const live = [...slots]
        .filter(([key, slot]) => scopes.get(key) === slot.state && slot.state.list.count > 0)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      const doomed = new Set([...retired, ...retiredFrozen]);
      const liveKeys = new Set(live.map(([key]) => key));
      for (const [key, slot] of slots) {
        if (!liveKeys.has(key) && slot.storedRef !== '') doomed.add(frozenKeyOf(slot.storedRef));
      }
      const frozen = await mapConcurrent(live, IO_CONCURRENCY, ([, slot]) => slot.store());
      const census = { ids: ids.census(), slugs: slugs.census() };
      const head: HeadJson = {
        v: SITE_INDEX_VERSION,
        next: store.next,
        warnings: index.warnings,
        flagged: [...index.flagged].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        scopes: Object.fromEntries(
          live.map(([key, slot], i) => {
            const { stored } = frozen[i] as { stored: StoredFrozen | null };
            return [
              key,
              {
                s: [...slot.state.spellings],
                c: slot.state.list.toStored(),
                ...(stored ? { f: stored } : {}),
              },
            ];
          }),
        ),
        // An unchecked index knows no census of the shards it did not read: it stays unchecked.
        ...(census.ids && census.slugs ? { k: { ids: census.ids, slugs: census.slugs } } : {}),
      };
      await state.put(SITE_INDEX_HEAD, new TextEncoder().encode(JSON.stringify(head)));
      // After the head: nothing names these any more (a fresh build also drops strays).
      for (const { retired: old } of frozen) if (old) doomed.add(frozenKeyOf(old));
      if (fresh) {
        const named = new Set<string>();
        for (const scope of Object.values(head.scopes)) {
          for (const ref of scope.c) named.add(`${CHUNK_PREFIX}${ref[0].toString(36)}.json`);
          if (scope.f) named.add(frozenKeyOf(scope.f[0]));
        }
        for (const prefix of [CHUNK_PREFIX, FROZEN_PREFIX]) {
          for (const key of await state.list(prefix)) if (!named.has(key)) doomed.add(key);
        }
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
    (head?.v !== SITE_INDEX_VERSION && head?.v !== INLINE_FROZEN_VERSION) ||
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
  const slots = new Map<string, FrozenSlot>();
  for (const [key, scope] of Object.entries(head.scopes)) {
    const refs = parseChunkRefs(scope?.c);
    if (!refs || !Array.isArray(scope.s)) return null;
    const list = openScopeList(store, refs);
    if (head.v === INLINE_FROZEN_VERSION) {
      // Upgraded in place: the keys move to their own object on the next save.
      const pages = parseInlineFrozen(scope?.f);
      if (!pages) return null;
      slots.set(key, frozenSlot(state, key, list, new Map(scope.s), { ref: '', counts: [] }, pages));
      continue;
    }
    const frozen = parseStoredFrozen(scope?.f);
    if (!frozen) return null;
    slots.set(key, frozenSlot(state, key, list, new Map(scope.s), frozen, null));
  }
  const idsCensus = parseCensus(head.k?.ids);
  const slugsCensus = parseCensus(head.k?.slugs);
  const checked = idsCensus !== null && slugsCensus !== null;
  return assemble(
    state,
    store,
    slots,
    createShardedMap<string[]>(
      state,
      `${SITE_INDEX_PREFIX}ids/`,
      ID_SHARDS,
      idsCensus ? { census: idsCensus } : {},
    ),
    createShardedMap<string>(
      state,
      `${SITE_INDEX_PREFIX}slugs/`,
      SLUG_SHARDS,
      slugsCensus ? { census: slugsCensus } : {},
    ),
    { warnings: head.warnings, flagged: new Map(head.flagged) },
    false,
    checked,
  );
}

/**
 * How many frozen-page objects the head names are gone (one listing of `site-index/frozen/`).
 * Their boundaries are kept nowhere else in state: a run that never touches the scope would leave
 * them lost, and a later complete run with nothing published to take them from (a `--full` build
 * into another store) would page that archive by position. So the caller rebuilds the index now,
 * taking them from the published archive pages while they are there (docs/derived-state.md).
 */
export async function lostFrozenObjects(state: Storage, index: SiteIndex): Promise<number> {
  const named = index.frozenObjects();
  if (named.length === 0) return 0;
  const stored = new Set(await state.list(FROZEN_PREFIX));
  return named.filter((key) => !stored.has(key)).length;
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
  const slots = new Map<string, FrozenSlot>();
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
    slots.set(
      key,
      frozenSlot(
        state,
        key,
        buildScopeList(store, list),
        spellings.get(key) ?? new Map(),
        { ref: '', counts: [] },
        settled.pages,
      ),
    );
  }
  return assemble(state, store, slots, ids, slugs, { warnings, flagged }, true, true);
}
