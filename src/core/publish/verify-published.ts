/**
 * The published output is an input: every object the live manifest names — each document's
 * version key and its `.gz` / `.br` variants, and the route-named copies (`feed.xml`, …) — must
 * exist with the size the manifest records. This lists the published store once (a stat per
 * object, never a read) and returns the keys that are missing or have another size; the caller
 * replans every document and tells publish to rewrite those keys (PublishOptions.suspect).
 *
 * Cost: one listing of the published store plus every manifest shard: O(routes), about six
 * objects a route (1.2 s at 2,000 articles on a loaded 2-core machine; a minute is expected at
 * 100,000). So it runs on runs that plan everything, and on runs without a change hint at most
 * once per PUBLISHED_CHECK_EVERY_MS (state.json records when it last ran); never on a hinted run,
 * whose cost must stay proportional to the change. A wiped folder or a swapped manifest is caught
 * on every run by the root check instead (state/state-record.ts).
 * Must not: read document bytes, or write anything. Size is the check: a file replaced by other
 * bytes of the same size is not detected (that needs a full re-read; `--full` does one).
 */
import type { Storage } from '../../ports/storage.ts';
import { IO_CONCURRENCY, mapConcurrent } from '../pipeline/map-concurrent.ts';
import { type ManifestEntry, routeToKey } from './manifest.ts';
import { loadShard, loadStoredManifest } from './manifest-store.ts';

/** A run without a change hint checks every published file at most this often (state.json). */
export const PUBLISHED_CHECK_EVERY_MS = 60 * 60 * 1000;

export interface PublishedCheck {
  /** Routes the manifest names. */
  readonly routes: number;
  /** Keys the manifest needs that are missing or whose size differs. */
  readonly damaged: ReadonlySet<string>;
  /** Every shard could be read (else publish rewrites the unreadable ones from the plan). */
  readonly whole: boolean;
}

/** Each key an entry needs, with its size (the route copies have the same bytes as the versions). */
function expectedObjects(path: string, entry: ManifestEntry): [string, number][] {
  const routeKey = routeToKey(path);
  const out: [string, number][] = [
    [entry.key, entry.size],
    [routeKey, entry.size],
  ];
  for (const variant of [entry.gzip, entry.br]) {
    if (!variant) continue;
    out.push(
      [variant.key, variant.size],
      [`${routeKey}${variant.key.slice(entry.key.length)}`, variant.size],
    );
  }
  return out;
}

/** The live manifest's entries, shard by shard; an unreadable shard is skipped (publish rebuilds it). */
async function liveEntries(
  published: Storage,
): Promise<{ entries: [string, ManifestEntry][]; whole: boolean } | null> {
  const stored = await loadStoredManifest(published).catch(() => null);
  if (stored === null) return null;
  if (stored.version === 1) return { entries: Object.entries(stored.documents), whole: true };
  let whole = true;
  const shards = await mapConcurrent(Object.entries(stored.shards), IO_CONCURRENCY, ([id, ref]) =>
    loadShard(published, id, ref, stored.layout).catch(() => {
      whole = false;
      return {};
    }),
  );
  return { entries: shards.flatMap((entries) => Object.entries(entries)), whole };
}

/**
 * The damaged keys of the live publication; null when nothing is published or the root is
 * unreadable. `whole` is false when a shard could not be read (its routes are not checked).
 */
export async function checkPublished(published: Storage): Promise<PublishedCheck | null> {
  const live = await liveEntries(published);
  if (live === null) return null;
  const sizes = new Map<string, number>();
  if (published.listEntries) {
    for (const entry of await published.listEntries('')) sizes.set(entry.key, entry.size);
  } else {
    for (const key of await published.list('')) sizes.set(key, -1);
  }
  const damaged = new Set<string>();
  for (const [path, entry] of live.entries) {
    for (const [key, size] of expectedObjects(path, entry)) {
      const found = sizes.get(key);
      if (found === undefined || (found !== -1 && found !== size)) damaged.add(key);
    }
  }
  return { routes: live.entries.length, damaged, whole: live.whole };
}
