/**
 * The storage keys one published route occupies: its version keys (identity, `.gz`, `.br`, as
 * its manifest entry names them) and its route-named copies beside them (`feed.xml`,
 * `feed.xml.gz`, …).
 *
 * Must not: touch storage or decide which keys exist (manifest.ts shapes the keys, publish
 * writes them). Tunables: none.
 */
import type { ManifestEntry } from './manifest.ts';

/** A key and the keys of its precompressed variants. */
export function variantKeys(key: string): string[] {
  return [key, `${key}.gz`, `${key}.br`];
}

/** The version keys an entry names: identity, then the variants it has. */
export function entryKeys(entry: ManifestEntry): string[] {
  const keys = [entry.key];
  if (entry.gzip) keys.push(entry.gzip.key);
  if (entry.br) keys.push(entry.br.key);
  return keys;
}

/** The route-named copy of `key`, one of `entry`'s version keys (`_v/…/feed.xml.gz` → `feed.xml.gz`). */
export function routeCopyKey(routeKey: string, entry: ManifestEntry, key: string): string {
  return `${routeKey}${key.slice(entry.key.length)}`;
}
