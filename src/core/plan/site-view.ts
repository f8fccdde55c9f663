/**
 * The site as an incremental run plans it (build-documents.ts SiteView), read from the site
 * index: every topic with its label and count (the home page and OPML list them all), and for
 * the scopes index-changes.ts selected, only the ranges their planned documents list — the
 * current window and the selected archive pages. A slice outside those ranges throws: it would
 * mean planning reads items it did not load (a bug, never silently wrong output).
 *
 * Must not: read the clock; load chunks of scopes or pages that are not planned.
 */

import type { SiteInfo } from '../model.ts';
import type { ItemList, ItemSource } from '../render/item-source.ts';
import type { IndexChanges } from '../state/index-changes.ts';
import type { ScopeMember } from '../state/scope-list.ts';
import type { ScopeState, SiteIndex } from '../state/site-index.ts';
import { archivePageCount, archivePageSpan } from '../syndicate/plan-archive.ts';
import { majoritySpelling } from '../syndicate/select-topics.ts';
import type { SiteView, TopicView } from './build-documents.ts';

/** The newest `updated` among the current window (the first `feedSize` items), or `fallback`. */
export function windowUpdated<T extends { readonly updated: string }>(
  items: ItemList<T>,
  feedSize: number,
  fallback: string,
): string {
  let newest: string | null = null;
  for (const item of items.slice(0, feedSize))
    if (newest === null || item.updated > newest) newest = item.updated;
  return newest ?? fallback;
}

class PartialList<T> implements ItemList<T> {
  constructor(
    readonly length: number,
    private readonly ranges: readonly { readonly start: number; readonly items: readonly T[] }[],
  ) {}

  slice(start = 0, end = this.length): readonly T[] {
    const from = Math.max(0, Math.min(start, this.length));
    const to = Math.max(from, Math.min(end, this.length));
    if (from === to) return [];
    for (const range of this.ranges) {
      if (range.start <= from && range.start + range.items.length >= to) {
        return range.items.slice(from - range.start, to - range.start);
      }
    }
    throw new Error(`planning read items ${from}–${to} of a scope outside the ranges loaded for it`);
  }
}

export interface SiteViewInput {
  readonly site: SiteInfo;
  readonly feedSize: number;
  readonly archivePageSize: number;
  readonly source: ItemSource<ScopeMember>;
  /** `updated` when the site has no item. */
  readonly fallbackUpdated: string;
}

function frozenOf(scope: ScopeState): { frozen?: readonly number[] } {
  const frozen = scope.frozenCounts();
  return frozen.length > 0 ? { frozen } : {};
}

/** Loads the ranges the selected scopes' documents list; the rest of the view is counts. */
export async function loadSiteView(
  index: SiteIndex,
  changes: IndexChanges,
  input: SiteViewInput,
): Promise<SiteView<ScopeMember>> {
  const { feedSize, archivePageSize: pageSize } = input;
  const lists = new Map<string, ItemList<ScopeMember>>();
  const load = async (key: string, pages: ((page: number) => boolean) | null): Promise<void> => {
    const scope = index.scopes.get(key);
    const count = scope?.list.count ?? 0;
    if (!scope || count === 0) {
      lists.set(key, []);
      return;
    }
    const wanted: [number, number][] = [[0, Math.min(feedSize, count)]];
    if (pages) {
      const frozen = scope.frozenCounts();
      for (let n = 1; n <= archivePageCount(count, feedSize, pageSize, frozen); n++) {
        if (pages(n)) wanted.push(archivePageSpan(n, count, feedSize, pageSize, frozen));
      }
    }
    // Adjacent or overlapping ranges load as one.
    wanted.sort((a, b) => a[0] - b[0]);
    const merged: [number, number][] = [];
    for (const [start, end] of wanted) {
      const last = merged[merged.length - 1];
      if (last && start <= last[1]) last[1] = Math.max(last[1], end);
      else merged.push([start, end]);
    }
    const ranges = await Promise.all(
      merged.map(async ([start, end]) => ({ start, items: await scope.list.range(start, end) })),
    );
    lists.set(key, new PartialList(count, ranges));
  };
  await Promise.all([
    load('', changes.pages.get('') ?? null),
    ...[...changes.pages].filter(([key]) => key !== '').map(([key, pages]) => load(key, pages)),
  ]);
  const topics = (prefix: string): TopicView<ScopeMember>[] => {
    const out: TopicView<ScopeMember>[] = [];
    for (const [key, scope] of index.scopes) {
      if (!key.startsWith(prefix)) continue;
      const count = scope.list.count;
      out.push({
        slug: key.slice(prefix.length),
        label: majoritySpelling(scope.spellings),
        items: lists.get(key) ?? new PartialList(count, []),
        ...frozenOf(scope),
      });
    }
    return out.sort((a, b) => (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0));
  };
  const items = lists.get('') ?? [];
  const site = index.scopes.get('');
  return {
    site: input.site,
    items,
    ...(site ? frozenOf(site) : {}),
    updated: windowUpdated(items, feedSize, input.fallbackUpdated),
    source: input.source,
    tags: topics('/tags/'),
    publishers: topics('/publishers/'),
    articles: changes.articles.map((entry) => ({ entry, fields: entry })),
    scopes: (basePath) => changes.pages.get(basePath) ?? null,
  };
}
