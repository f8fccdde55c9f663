/**
 * The first steps of a regeneration: read the state the run starts from (pending note, derived
 * inputs, stored site index, item catalog) and decide how much it redoes (plan every document,
 * re-gather every file); then gather what changed.
 *
 * Planned in full (every document, the site index rebuilt from the whole catalog): the first
 * run, `full`, a missing or outdated index, a previous run that died before its swap, changed
 * settings, or a published output that is not the one the last run left (none at all, too:
 * new, or emptied while the state was kept; an incremental plan would patch only what changed
 * into an empty manifest and publish a site without feeds).
 *
 * Must not: write state or publish anything; read the clock.
 */

import type { Storage } from '../../ports/storage.ts';
import { readHeldDuplicates } from '../normalise/id-claims.ts';
import { type Gathered, gatherDocuments } from '../sources/gather-documents.ts';
import { checkDerivedInputs } from '../state/derived-inputs.ts';
import { type ItemCatalog, openCatalog } from '../state/item-catalog.ts';
import { orderEntries } from '../state/item-order.ts';
import { readPending } from '../state/pending-note.ts';
import type { SettingsDigests } from '../state/settings-digest.ts';
import { loadSiteIndex, lostFrozenObjects, type SiteIndex } from '../state/site-index.ts';
import type { RegenerateDeps, RegenerateOptions, RunStart } from './run-types.ts';

/** Catalog entries that are published (held-back items have no digest). */
export function countPublished(catalog: ItemCatalog): number {
  let count = 0;
  for (const entry of catalog.entries()) if (entry.digest) count++;
  return count;
}

/** Whether the (fully loaded) catalog holds fewer live items than the stored site index lists. */
async function catalogLostItems(state: Storage, catalog: ItemCatalog): Promise<boolean> {
  const stored = await loadSiteIndex(state).catch(() => null);
  const listed = stored?.scopes.get('')?.list.count;
  return listed !== undefined && orderEntries(catalog.entries()).length < listed;
}

/**
 * The stored index an incremental run may update, or null (a complete plan rebuilds it): a head
 * without the census of its shards (an earlier release), or naming a frozen-page object that is
 * gone. The rebuild keeps the other frozen pages and takes the lost ones from the published
 * archive pages (plan-run.ts), so the state holds them again. Only runs without a hint (a stat
 * scan, which lists every content file anyway) list the objects: a hinted run lists nothing.
 */
async function usableIndex(
  deps: RegenerateDeps,
  stored: SiteIndex | null,
  hinted: boolean,
): Promise<SiteIndex | null> {
  if (stored === null || stored.checked === false) return null;
  if (hinted) return stored;
  const lost = await lostFrozenObjects(deps.state, stored);
  if (lost === 0) return stored;
  deps.logger.warn('frozen archive page objects lost; rebuilding the site index', { objects: lost });
  return null;
}

/** Reads the state the run starts from and decides whether it plans and gathers everything. */
export async function openRun(
  deps: RegenerateDeps,
  options: RegenerateOptions,
  digests: SettingsDigests,
): Promise<RunStart> {
  const { logger, state } = deps;
  const catalog: ItemCatalog = openCatalog(state, logger);
  const pending = await readPending(state);
  if (pending !== null) logger.warn('the previous run died before publishing; this run plans every document');
  // Settings and the published output are inputs too (docs/derived-state.md).
  const inputs = await checkDerivedInputs(deps, { ...options, baseUrl: options.site.baseUrl }, digests);
  const stored =
    options.full === true || options.complete === true || pending !== null || inputs.planAll
      ? null
      : await loadSiteIndex(state);
  const index = await usableIndex(deps, stored, options.changedKeys !== undefined);
  const planAll = index === null;
  if (planAll) await catalog.ensureAll();
  const publishedBefore = planAll ? countPublished(catalog) : (index?.scopes.get('')?.list.count ?? 0);
  // Re-gathered in full as well: nothing to trust, a damaged catalog, or a dead complete run.
  let complete =
    options.full === true ||
    options.complete === true ||
    (planAll && (catalog.size === 0 || catalog.damaged > 0)) ||
    pending === 'unreadable' ||
    pending?.complete === true ||
    inputs.renormalise;
  // A catalog shard lost reads as empty: its items would silently go. The catalog's own census
  // (item-catalog.ts) counts it as damaged above; the count against the index it was built
  // with finds that too, before anything is planned (the run then re-gathers).
  if (planAll && !complete && (await catalogLostItems(state, catalog))) {
    logger.warn('the item catalog lost entries the site index lists; re-reading every file');
    complete = true;
  }
  return { catalog, pending, inputs, index, planAll, publishedBefore, complete, recovery: inputs.recovery };
}

/** Gathers the documents that may have changed (every one when the run is complete). */
export async function gatherChanges(
  deps: RegenerateDeps,
  options: RegenerateOptions,
  run: RunStart,
): Promise<Gathered> {
  const { complete } = run;
  return await gatherDocuments(deps, {
    defaultLanguage: options.site.language,
    ...(options.sources ? { sources: options.sources } : {}),
    ...(options.retentionDays !== undefined ? { retentionDays: options.retentionDays } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    // Files held back for a duplicate id are read again: the hint may name only their holder.
    ...(options.changedKeys && !complete
      ? { changedKeys: [...options.changedKeys, ...(await readHeldDuplicates(deps.state))] }
      : {}),
    ...(complete ? { full: true } : {}),
  });
}

/** The gather may decide on a complete rebuild itself (cleaner version changed, no index). */
export async function adoptCompleteGather(run: RunStart, gathered: Gathered): Promise<void> {
  if (gathered.complete && !run.planAll) {
    run.planAll = true;
    await run.catalog.ensureAll();
    run.publishedBefore = countPublished(run.catalog);
  }
}
