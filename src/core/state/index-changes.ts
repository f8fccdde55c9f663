/**
 * An incremental run's changes → the site index updated in place, and what must be planned:
 * which scopes (the site, tags, publishers) and which of their archive pages can have changed,
 * which permalink pages, and which routes disappear. Everything else stays published as it is
 * (publish.ts `patch`), so a run that edits one article of 100,000 reads a few index chunks and
 * plans a few dozen documents, whatever the corpus size.
 *
 * `before` maps every source id the run touched to its catalog entry before the run (null: new);
 * the catalog already holds the entries after it. Only the first file in feed order claiming an
 * item id is published, so a touched file can also hide or reveal an untouched one: both are
 * "visibility events" here, applied to each scope list as a removal, an insertion, or (same
 * order key) a replacement in place.
 *
 * A scope's archive pages are numbered from its oldest item: its frozen pages by key range
 * (frozen-pages.ts), then the open region by position. So a page can change only if
 *   - it is frozen and a member entered or left its key range (that page alone);
 *   - it is open and its members changed: every open page from the oldest open position any
 *     insertion or removal touched, onwards;
 *   - the end-of-run rules dropped it back into the open region (it and every page after it) or
 *     froze it (its inputs now name items by place);
 *   - one of its items changed content in place, and the page is the newest (a frozen page, one
 *     with a successor, names its items by place, not content: syndicate/plan-archive.ts);
 *   - the page count changed (the previous newest page gains `next-archive` and may become
 *     immutable; when the count shrinks, the new newest page loses them);
 *   - the scope's label changed (it is in every page's title).
 * Planning more than needed is safe (publish compares input digests and skips equal ones);
 * planning less would serve stale bytes: tests/core/state/index-changes.test.ts compares
 * random sequences of changes with complete plans.
 *
 * Must not: read the clock; render anything; read catalog shards or index chunks it does not need.
 */
import { FEED_PATHS } from '../render/feed-formats.ts';
import { PREVIEW_FILE } from '../render/feed-links.ts';
import { limitVariantPath } from '../syndicate/limit-query.ts';
import { archivePageCount } from '../syndicate/plan-archive.ts';
import { majoritySpelling } from '../syndicate/select-topics.ts';
import { type FrozenPage, frozenCounts, frozenHeld, frozenPageOf, settleFrozen } from './frozen-pages.ts';
import type { CatalogEntry } from './item-catalog.ts';
import { compareEntries, isLive } from './item-order.ts';
import { type ScopeLabels, scopeLabelsOf, type TopicNamer } from './scope-labels.ts';
import type { ScopeState } from './scope-state.ts';
import { type SiteIndex, scopeMemberOf } from './site-index.ts';

export interface ChangeOptions {
  readonly feedSize: number;
  readonly archivePageSize: number;
  readonly feedLimits: readonly number[];
}

/** The catalog as this module reads it: shards load on `ensure`. */
export interface CatalogLookup {
  ensure(sourceIds: Iterable<string>): Promise<void>;
  get(sourceId: string): CatalogEntry | undefined;
}

export interface IndexChanges {
  /** Scope key → which of its archive pages to plan; scopes absent here are not planned. */
  readonly pages: ReadonlyMap<string, (page: number) => boolean>;
  /** Items (published after the run) whose permalink pages are planned. */
  readonly articles: readonly CatalogEntry[];
  /** Routes to unpublish. */
  readonly remove: readonly string[];
  /** Scopes that no longer exist: every route under them goes. */
  readonly replacePrefixes: readonly string[];
}

const FORMAT_PATHS = Object.values(FEED_PATHS);

interface Track {
  readonly oldCount: number;
  readonly oldLabel: string | null;
  /** Member counts of the scope's frozen pages before the run. */
  readonly oldFrozen: readonly number[];
  /** Offset in the open region (past the frozen pages) of the oldest insertion or removal there. */
  minOp: number;
  /** Open-region offsets of in-place replacements. */
  readonly content: Set<number>;
  /** 1-based frozen pages a member entered or left. */
  readonly frozenTouched: Set<number>;
}

interface Visibility {
  old: CatalogEntry | null;
  next: CatalogEntry | null;
}

function labelOf(index: SiteIndex, key: string): string | null {
  if (key === '') return null;
  const scope = index.scopes.get(key);
  return scope ? majoritySpelling(scope.spellings) : null;
}

/** The first live version in feed order among the claimants of one id. */
function winner(
  claimants: readonly string[],
  version: (sourceId: string) => CatalogEntry | null | undefined,
): CatalogEntry | null {
  let best: CatalogEntry | null = null;
  for (const sourceId of claimants) {
    const entry = version(sourceId);
    if (isLive(entry) && (best === null || compareEntries(entry, best) < 0)) best = entry;
  }
  return best;
}

export async function applyIndexChanges(
  index: SiteIndex,
  before: ReadonlyMap<string, CatalogEntry | null>,
  catalog: CatalogLookup,
  namer: TopicNamer,
  options: ChangeOptions,
): Promise<IndexChanges> {
  const touched = [...before.keys()];
  await catalog.ensure(touched);
  await updateSlugsAndStatus(index, before, catalog);
  const events = await updateIdClaims(index, before, catalog);
  const tracks = await updateScopeLists(index, events, namer, touched.length > 0);
  const { pages, remove, replacePrefixes } = await planScopes(index, tracks, options);
  remove.push(...(await planPermalinks(index, catalog, events)));
  return {
    pages,
    articles: [...events.values()].flatMap(({ next }) => (next ? [next] : [])),
    remove: [...new Set(remove)],
    replacePrefixes,
  };
}

/** Status aggregates (warnings, flags) and the slug shards, for every touched file. */
async function updateSlugsAndStatus(
  index: SiteIndex,
  before: ReadonlyMap<string, CatalogEntry | null>,
  catalog: CatalogLookup,
): Promise<void> {
  const slugKeys = new Set<string>();
  for (const sourceId of before.keys()) {
    const old = before.get(sourceId);
    const next = catalog.get(sourceId);
    if (old?.slug) slugKeys.add(old.slug);
    if (next?.slug) slugKeys.add(next.slug);
  }
  await index.slugs.ensure(slugKeys);
  for (const sourceId of before.keys()) {
    const old = before.get(sourceId) ?? null;
    const next = catalog.get(sourceId) ?? null;
    if (old && !old.flag?.heldBack) index.warnings -= old.warnings;
    if (next && !next.flag?.heldBack) index.warnings += next.warnings;
    index.flagged.delete(sourceId);
    if (next?.flag) index.flagged.set(sourceId, next.flag);
    if (old?.slug && old.slug !== next?.slug && index.slugs.get(old.slug) === sourceId)
      index.slugs.delete(old.slug);
    // Only a real change dirties a shard (an edit keeps its slug: nothing to rewrite).
    if (next?.slug && index.slugs.get(next.slug) !== sourceId) index.slugs.set(next.slug, sourceId);
  }
}

/**
 * Id claims: who is published under each id a touched file had or has. Updates the `ids/`
 * shards and returns the visibility events (source id → what it published before and after).
 */
async function updateIdClaims(
  index: SiteIndex,
  before: ReadonlyMap<string, CatalogEntry | null>,
  catalog: CatalogLookup,
): Promise<Map<string, Visibility>> {
  const versionBefore = (sourceId: string): CatalogEntry | null | undefined =>
    before.has(sourceId) ? before.get(sourceId) : catalog.get(sourceId);
  const versionAfter = (sourceId: string): CatalogEntry | undefined => catalog.get(sourceId);
  const affectedIds = new Set<string>();
  for (const sourceId of before.keys()) {
    const old = before.get(sourceId);
    const next = versionAfter(sourceId);
    if (isLive(old)) affectedIds.add(old.id);
    if (isLive(next)) affectedIds.add(next.id);
  }
  await index.ids.ensure(affectedIds);
  const claimsBefore = new Map<string, readonly string[]>();
  for (const id of affectedIds) claimsBefore.set(id, [...(index.ids.get(id) ?? [])]);
  for (const sourceId of before.keys())
    moveClaim(index, sourceId, before.get(sourceId), versionAfter(sourceId));
  const others = new Set<string>();
  for (const id of affectedIds) {
    for (const sourceId of [...(claimsBefore.get(id) ?? []), ...(index.ids.get(id) ?? [])])
      if (!before.has(sourceId)) others.add(sourceId);
  }
  await catalog.ensure(others);
  const events = new Map<string, Visibility>();
  const event = (sourceId: string): Visibility => {
    let found = events.get(sourceId);
    if (!found) {
      found = { old: null, next: null };
      events.set(sourceId, found);
    }
    return found;
  };
  for (const id of affectedIds) {
    const was = winner(claimsBefore.get(id) ?? [], versionBefore);
    const is = winner(index.ids.get(id) ?? [], versionAfter);
    if (was && is && was === is) continue; // an untouched item that stays published
    if (was) event(was.sourceId).old = was;
    if (is) event(is.sourceId).next = is;
  }
  return events;
}

/** One touched file's claim moved from its old id to its new one. */
function moveClaim(
  index: SiteIndex,
  sourceId: string,
  old: CatalogEntry | null | undefined,
  next: CatalogEntry | undefined,
): void {
  // An edit that keeps its id keeps its claim: the shard is left as it was.
  const keepsClaim = isLive(old) && isLive(next) && old.id === next.id;
  if (isLive(old) && !keepsClaim) {
    const rest = (index.ids.get(old.id) ?? []).filter((s) => s !== sourceId);
    if (rest.length > 0) index.ids.set(old.id, rest);
    else index.ids.delete(old.id);
  }
  if (isLive(next)) {
    const claims = index.ids.get(next.id) ?? [];
    if (!claims.includes(sourceId)) index.ids.set(next.id, [...claims, sourceId].sort());
  }
}

/** One visibility event with the scopes and label spellings it leaves and enters. */
interface ScopeMove {
  readonly old: CatalogEntry | null;
  readonly next: CatalogEntry | null;
  readonly oldLabels: ScopeLabels | null;
  readonly nextLabels: ScopeLabels | null;
  readonly oldScopes: readonly string[];
  readonly newScopes: readonly string[];
}

/**
 * Applies the visibility events to every scope list (and its spellings and frozen pages), and
 * returns what each touched scope looked like before, with where its members changed.
 */
async function updateScopeLists(
  index: SiteIndex,
  events: ReadonlyMap<string, Visibility>,
  namer: TopicNamer,
  anyTouched: boolean,
): Promise<Map<string, Track>> {
  const tracks = new Map<string, Track>();
  const track = (key: string): Track => {
    let found = tracks.get(key);
    if (!found) {
      found = {
        oldCount: index.scopes.get(key)?.list.count ?? 0,
        oldLabel: labelOf(index, key),
        oldFrozen: index.scopes.get(key)?.frozenCounts() ?? [],
        minOp: Number.POSITIVE_INFINITY,
        content: new Set(),
        frozenTouched: new Set(),
      };
      tracks.set(key, found);
    }
    return found;
  };
  if (anyTouched) track('');
  const moves = [...events.values()].map(({ old, next }): ScopeMove => {
    const oldLabels = old ? scopeLabelsOf(old, namer) : null;
    const nextLabels = next ? scopeLabelsOf(next, namer) : null;
    const oldScopes = oldLabels ? ['', ...oldLabels.scopes] : [];
    const newScopes = nextLabels ? ['', ...nextLabels.scopes] : [];
    for (const key of [...oldScopes, ...newScopes]) track(key);
    return { old, next, oldLabels, nextLabels, oldScopes, newScopes };
  });
  for (const move of moves) {
    countSpellings(index, move);
    const { old, next, oldScopes, newScopes } = move;
    const sameKey = old !== null && next !== null && compareEntries(old, next) === 0;
    for (const key of new Set([...oldScopes, ...newScopes])) {
      const scope = index.scopes.get(key);
      const t = track(key);
      if (!scope) continue;
      await moveMember(
        scope,
        t,
        oldScopes.includes(key) ? old : null,
        newScopes.includes(key) ? next : null,
        sameKey,
      );
    }
  }
  for (const [key, scope] of [...index.scopes]) if (scope.list.count === 0) index.scopes.delete(key);
  return tracks;
}

/** The label spellings an event takes away and adds; opens the scopes it enters. */
function countSpellings(index: SiteIndex, move: ScopeMove): void {
  for (const [key, spelling] of move.oldLabels?.spellings ?? []) {
    const counts = index.scopes.get(key)?.spellings;
    const n = (counts?.get(spelling) ?? 0) - 1;
    if (n > 0) counts?.set(spelling, n);
    else counts?.delete(spelling);
  }
  for (const key of move.newScopes) if (!index.scopes.has(key)) index.createScope(key);
  for (const [key, spelling] of move.nextLabels?.spellings ?? []) {
    const counts = index.scopes.get(key)?.spellings;
    counts?.set(spelling, (counts.get(spelling) ?? 0) + 1);
  }
}

/**
 * One scope's list after one event: `old` leaves it (null: it was not a member), `next` enters it
 * (null: it is not one now); with the same order key, a replacement in place. Records in `t` the
 * open-region offsets and frozen pages that changed.
 */
async function moveMember(
  scope: ScopeState,
  t: Track,
  old: CatalogEntry | null,
  next: CatalogEntry | null,
  sameKey: boolean,
): Promise<void> {
  // The scope's frozen pages, changed in place (their keys are read from state on first use).
  const frozenPages = await scope.frozenPages();
  // Oldest-first position → offset in the open region (past the frozen pages' members).
  const openOffset = (newestFirst: number): number =>
    scope.list.count - 1 - newestFirst - frozenHeld(frozenPages);
  // A member entering or leaving a frozen page changes that page's count, not its neighbours.
  const countIn = (page: number, delta: number): void => {
    const frozen = frozenPages[page] as FrozenPage;
    frozenPages[page] = { last: frozen.last, n: frozen.n + delta };
    t.frozenTouched.add(page + 1);
  };
  if (old && next && sameKey) {
    const position = await scope.list.replace(scopeMemberOf(next));
    if (position !== null) {
      // Content only: a frozen page names its items by place, so only an open page changes.
      if (frozenPageOf(frozenPages, next) < 0) t.content.add(openOffset(position));
      return;
    }
  }
  if (old) {
    const page = frozenPageOf(frozenPages, old);
    const count = scope.list.count;
    const position = await scope.list.remove(old);
    if (position !== null) {
      if (page >= 0) countIn(page, -1);
      else t.minOp = Math.min(t.minOp, count - 1 - position - frozenHeld(frozenPages));
    }
  }
  if (next) {
    const page = frozenPageOf(frozenPages, next);
    const position = await scope.list.insert(scopeMemberOf(next));
    if (page >= 0) countIn(page, 1);
    else t.minOp = Math.min(t.minOp, openOffset(position));
  }
}

/** Archive pages, variants and prefixes of every touched scope. */
async function planScopes(
  index: SiteIndex,
  tracks: ReadonlyMap<string, Track>,
  options: ChangeOptions,
): Promise<{ pages: Map<string, (page: number) => boolean>; remove: string[]; replacePrefixes: string[] }> {
  const pages = new Map<string, (page: number) => boolean>();
  const remove: string[] = [];
  const replacePrefixes: string[] = [];
  for (const [key, t] of tracks) {
    const scope = index.scopes.get(key);
    const newCount = scope?.list.count ?? 0;
    if (newCount === 0 && key !== '') {
      if (t.oldCount > 0) replacePrefixes.push(key);
      continue;
    }
    const labelChanged = t.oldLabel !== labelOf(index, key);
    pages.set(key, await planScopePages(key, scope, t, labelChanged, options, remove));
  }
  return { pages, remove, replacePrefixes };
}

/**
 * One scope still published: which of its archive pages to plan. Settles its frozen pages (the
 * end-of-run rules) and adds the archive pages and `?limit` variants that disappear to `remove`.
 */
async function planScopePages(
  key: string,
  scope: ScopeState | undefined,
  t: Track,
  labelChanged: boolean,
  options: ChangeOptions,
  remove: string[],
): Promise<(page: number) => boolean> {
  const { feedSize, archivePageSize: pageSize } = options;
  const newCount = scope?.list.count ?? 0;
  const frozenBefore = t.oldFrozen.length;
  const oldArchived = Math.max(0, t.oldCount - feedSize);
  const newArchived = Math.max(0, newCount - feedSize);
  // The open region before the run and after its changes (before the end-of-run rules).
  const oldOpen = Math.max(0, oldArchived - t.oldFrozen.reduce((a, b) => a + b, 0));
  const midOpen = Math.max(0, newArchived - frozenHeld(scope ? await scope.frozenPages() : []));
  const shared = Math.min(oldOpen, midOpen);
  let firstDiff = t.minOp < shared ? t.minOp : Number.POSITIVE_INFINITY;
  if (firstDiff === Number.POSITIVE_INFINITY && oldOpen !== midOpen) firstDiff = shared;
  let fromPage = frozenBefore + Math.floor(firstDiff / pageSize) + 1;
  const contentPages = new Set(
    [...t.content]
      .filter((p) => p >= 0 && p < midOpen)
      .map((p) => frozenBefore + Math.floor(p / pageSize) + 1),
  );
  // The end-of-run rules: pages dropped back into the open region change from there on; pages
  // frozen now change their inputs (by place from now on) and their caching.
  const settled = scope
    ? await settleFrozen(await scope.frozenPages(), newArchived, pageSize, async (oldestFirst) => {
        const [member] = await scope.list.range(newCount - 1 - oldestFirst, newCount - oldestFirst);
        if (!member) throw new Error(`site index: no member at ${oldestFirst} of ${key || 'the site'}`);
        return member;
      })
    : { pages: [], droppedFrom: null, frozen: [] };
  if (scope) scope.setFrozen(settled.pages);
  if (settled.droppedFrom !== null) fromPage = Math.min(fromPage, settled.droppedFrom);
  const newlyFrozen = new Set(settled.frozen);
  const oldPages = archivePageCount(t.oldCount, feedSize, pageSize, t.oldFrozen);
  const newPages = archivePageCount(newCount, feedSize, pageSize, frozenCounts(settled.pages));
  for (let page = newPages + 1; page <= oldPages; page++) {
    for (const path of FORMAT_PATHS) remove.push(`${key}/archive/${page}${path}`);
    remove.push(`${key}/archive/${page}${PREVIEW_FILE}`);
  }
  const oldCurrent = Math.min(t.oldCount, feedSize);
  const newCurrent = Math.min(newCount, feedSize);
  for (const limit of options.feedLimits) {
    if (limit < oldCurrent && limit >= newCurrent) {
      for (const path of FORMAT_PATHS) remove.push(limitVariantPath(`${key}${path}`, limit));
    }
  }
  return (page) =>
    labelChanged ||
    page >= fromPage ||
    t.frozenTouched.has(page) ||
    newlyFrozen.has(page) ||
    contentPages.has(page) ||
    (oldPages !== newPages && (page === oldPages || page === newPages));
}

/**
 * Permalinks: published after the run → planned (the events' `next`); published before and not
 * now → removed, unless another published item holds that slug now (then it is replaced, not
 * removed). Returns the routes to remove.
 */
async function planPermalinks(
  index: SiteIndex,
  catalog: CatalogLookup,
  events: ReadonlyMap<string, Visibility>,
): Promise<string[]> {
  const goneSlugs = new Set<string>();
  for (const { old, next } of events.values()) {
    if (old && (!next || next.slug !== old.slug)) goneSlugs.add(old.slug);
  }
  await index.slugs.ensure(goneSlugs);
  const remove: string[] = [];
  for (const slug of goneSlugs) {
    const holder = index.slugs.get(slug);
    if (holder !== undefined && (await publishedNow(index, catalog, events, holder, slug))) continue;
    remove.push(`/articles/${slug}`);
  }
  return remove;
}

/** Whether `sourceId` is published after the run under `slug`. */
async function publishedNow(
  index: SiteIndex,
  catalog: CatalogLookup,
  events: ReadonlyMap<string, Visibility>,
  sourceId: string,
  slug: string,
): Promise<boolean> {
  const seen = events.get(sourceId);
  if (seen) return seen.next !== null && seen.next.slug === slug;
  await catalog.ensure([sourceId]);
  const entry = catalog.get(sourceId);
  if (!isLive(entry) || entry.slug !== slug) return false;
  await index.ids.ensure([entry.id]);
  await catalog.ensure(index.ids.get(entry.id) ?? []);
  return winner(index.ids.get(entry.id) ?? [], (s) => catalog.get(s))?.sourceId === sourceId;
}
