/**
 * The `updated` an empty site's feeds, home page and OPML carry: when the site was emptied. The
 * run that empties it takes its own start time (whole seconds); `state.json` records it
 * (`emptiedAt`, state-record.ts) and every later run — incremental or `--full` — reads it from
 * there while the site stays empty, so both publish the same bytes. When the record is lost (or
 * written by a release that did not keep it), the instant is taken back from the published Atom
 * feed's `<updated>` if that feed lists no entry (the site was already empty); only when neither
 * tells is the run's own time taken (docs/derived-state.md).
 *
 * Must not: read the clock (the run's start is passed in) or write anything (the record is
 * written after the manifest swap, publish-run.ts).
 */
import type { Storage } from '../../ports/storage.ts';
import { loadManifest } from '../publish/manifest-store.ts';
import { FEED_PATHS } from '../render/feed-formats.ts';

/** The feed-level `<updated>` of a published Atom feed that lists no entry; null otherwise. */
export async function publishedEmptyUpdated(published: Storage): Promise<string | null> {
  try {
    const key = (await loadManifest(published))?.documents[FEED_PATHS.atom]?.key;
    const stored = key ? await published.get(key) : null;
    if (!stored) return null;
    const text = new TextDecoder().decode(stored.body);
    if (text.includes('<entry')) return null;
    const match = /<updated>([^<]+)<\/updated>/.exec(text);
    const ms = match?.[1] ? Date.parse(match[1]) : Number.NaN;
    return Number.isNaN(ms) ? null : new Date(ms).toISOString();
  } catch {
    return null;
  }
}

/** When an empty site was emptied: as recorded, else as published, else `started` (whole seconds). */
export async function emptySiteUpdated(
  recorded: string | null,
  published: Storage,
  started: Date,
): Promise<string> {
  if (recorded !== null) return recorded;
  const shown = await publishedEmptyUpdated(published);
  return shown ?? new Date(Math.floor(started.getTime() / 1000) * 1000).toISOString();
}
