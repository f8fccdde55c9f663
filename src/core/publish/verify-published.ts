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
 * Same-size damage: when the store lists modification times and the last check's time is known
 * (state.json `checkedAt`), the objects modified since then (less REHASH_MARGIN_MS) are read and
 * hashed against the manifest (etag of the identity bytes, digest of each variant): what was
 * published since, and anything rewritten behind kiosque's back (which moves the mtime). Objects
 * unmodified since a check were present then and hashed when they were new, so by induction
 * every object is hashed once after each write, and never again while its mtime stays (git's
 * rule for its index). Cost: one listing plus reading what changed since the last check.
 * Not detected: bytes changed with the mtime restored (`touch -r`, some copy tools), a change
 * made before the first check with a known time (state.json lost, a first check after an
 * upgrade: sizes only, then), or a clock set back across checks; a driver listing no mtime
 * checks sizes only.
 * Must not: read document bytes other than those, or write anything.
 */
import type { Storage } from '../../ports/storage.ts';
import { IO_CONCURRENCY, mapConcurrent } from '../concurrency/map-concurrent.ts';
import { shortDigest, strongEtag } from '../digest/hash.ts';
import { type ManifestEntry, routeToKey } from './manifest.ts';
import { loadShard, loadStoredManifest } from './manifest-store.ts';

/** A run without a change hint checks every published file at most this often (state.json). */
export const PUBLISHED_CHECK_EVERY_MS = 60 * 60 * 1000;
/**
 * Objects modified this close before the last check are hashed too: a file system's mtime may be
 * coarse (FAT: 2 s) and its clock a little off the run's Clock (content-index.ts RACY_MS).
 */
export const REHASH_MARGIN_MS = 2000;

export interface PublishedCheck {
  /** Routes the manifest names. */
  readonly routes: number;
  /** Keys the manifest needs that are missing or whose size differs. */
  readonly damaged: ReadonlySet<string>;
  /** Every shard could be read (else publish rewrites the unreadable ones from the plan). */
  readonly whole: boolean;
  /** Objects read and hashed because they were modified since the last check. */
  readonly rehashed: number;
}

/** An object the manifest needs: its key, size, and how its bytes are named (etag or digest). */
interface Expected {
  readonly key: string;
  readonly size: number;
  readonly etag?: string;
  readonly digest?: string;
}

/** Each object an entry needs (the route copies have the same bytes as the versions). */
function expectedObjects(path: string, entry: ManifestEntry): Expected[] {
  const routeKey = routeToKey(path);
  const out: Expected[] = [
    { key: entry.key, size: entry.size, etag: entry.etag },
    { key: routeKey, size: entry.size, etag: entry.etag },
  ];
  for (const variant of [entry.gzip, entry.br]) {
    if (!variant) continue;
    const copy = `${routeKey}${variant.key.slice(entry.key.length)}`;
    out.push(
      { key: variant.key, size: variant.size, digest: variant.digest },
      { key: copy, size: variant.size, digest: variant.digest },
    );
  }
  return out;
}

/** Whether the stored bytes are the ones the manifest names (false when gone). */
async function holdsNamedBytes(published: Storage, object: Expected): Promise<boolean> {
  const stored = await published.get(object.key);
  if (!stored) return false;
  if (object.etag !== undefined) return (await strongEtag(stored.body)) === object.etag;
  return object.digest === undefined || (await shortDigest(stored.body)) === object.digest;
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
 * `since`: when the last check ran (ms; state.json `checkedAt`): objects modified after it (less
 * REHASH_MARGIN_MS) are hashed; null or absent, sizes only.
 */
export async function checkPublished(
  published: Storage,
  options: { readonly since?: number | null } = {},
): Promise<PublishedCheck | null> {
  const live = await liveEntries(published);
  if (live === null) return null;
  /** Key → [size (-1: unknown), mtime in ms (-1: unknown)]. */
  const listed = new Map<string, readonly [number, number]>();
  if (published.listEntries) {
    for (const entry of await published.listEntries(''))
      listed.set(entry.key, [entry.size, entry.modified?.getTime() ?? -1]);
  } else {
    for (const key of await published.list('')) listed.set(key, [-1, -1]);
  }
  const since = options.since ?? null;
  const damaged = new Set<string>();
  const modified = new Map<string, Expected>();
  for (const [path, entry] of live.entries) {
    for (const object of expectedObjects(path, entry)) {
      const found = listed.get(object.key);
      if (found === undefined || (found[0] !== -1 && found[0] !== object.size)) damaged.add(object.key);
      else if (since !== null && found[1] !== -1 && found[1] > since - REHASH_MARGIN_MS)
        modified.set(object.key, object);
    }
  }
  const held = await mapConcurrent([...modified.values()], IO_CONCURRENCY, (object) =>
    holdsNamedBytes(published, object),
  );
  [...modified.keys()].forEach((key, i) => {
    if (!held[i]) damaged.add(key);
  });
  return { routes: live.entries.length, damaged, whole: live.whole, rehashed: modified.size };
}
