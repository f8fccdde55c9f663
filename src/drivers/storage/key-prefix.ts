/**
 * Key prefixes for drivers that share one namespace or bucket between several Storages
 * (`feeds/`, `state/`): a prefix is empty or a valid key prefix ending with `/`, so two prefixed
 * storages can never see each other's keys.
 *
 * Must not: rewrite a bad prefix into a good one. Tunables: none.
 */
import { assertValidPrefix } from './storage-key.ts';

/** Throws unless `prefix` is `''` or a valid key prefix ending with `/`. */
export function assertStoragePrefix(prefix: string): void {
  if (prefix === '') return;
  assertValidPrefix(prefix);
  if (!prefix.endsWith('/')) {
    throw new Error(`storage prefix must be empty or end with "/", got ${JSON.stringify(prefix)}`);
  }
}
