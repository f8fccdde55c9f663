/**
 * Before a run: which of the inputs that the incremental machinery does not follow itself have
 * changed since the last published run — the settings (settings-digest.ts), the published output
 * (its manifest root, and on runs without a change hint every object the manifest names), and
 * the state store itself (a lost item ledger). After the swap: the record of what was published.
 *
 * Answers: `planAll` (plan every document; publish re-renders those whose input digest differs),
 * `renormalise` (the items settings changed: every item is normalised again), `damaged` (keys of
 * the live publication to rewrite), `recovery` (without state.json, while a site is published:
 * the records of files without one come from the published feeds, ledger-recovery.ts). Throws
 * LostStateError when the item ledger is gone, a site is published and its feeds cannot be read:
 * the next build would reissue every first-seen date (never silently).
 *
 * Cost on a hinted run (`--changed`, the watcher): two small reads (state.json, the manifest
 * root) and one small write (state.json). When planning everything, and on a run without a hint
 * once `publishedCheckEveryMs` has passed since the last check (PUBLISHED_CHECK_EVERY_MS, an hour:
 * the check lists the whole published store, about six objects per route — seconds at 10,000
 * articles, a minute at 100,000 — too much for every cron run): plus one listing of the published
 * store and every manifest shard, and a read of each published object modified since the last
 * check (verify-published.ts: same-size damage).
 * Must not: decide how documents are planned or published (regenerate.ts, publish.ts).
 */
import type { Clock } from '../../ports/clock.ts';
import type { Logger } from '../../ports/logger.ts';
import type { Storage } from '../../ports/storage.ts';
import { type ManifestRoot, serializeManifestRoot } from '../publish/manifest.ts';
import { checkPublished, PUBLISHED_CHECK_EVERY_MS } from '../publish/verify-published.ts';
import { createBodyLoader } from './item-bodies.ts';
import { createLedgerRecovery, type LedgerRecovery, readPublishedFeeds } from './ledger-recovery.ts';
import type { SettingsDigests } from './settings-digest.ts';
import { loadSiteIndex } from './site-index.ts';
import { ITEM_LEDGER_PREFIX } from './state-layout.ts';
import {
  publishedRootDigest,
  readStateRecord,
  rootDigest,
  STATE_RECORD_KEY,
  stateRecordBytes,
} from './state-record.ts';

export interface DerivedInputs {
  readonly planAll: boolean;
  readonly renormalise: boolean;
  readonly damaged: ReadonlySet<string>;
  /** When the published files were last checked (now, if this run checked them); for state.json. */
  readonly checkedAt: number | null;
  /** Records for files without one, from the published feeds: set when state.json is missing. */
  readonly recovery: LedgerRecovery | null;
  /** When the published site was emptied, as recorded (emptied-at.ts); null: not recorded. */
  readonly emptiedAt: string | null;
}

interface InputDeps {
  readonly state: Storage;
  readonly published: Storage;
  readonly logger: Logger;
  readonly clock: Clock;
}

/** The item ledger is gone and cannot be rebuilt from the published feeds (docs/derived-state.md). */
export class LostStateError extends Error {
  override readonly name = 'LostStateError';
}

export async function checkDerivedInputs(
  deps: InputDeps,
  options: {
    readonly changedKeys?: readonly string[];
    readonly full?: boolean;
    readonly baseUrl: string;
    /** How often a run without a hint checks every published file (default: an hour). */
    readonly publishedCheckEveryMs?: number;
  },
  digests: SettingsDigests,
): Promise<DerivedInputs> {
  const { state, published, logger } = deps;
  const record = await readStateRecord(state);
  const root = await publishedRootDigest(published);
  let recovery: LedgerRecovery | null = null;
  if (record === null && root !== null) {
    // No record: state from an earlier release, state lost, or a run that died recovering it.
    // Files without an item record take theirs from the published feeds (ledger-recovery.ts).
    if ((await state.list(ITEM_LEDGER_PREFIX)).length === 0) {
      // The whole ledger is gone: read the published items now, stop if they cannot be read.
      const items = await readPublishedFeeds(published);
      if (items === null && options.full !== true) {
        throw new LostStateError(
          'the state store holds no item ledger (items/), but a site is published and its feeds cannot ' +
            'be read to rebuild it: building now would give every article a new first-seen date. Restore ' +
            'the state folder (e.g. feeds/.state) from a backup, or run `kiosque build --full` to start a ' +
            'new ledger on purpose',
        );
      }
      if (items !== null) {
        logger.warn('the item ledger (items/) is gone: rebuilding it from the published feeds');
        recovery = createLedgerRecovery(async () => items, logger);
      }
    } else {
      recovery = createLedgerRecovery(() => readPublishedFeeds(published), logger);
    }
  }
  const renormalise = record !== null && record.settings.items !== digests.items;
  // A record from an earlier release is missing: trust nothing (one complete run).
  const settingsChanged = record === null || record.settings.documents !== digests.documents;
  const outputChanged = record !== null && record.publishedRoot !== root;
  if (renormalise)
    logger.info(
      'item settings changed since the last build (base URL, language): every item is normalised again',
    );
  else if (settingsChanged && record !== null)
    logger.info('settings changed since the last build: every document is planned');
  if (outputChanged)
    logger.warn('the published output is not the one the last build left: every document is planned');
  let damaged: ReadonlySet<string> = new Set();
  let planAll = settingsChanged || renormalise || outputChanged;
  const now = deps.clock.now().getTime();
  const every = options.publishedCheckEveryMs ?? PUBLISHED_CHECK_EVERY_MS;
  const due = record?.checkedAt == null || now - record.checkedAt >= every || now < record.checkedAt;
  // Nothing published yet: this run writes every file, so it counts as checked.
  let checkedAt = root === null ? now : (record?.checkedAt ?? null);
  if (root !== null && (planAll || (options.changedKeys === undefined && due))) {
    // Objects modified since the last check are hashed too (same-size damage).
    const check = await checkPublished(published, { since: record?.checkedAt ?? null });
    if (check?.whole) checkedAt = now;
    // An unreadable root or shard: planning everything lets publish rebuild it.
    if (check === null || !check.whole) planAll = true;
    if (check !== null && check.damaged.size > 0) {
      logger.warn('published files are missing or damaged: republishing them', {
        keys: check.damaged.size,
        routes: check.routes,
      });
      damaged = check.damaged;
      planAll = true;
    }
  }
  // No record (state from an earlier release): the items need normalising again only if they do
  // not carry this base URL (the default language is followed by the content index itself).
  const unknownItems = record === null && !(await itemsCarry(state, options.baseUrl));
  const emptiedAt = record?.emptiedAt ?? null;
  return { planAll, renormalise: renormalise || unknownItems, damaged, checkedAt, recovery, emptiedAt };
}

/** Whether the stored items carry this base URL: one index head, one chunk and one body read. */
async function itemsCarry(state: Storage, baseUrl: string): Promise<boolean> {
  try {
    const index = await loadSiteIndex(state);
    const [newest] = (await index?.scopes.get('')?.list.range(0, 1)) ?? [];
    if (!newest) return false;
    const [item] = await createBodyLoader(state)([newest]);
    return item !== undefined && item.url === `${baseUrl}/articles/${item.slug}`;
  } catch {
    return false;
  }
}

/** After the manifest swap: the settings the published documents carry, and the root they hang from. */
export async function writeStateRecord(
  state: Storage,
  settings: SettingsDigests,
  /** The root publish just wrote (serialized as publish wrote it: no read needed). */
  root: ManifestRoot,
  /** When the published files were last checked (DerivedInputs.checkedAt). */
  checkedAt: number | null,
  /** When the site was emptied, while it has no item (RunPlan.emptiedAt). */
  emptiedAt: string | null,
): Promise<void> {
  const publishedRoot = await rootDigest(serializeManifestRoot(root));
  await state.put(STATE_RECORD_KEY, stateRecordBytes({ settings, publishedRoot, checkedAt, emptiedAt }));
}
