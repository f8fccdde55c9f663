/**
 * The plan step of a regeneration: which documents this run publishes, planned, not rendered
 * (publish renders only documents whose inputs changed). A complete plan rebuilds the site index
 * from the whole catalog (frozen archive pages keep their boundaries: frozen-pages.ts) and plans
 * every document; an incremental one updates the index in place (index-changes.ts) and plans only
 * the documents those changes name, from the index ranges they list (plan/site-view.ts).
 *
 * Must not: commit the site index or the catalog (commit-state.ts saves them), or render.
 */

import type { Storage } from '../../ports/storage.ts';
import { IO_CONCURRENCY, mapConcurrent } from '../concurrency/map-concurrent.ts';
import { DEFAULT_SYNDICATION, planSite, planSiteView } from '../plan/build-documents.ts';
import { loadSiteView, windowUpdated } from '../plan/site-view.ts';
import type { ItemSource } from '../render/item-source.ts';
import { itemPlace, type PlannedDocument } from '../render/planned-document.ts';
import { emptySiteUpdated } from '../state/emptied-at.ts';
import type { FrozenPage } from '../state/frozen-pages.ts';
import { applyIndexChanges, type IndexChanges } from '../state/index-changes.ts';
import { createBodyLoader } from '../state/item-bodies.ts';
import type { CatalogEntry } from '../state/item-catalog.ts';
import { orderEntries } from '../state/item-order.ts';
import { createLedgerRecovery, type LedgerRecovery, readPublishedFeeds } from '../state/ledger-recovery.ts';
import { createTopicNamer } from '../state/scope-labels.ts';
import type { ScopeMember } from '../state/scope-list.ts';
import { buildSiteIndex, loadSiteIndex, type SiteIndex } from '../state/site-index.ts';
import type { RegenerateDeps, RegenerateOptions, RunStart } from './run-types.ts';

export interface RunPlan {
  readonly siteIndex: SiteIndex;
  /** What the incremental plan changed in the index; null: a complete plan. */
  readonly changes: IndexChanges | null;
  readonly documents: PlannedDocument[];
  readonly itemCount: number;
  /** When the site was emptied, while it has no item (recorded in state.json after the swap). */
  readonly emptiedAt: string | null;
}

/** The `updated` of the site when it has no item (emptied-at.ts); null when it has items. */
async function emptiedAt(
  deps: RegenerateDeps,
  run: RunStart,
  itemCount: number,
  started: Date,
): Promise<string | null> {
  return itemCount > 0 ? null : await emptySiteUpdated(run.inputs.emptiedAt, deps.published, started);
}

/**
 * Each scope's frozen archive page boundaries for a site index rebuilt from the catalog: the
 * replaced index's; for a scope whose keys object is lost or damaged, or when the whole index is
 * (a lost or unreadable `site-index/`), the boundaries the published archive pages show
 * (ledger-recovery.ts), so a lost cache never re-pages what readers already have. Nothing
 * published: none (the archive is paged by position).
 */
async function frozenBoundaries(
  replaced: SiteIndex | null,
  entries: readonly CatalogEntry[],
  recovery: LedgerRecovery | null,
  deps: Pick<RegenerateDeps, 'published' | 'logger'>,
): Promise<Map<string, FrozenPage[]>> {
  const out = new Map<string, FrozenPage[]>();
  const unreadable = new Set<string>();
  await mapConcurrent([...(replaced?.scopes ?? [])], IO_CONCURRENCY, async ([key, scope]) => {
    try {
      out.set(key, await scope.frozenPages());
    } catch {
      unreadable.add(key);
    }
  });
  if (replaced !== null && unreadable.size === 0) return out;
  if (unreadable.size > 0)
    deps.logger.warn('frozen archive pages unreadable; taking them from the published archive', {
      scopes: unreadable.size,
    });
  let published = recovery;
  if (published === null) {
    const feeds = await readPublishedFeeds(deps.published);
    if (feeds === null) return out;
    published = createLedgerRecovery(async () => feeds, deps.logger);
  }
  for (const [scope, pages] of await published.frozenPages(entries))
    if (replaced === null || unreadable.has(scope)) out.set(scope, pages);
  return out;
}

/** Scope members as planning sees them: the digest names the item; bodies load on render. */
function catalogItems(state: Storage): ItemSource<ScopeMember> {
  const load = createBodyLoader(state);
  return { inputsOf: (entry) => entry.digest, placeOf: itemPlace, updatedOf: (entry) => entry.updated, load };
}

/** Every document, the site index rebuilt from the whole catalog. */
async function planComplete(
  deps: RegenerateDeps,
  options: RegenerateOptions,
  run: RunStart,
  started: Date,
): Promise<RunPlan> {
  const syndication = { ...DEFAULT_SYNDICATION, ...options.syndication };
  const { catalog, index } = run;
  const all = [...catalog.entries()];
  const current = orderEntries(all);
  // Frozen archive pages keep their boundaries through a complete run (frozen-pages.ts).
  const replaced = index ?? (await loadSiteIndex(deps.state).catch(() => null));
  const previous = await frozenBoundaries(replaced, all, run.recovery, deps);
  const paging = { feedSize: options.feedSize, pageSize: syndication.archivePageSize };
  const built = await buildSiteIndex(deps.state, all, createTopicNamer(), paging, previous);
  const emptied = await emptiedAt(deps, run, current.length, started);
  const documents = planSite<CatalogEntry>(
    {
      site: options.site,
      items: current,
      updated: windowUpdated(current, options.feedSize, emptied ?? ''),
      source: catalogItems(deps.state),
      item: (entry) => entry,
      frozen: (basePath) => built.scopes.get(basePath)?.frozenCounts() ?? [],
    },
    options.feedSize,
    options.syndication,
  );
  return { siteIndex: built, changes: null, documents, itemCount: current.length, emptiedAt: emptied };
}

/** The documents the index changes name, the index updated in place. */
async function planChanges(
  deps: RegenerateDeps,
  options: RegenerateOptions,
  run: RunStart,
  index: SiteIndex,
  before: ReadonlyMap<string, CatalogEntry | null>,
  started: Date,
): Promise<RunPlan> {
  const syndication = { ...DEFAULT_SYNDICATION, ...options.syndication };
  const changes = await applyIndexChanges(index, before, run.catalog, createTopicNamer(), {
    feedSize: options.feedSize,
    archivePageSize: syndication.archivePageSize,
    feedLimits: syndication.feedLimits,
  });
  const itemCount = index.scopes.get('')?.list.count ?? 0;
  const emptied = await emptiedAt(deps, run, itemCount, started);
  const view = await loadSiteView(index, changes, {
    site: options.site,
    feedSize: options.feedSize,
    archivePageSize: syndication.archivePageSize,
    source: catalogItems(deps.state),
    fallbackUpdated: emptied ?? '',
  });
  const documents = planSiteView(view, options.feedSize, options.syndication);
  return { siteIndex: index, changes, documents, itemCount, emptiedAt: emptied };
}

/** Plans this run's documents: complete or incremental (see the header). */
export async function planRun(
  deps: RegenerateDeps,
  options: RegenerateOptions,
  run: RunStart,
  before: ReadonlyMap<string, CatalogEntry | null>,
  /** The run's start: an empty site's `updated` when it has none recorded (emptied-at.ts). */
  started: Date,
): Promise<RunPlan> {
  if (run.planAll || run.index === null) return await planComplete(deps, options, run, started);
  return await planChanges(deps, options, run, run.index, before, started);
}
