/**
 * What an incremental run must plan: the items it touched (their catalog entries before and
 * after) → which scopes (the site, tags, publishers) and which of their archive pages can have
 * changed, which permalink pages, and which routes disappear. Everything else stays published as
 * it is (publish.ts `patch`), so a run that edits one article of 100,000 plans a few dozen
 * documents.
 *
 * A scope's archive pages are numbered from its oldest item, so a page can change only if
 *   - its members changed: every page from the first (oldest-first) position where the old and
 *     new member lists differ, onwards;
 *   - one of its items changed content (same position, new digest);
 *   - the page count changed (the previous newest page gains `next-archive` and may become
 *     immutable; when the count shrinks, the new newest page loses them);
 *   - the scope's label changed (it is in every page's title).
 * Planning more than needed is safe (publish compares input digests and skips equal ones);
 * planning less would serve stale bytes, so each rule above is tested against a full build.
 *
 * Must not: read storage or the clock; render anything.
 */
import { FEED_PATHS } from '../render/feed-links.ts';
import { limitVariantPath } from '../syndicate/limit-query.ts';
import { archivePageCount } from '../syndicate/plan-archive.ts';
import { publishersOf, selectTopics } from '../syndicate/select-topics.ts';
import { topicSlug } from '../syndicate/topic-slug.ts';
import type { SiteSelection } from './build-documents.ts';
import type { CatalogEntry } from './item-catalog.ts';

export interface ChangeSet {
  readonly selection: SiteSelection<CatalogEntry>;
  /** Routes to unpublish. */
  readonly remove: readonly string[];
  /** Scopes that no longer exist: every route under them goes. */
  readonly replacePrefixes: readonly string[];
  /** Scopes planned (for the report and tests). */
  readonly scopes: readonly string[];
}

export interface ChangeOptions {
  readonly feedSize: number;
  readonly archivePageSize: number;
  readonly feedLimits: readonly number[];
}

const FORMAT_PATHS = Object.values(FEED_PATHS);

function isLive(entry: CatalogEntry | null | undefined): entry is CatalogEntry {
  return entry !== null && entry !== undefined && entry.flag?.heldBack !== true;
}

/** Feed order: newest first (published), then id, then source id. */
function compareEntries(a: CatalogEntry, b: CatalogEntry): number {
  if (a.published !== b.published) return a.published < b.published ? 1 : -1;
  if (a.id !== b.id) return a.id < b.id ? -1 : 1;
  return a.sourceId < b.sourceId ? -1 : a.sourceId > b.sourceId ? 1 : 0;
}

/** One entry per id, the first in feed order (two files may claim one explicit id or URL). */
export function dedupeIds(sorted: readonly CatalogEntry[]): CatalogEntry[] {
  const seen = new Set<string>();
  return sorted.filter((entry) => {
    if (seen.has(entry.id)) return false;
    seen.add(entry.id);
    return true;
  });
}

/** Live entries in feed order, duplicates of an id included (selectChanges needs them). */
export function sortEntries(entries: Iterable<CatalogEntry>): CatalogEntry[] {
  return [...entries].filter((entry) => isLive(entry)).sort(compareEntries);
}

/** Newest first (published, then id), one entry per id: the order every feed lists items in. */
export function orderEntries(entries: Iterable<CatalogEntry>): CatalogEntry[] {
  return dedupeIds(sortEntries(entries));
}

/**
 * The order before the run, from the sorted entries after it: the untouched entries keep their
 * relative order, so only the few old versions of touched ones are sorted and merged in.
 */
function previousOrder(
  sorted: readonly CatalogEntry[],
  before: ReadonlyMap<string, CatalogEntry | null>,
  idsUnique: boolean,
): CatalogEntry[] {
  const olds = [...before.values()].filter(isLive).sort(compareEntries);
  // Duplicates can appear only if some id occurs twice: among the sorted entries (idsUnique
  // false), among the old versions, or between an old version and an untouched entry.
  const oldIds = new Set(olds.map((entry) => entry.id));
  let mayRepeat = !idsUnique || oldIds.size !== olds.length;
  if (!mayRepeat) {
    for (const entry of sorted) {
      if (!before.has(entry.sourceId) && oldIds.has(entry.id)) {
        mayRepeat = true;
        break;
      }
    }
  }
  const merged: CatalogEntry[] = [];
  let i = 0;
  for (const entry of sorted) {
    if (before.has(entry.sourceId)) continue;
    while (i < olds.length && compareEntries(olds[i] as CatalogEntry, entry) < 0)
      merged.push(olds[i++] as CatalogEntry);
    merged.push(entry);
  }
  while (i < olds.length) merged.push(olds[i++] as CatalogEntry);
  return mayRepeat ? dedupeIds(merged) : merged;
}

/** Scope base paths an entry belongs to, besides the site. */
function scopesOf(entry: CatalogEntry, slugOf: (label: string) => string): string[] {
  const scopes = entry.tags.map((tag) => `/tags/${slugOf(tag)}`);
  for (const publisher of publishersOf(entry)) scopes.push(`/publishers/${slugOf(publisher)}`);
  return scopes;
}

/** The label a scope's feeds carry (selectTopics' majority rule) over its members. */
function labelOf(basePath: string, members: readonly CatalogEntry[]): string | null {
  if (basePath === '') return null;
  const [kind, slug] = basePath.slice(1).split('/');
  const topics = selectTopics(members, (entry) => (kind === 'tags' ? entry.tags : publishersOf(entry)));
  return topics.find((topic) => topic.slug === slug)?.label ?? null;
}

/**
 * `sorted` = the run's live entries in feed order (sortEntries, duplicates of an id included),
 * `before` = every touched source id → its entry before the run (null: new). Entries not in
 * `before` are unchanged.
 */
export function selectChanges(
  sorted: readonly CatalogEntry[],
  before: ReadonlyMap<string, CatalogEntry | null>,
  now: (sourceId: string) => CatalogEntry | undefined,
  options: ChangeOptions,
): ChangeSet {
  const slugs = new Map<string, string>();
  // Memoised per raw spelling: the pass below looks up every tag of every item.
  const slugOf = (label: string): string => {
    let slug = slugs.get(label);
    if (slug === undefined) {
      slug = topicSlug(label.replace(/\s+/g, ' ').trim());
      slugs.set(label, slug);
    }
    return slug;
  };
  const current = dedupeIds(sorted);
  const previous = previousOrder(sorted, before, current.length === sorted.length);
  const members = new Set(current.map((entry) => entry.sourceId));
  // Untouched entries hidden or revealed by a touched one with the same id (two files claiming
  // one explicit id or URL) change membership too: planned like a touched item.
  const touchedIds = new Set<string>();
  for (const [sourceId, old] of before) {
    if (old) touchedIds.add(old.id);
    const next = now(sourceId);
    if (next) touchedIds.add(next.id);
  }
  const shadowed = new Map<string, CatalogEntry | null>();
  if (touchedIds.size > 0) {
    const wasMember = new Set(
      previous.filter((entry) => touchedIds.has(entry.id)).map((entry) => entry.sourceId),
    );
    for (const entry of sorted) {
      if (before.has(entry.sourceId) || !touchedIds.has(entry.id)) continue;
      const was = wasMember.has(entry.sourceId);
      if (was !== members.has(entry.sourceId)) shadowed.set(entry.sourceId, was ? entry : null);
    }
  }
  const affected = new Set<string>(before.size > 0 ? [''] : []);
  for (const [sourceId, old] of [...before, ...shadowed]) {
    if (isLive(old)) for (const scope of scopesOf(old, slugOf)) affected.add(scope);
    const next = now(sourceId);
    if (isLive(next)) for (const scope of scopesOf(next, slugOf)) affected.add(scope);
  }
  // Members of each affected scope, old and new, in feed order (one pass over each list).
  // Tag and publisher slugs of the affected scopes, so the pass builds no strings per entry.
  const tagScopes = new Map<string, string>();
  const publisherScopes = new Map<string, string>();
  for (const scope of affected) {
    if (scope.startsWith('/tags/')) tagScopes.set(scope.slice('/tags/'.length), scope);
    else if (scope.startsWith('/publishers/')) publisherScopes.set(scope.slice('/publishers/'.length), scope);
  }
  const collect = (list: readonly CatalogEntry[]): Map<string, CatalogEntry[]> => {
    const out = new Map<string, CatalogEntry[]>([...affected].map((scope) => [scope, []]));
    const main = out.get('');
    for (const entry of list) {
      main?.push(entry);
      const seen: string[] = [];
      for (const tag of entry.tags) {
        const scope = tagScopes.get(slugOf(tag));
        if (scope === undefined || seen.includes(scope)) continue;
        seen.push(scope);
        out.get(scope)?.push(entry);
      }
      if (entry.publisher !== undefined) {
        const scope = publisherScopes.get(slugOf(entry.publisher));
        if (scope !== undefined) out.get(scope)?.push(entry);
      }
    }
    return out;
  };
  const oldMembers = collect(previous);
  const newMembers = collect(current);

  const pageFilters = new Map<string, (page: number) => boolean>();
  const remove: string[] = [];
  const replacePrefixes: string[] = [];
  const { feedSize, archivePageSize: pageSize } = options;
  for (const scope of affected) {
    const olds = oldMembers.get(scope) ?? [];
    const news = newMembers.get(scope) ?? [];
    if (news.length === 0 && scope !== '') {
      if (olds.length > 0) replacePrefixes.push(scope);
      continue;
    }
    const oldPages = archivePageCount(olds.length, feedSize, pageSize);
    const newPages = archivePageCount(news.length, feedSize, pageSize);
    const labelChanged = labelOf(scope, olds) !== labelOf(scope, news);
    // Oldest-first walk over the archived items of both lists.
    const oldArchived = Math.max(0, olds.length - feedSize);
    const newArchived = Math.max(0, news.length - feedSize);
    const shared = Math.min(oldArchived, newArchived);
    let firstDiff = Number.POSITIVE_INFINITY;
    const contentPages = new Set<number>();
    for (let k = 0; k < shared; k++) {
      const a = olds[olds.length - 1 - k];
      const b = news[news.length - 1 - k];
      if (a?.id !== b?.id) {
        firstDiff = k;
        break;
      }
      if (a?.digest !== b?.digest) contentPages.add(Math.floor(k / pageSize) + 1);
    }
    if (firstDiff === Number.POSITIVE_INFINITY && oldArchived !== newArchived) firstDiff = shared;
    const fromPage = Math.floor(firstDiff / pageSize) + 1;
    pageFilters.set(
      scope,
      (page) =>
        labelChanged ||
        page >= fromPage ||
        contentPages.has(page) ||
        (oldPages !== newPages && (page === oldPages || page === newPages)),
    );
    for (let page = newPages + 1; page <= oldPages; page++) {
      for (const path of FORMAT_PATHS) remove.push(`${scope}/archive/${page}${path}`);
    }
    const oldCurrent = Math.min(olds.length, feedSize);
    const newCurrent = Math.min(news.length, feedSize);
    for (const limit of options.feedLimits) {
      if (limit < oldCurrent && limit >= newCurrent) {
        for (const path of FORMAT_PATHS) remove.push(limitVariantPath(`${scope}${path}`, limit));
      }
    }
  }
  for (const [sourceId, old] of [...before, ...shadowed]) {
    if (!isLive(old)) continue;
    const next = now(sourceId);
    if (!members.has(sourceId) || !isLive(next) || next.slug !== old.slug)
      remove.push(`/articles/${old.slug}`);
  }
  return {
    selection: {
      scope: (basePath) => pageFilters.get(basePath) ?? null,
      article: (entry) => before.has(entry.sourceId) || shadowed.has(entry.sourceId),
    },
    remove: [...new Set(remove)].filter(
      (path) => !path.startsWith('/articles/') || !currentSlug(current, path),
    ),
    replacePrefixes,
    scopes: [...pageFilters.keys()],
  };
}

/** Whether a removed permalink's slug now belongs to another live item (then it is replaced, not removed). */
function currentSlug(current: readonly CatalogEntry[], path: string): boolean {
  const slug = path.slice('/articles/'.length);
  return current.some((entry) => entry.slug === slug);
}
