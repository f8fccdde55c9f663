/**
 * Publish input → the storage key of each route, validated before anything is written: no route
 * given twice, no two routes on one key, no route on a key the publisher owns (the manifest root,
 * the build status, the journal, `_v/` versions and shards), no patch that publishes and removes
 * one route; and, once the previous shards are read, no upsert on the key of a route a patch
 * carries over (`/x` and `/x.html`, `/` and `/index.html` share a key: manifest.ts routeToKey).
 *
 * Must not: touch storage; every refusal is a PublishInputError (nothing was written).
 * Tunables: RESERVED_KEYS (reserved-keys.ts).
 */
import { variantKeys } from './entry-keys.ts';
import { isShardFolderKey, routeToKey, VERSIONED_PREFIX } from './manifest.ts';
import { type Publishable, PublishInputError, type PublishPatch } from './publish-input.ts';
import { RESERVED_KEYS } from './reserved-keys.ts';

/**
 * The other route paths that map to the same storage key as `path` (manifest.ts routeToKey):
 * `/x` and `/x.html`, `/` and `/index.html` (and `/index`).
 */
function keyTwinsOf(path: string): string[] {
  if (path === '/') return ['/index.html', '/index'];
  const last = path.slice(path.lastIndexOf('/') + 1);
  if (!last.includes('.')) return path === '/index' ? ['/index.html', '/'] : [`${path}.html`];
  if (!path.endsWith('.html')) return [];
  const bare = path.slice(0, -'.html'.length);
  const bareLast = last.slice(0, -'.html'.length);
  if (bareLast === '' || bareLast.includes('.')) return [];
  return path === '/index.html' ? [bare, '/'] : [bare];
}

/** Validates routes and keys of every document; returns each route key. Throws before any write. */
export function claimRoutes(documents: readonly Publishable[]): string[] {
  const seenPaths = new Set<string>();
  const seenKeys = new Map<string, string>();
  const claim = (key: string, path: string): void => {
    const owner = seenKeys.get(key);
    if (owner !== undefined) {
      throw new PublishInputError(`Routes ${owner} and ${path} both map to storage key ${key}`);
    }
    if (RESERVED_KEYS.has(key) || key.startsWith(VERSIONED_PREFIX) || isShardFolderKey(key)) {
      throw new PublishInputError(`Route ${path} maps to reserved storage key ${key}`);
    }
    seenKeys.set(key, path);
  };
  const routeKeys: string[] = [];
  for (const document of documents) {
    if (seenPaths.has(document.path)) throw new PublishInputError(`Route ${document.path} published twice`);
    seenPaths.add(document.path);
    const routeKey = routeToKey(document.path);
    for (const k of variantKeys(routeKey)) claim(k, document.path);
    routeKeys.push(routeKey);
  }
  return routeKeys;
}

export function validatePatch(patch: PublishPatch, paths: ReadonlySet<string>): void {
  for (const path of patch.remove ?? []) {
    routeToKey(path);
    if (paths.has(path)) throw new PublishInputError(`Route ${path} is both published and removed`);
  }
  for (const prefix of patch.replacePrefixes ?? []) if (prefix !== '/') routeToKey(prefix);
}

/**
 * Refuses an upsert whose storage key belongs to a route the patch carries over. Only key twins
 * (see keyTwinsOf) share a key, so each upsert checks its twins instead of keying every
 * carried-over route of its shard.
 */
export function checkCarriedTwins(
  documents: readonly Publishable[],
  routeKeys: readonly string[],
  isCarriedOver: (path: string) => boolean,
): void {
  for (const [index, document] of documents.entries()) {
    const owner = keyTwinsOf(document.path).find(isCarriedOver);
    if (owner !== undefined) {
      throw new PublishInputError(
        `Route ${document.path} maps to storage key ${routeKeys[index]}, published for ${owner}`,
      );
    }
  }
}
