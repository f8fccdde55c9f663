/**
 * One regeneration: load → clean → normalise → render → publish, then the build status.
 * Orchestration only: every rule lives in the stage it belongs to.
 *
 * Guarantees: a file that fails is reported and skipped, the others are published; a run
 * that fails before the manifest swap leaves the last good feeds untouched; ids and
 * first-seen dates are written to the state store before publishing, so a crash can never
 * make a published date move.
 * Must not: read the clock other than through `deps.clock` (once per run), or import a driver.
 */

import type { Clock } from '../../ports/clock.ts';
import type { Compressor } from '../../ports/compressor.ts';
import type { Logger } from '../../ports/logger.ts';
import type { Storage } from '../../ports/storage.ts';
import type { FeedItem, SiteInfo } from '../model.ts';
import { advanceItemRecord, type ItemRecord, parseItemRecord } from '../normalise/item-record.ts';
import { makeSlug, withSuffix } from '../normalise/make-slug.ts';
import { composeItemContent, hashItemContent, toFeedItem } from '../normalise/to-feed-item.ts';
import { assembleFeed } from './assemble-feed.ts';
import { buildDocuments } from './build-documents.ts';
import { type BuildStatus, readBuildStatus, writeBuildStatus } from './build-status.ts';
import { cleanCorpus } from './clean-corpus.ts';
import { type ContentFailure, collectContent } from './collect-content.ts';
import { sha256Hex } from './hash.ts';
import { publishDocuments } from './publish.ts';

export interface RegenerateDeps {
  /** Source articles (content/). */
  readonly content: Storage;
  /** Published documents and their manifest (feeds/). */
  readonly published: Storage;
  /** Ledger of ids, dates and hashes. */
  readonly state: Storage;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly compressor: Compressor;
}

export interface RegenerateOptions {
  readonly site: SiteInfo;
  readonly feedSize: number;
}

export interface BuildReport {
  readonly ok: boolean;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly itemCount: number;
  readonly added: readonly string[];
  readonly updated: readonly string[];
  readonly unchanged: number;
  readonly failed: readonly ContentFailure[];
  readonly skipped: readonly ContentFailure[];
  readonly changedDocuments: readonly string[];
  readonly removedDocuments: readonly string[];
  readonly warnings: number;
  readonly error?: string;
}

const RECORD_PREFIX = 'items/';

async function recordKey(sourceId: string): Promise<string> {
  return `${RECORD_PREFIX}${(await sha256Hex(sourceId)).slice(0, 32)}.json`;
}

async function readRecord(state: Storage, key: string, logger: Logger): Promise<ItemRecord | null> {
  const object = await state.get(key);
  if (!object) return null;
  const record = parseItemRecord(new TextDecoder().decode(object.body));
  if (!record) logger.warn('corrupt item record ignored', { key });
  return record;
}

export async function regenerate(deps: RegenerateDeps, options: RegenerateOptions): Promise<BuildReport> {
  const { clock, logger, state } = deps;
  const started = clock.now();
  const startedAt = started.toISOString();
  const previousStatus = await readBuildStatus(deps.published).catch(() => null);
  const added: string[] = [];
  const updated: string[] = [];
  let unchanged = 0;
  let failed: ContentFailure[] = [];
  let skipped: readonly ContentFailure[] = [];
  let items: FeedItem[] = [];
  try {
    const collected = await collectContent(deps.content, logger);
    skipped = collected.skipped;
    const cleaned = cleanCorpus(collected.documents, options.site.language);
    failed = [...collected.failures, ...cleaned.failures];

    const slugsTaken = new Set<string>();
    let newInThisRun = 0;
    for (const clean of cleaned.documents) {
      const content = composeItemContent(clean, options.site);
      const key = await recordKey(clean.raw.sourceId);
      const previous = await readRecord(state, key, logger);
      const slug = previous?.slug ?? withSuffix(makeSlug(clean.raw.sourceId), slugsTaken);
      slugsTaken.add(slug);
      const record = await advanceItemRecord(
        previous,
        {
          sourceId: clean.raw.sourceId,
          identityKey: clean.metadata.id ?? clean.metadata.url ?? clean.raw.sourceId,
          slug,
          contentHash: await hashItemContent(content),
        },
        // Items first seen in one run are spaced one second apart, in source order, so each
        // has its own timestamp (W3C feedvalidator flags identical atom:updated values and
        // readers need a stable order). Recorded once, these dates never move again.
        previous ? started : new Date(started.getTime() - 1000 * newInThisRun++),
      );
      if (record !== previous) {
        await state.put(key, new TextEncoder().encode(`${JSON.stringify(record)}\n`));
        (previous ? updated : added).push(clean.raw.sourceId);
      } else {
        unchanged++;
      }
      items.push(toFeedItem(content, record, options.site));
    }

    const feed = assembleFeed(items, options.site, startedAt);
    items = [...feed.items];
    const documents = buildDocuments(feed, options.feedSize);
    const published = await publishDocuments(documents, { ...deps, storage: deps.published });
    const warnings = items.reduce((sum, item) => sum + item.warnings.length, 0);
    const durationMs = clock.now().getTime() - started.getTime();
    const status: BuildStatus = {
      lastAttemptAt: startedAt,
      lastSuccessAt: startedAt,
      itemCount: items.length,
      durationMs,
      errors: failed.map((f) => ({ source: f.sourceId, message: f.message })),
      warnings,
    };
    await writeBuildStatus(deps.published, status);
    logger.info('build published', {
      items: items.length,
      added: added.length,
      updated: updated.length,
      failed: failed.length,
      changedDocuments: published.changed.length,
      ms: durationMs,
    });
    return {
      ok: true,
      startedAt,
      durationMs,
      itemCount: items.length,
      added,
      updated,
      unchanged,
      failed,
      skipped,
      changedDocuments: published.changed,
      removedDocuments: published.removed,
      warnings,
    };
  } catch (error) {
    const message = (error as Error).message;
    const durationMs = clock.now().getTime() - started.getTime();
    logger.error('build failed; the last good feeds stay published', { error: message });
    await writeBuildStatus(deps.published, {
      lastAttemptAt: startedAt,
      lastSuccessAt: previousStatus?.lastSuccessAt ?? null,
      itemCount: previousStatus?.itemCount ?? 0,
      durationMs,
      errors: [
        { message: `build failed: ${message}` },
        ...failed.map((f) => ({ source: f.sourceId, message: f.message })),
      ],
      warnings: previousStatus?.warnings ?? 0,
    }).catch((statusError: unknown) =>
      logger.error('could not record the failed build', { error: (statusError as Error).message }),
    );
    return {
      ok: false,
      startedAt,
      durationMs,
      itemCount: 0,
      added,
      updated,
      unchanged,
      failed,
      skipped,
      changedDocuments: [],
      removedDocuments: [],
      warnings: 0,
      error: message,
    };
  }
}
