/**
 * Settings → one digest per group of settings that derived state depends on. A run compares them
 * with the digests recorded by the last published run (state-record.ts) and redoes exactly the
 * work that depends on a group that changed:
 *   - `items`: what normalising bakes into every stored item (catalog entry and body): the base
 *     URL (each item's permalink) and the default language, plus ITEMS_VERSION. Changed → every
 *     item is normalised again (a complete gather), then as for `documents`.
 *   - `documents`: everything a renderer reads besides items: site title, description, base URL,
 *     language, TTL, feed size, archive page size, `?limit` variants, WebSub hubs, RENDER_VERSION.
 *     Changed → every document is planned; publish then re-renders only those whose own input
 *     digest (recorded with each manifest entry, render/planned-document.ts) differs: all of them
 *     for a new base URL, only the `?limit` variants and the pages that link them for `feedLimits`.
 *
 * Must not: read storage, the clock or the environment. New settings that reach a renderer or the
 * stored items must be added to the matching group here (tests/core/state/settings-digest.test.ts
 * lists the fields).
 */

import { sha256Hex } from '../digest/hash.ts';
import type { SiteInfo } from '../model.ts';
import { RENDER_VERSION } from '../render/planned-document.ts';
import { ITEMS_VERSION } from './state-layout.ts';

export interface SettingsDigests {
  readonly items: string;
  readonly documents: string;
}

export interface DigestedSettings {
  readonly site: SiteInfo;
  readonly feedSize: number;
  /** With the defaults applied (build-documents.ts DEFAULT_SYNDICATION). */
  readonly syndication: {
    readonly archivePageSize: number;
    readonly feedLimits: readonly number[];
    readonly hubs: readonly string[];
  };
}

/** Field order is fixed here: a digest must not change because an object was built differently. */
export async function settingsDigests(settings: DigestedSettings): Promise<SettingsDigests> {
  const { site, feedSize, syndication } = settings;
  const items = ['items', ITEMS_VERSION, site.baseUrl, site.language];
  const documents = [
    'documents',
    RENDER_VERSION,
    site.title,
    site.description,
    site.baseUrl,
    site.language,
    site.ttlMinutes,
    feedSize,
    syndication.archivePageSize,
    [...syndication.feedLimits],
    [...syndication.hubs],
  ];
  return {
    items: (await sha256Hex(JSON.stringify(items))).slice(0, 32),
    documents: (await sha256Hex(JSON.stringify(documents))).slice(0, 32),
  };
}
