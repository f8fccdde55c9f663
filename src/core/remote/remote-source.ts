/**
 * The remote sources a publisher lists in config: an upstream feed (each entry fetched in full,
 * cleaned and republished) or a single article URL. Plain data; `src/config.ts` validates it.
 *
 * Must not: hold behaviour or fetch anything. Defaults: DEFAULT_FEED_LIMIT, DEFAULT_RETENTION_DAYS.
 */

export type RemoteSourceType = 'feed' | 'article';

export interface RemoteSource {
  readonly type: RemoteSourceType;
  /** Absolute http(s) URL of the upstream feed or the article page. */
  readonly url: string;
  /** Short label used in reports and as the cleaner's "source" (shared chrome); defaults to the host. */
  readonly name?: string;
  /** Tags added to every item of this source. */
  readonly tags?: readonly string[];
  /** Most recent entries taken from a feed (ignored for `article`). */
  readonly limit?: number;
}

/** Entries taken per feed when `limit` is absent: enough for a busy site's day, polite on fetches. */
export const DEFAULT_FEED_LIMIT = 20;

/** How long an item that vanished upstream (or keeps failing) stays published from its last good copy. */
export const DEFAULT_RETENTION_DAYS = 30;

/** The label a source goes by in reports: its name, else its host. */
export function sourceLabel(source: RemoteSource): string {
  if (source.name) return source.name;
  try {
    return new URL(source.url).host;
  } catch {
    return source.url;
  }
}
