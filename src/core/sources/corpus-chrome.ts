/**
 * The chrome index as the sources of one run see it: count a changed document's keys, forget a
 * document that leaves the corpus (skipped in a full run, whose index starts empty), uncount one
 * held back (in every mode), and the repeated blocks of a document at cleaning time.
 *
 * Must not: write storage (chrome-index.ts hands out writes at commit), or know where a document
 * came from.
 */

import { keyHash } from '../digest/key-hash.ts';
import type { ParsedDocument } from '../model.ts';
import type { ChromeIndex } from './chrome-index.ts';
import { candidateKeys, isChrome } from './document-keys.ts';

export interface CorpusChrome {
  readonly index: ChromeIndex;
  readonly full: boolean;
  ensure(group: string, keys: readonly string[]): Promise<void>;
  count(id: string, group: string, keys: readonly string[]): Promise<void>;
  /** Incremental runs only: a document leaves the corpus, its keys no longer count. */
  forget(
    id: string,
    entry: { source: string; keys?: readonly string[] | undefined } | undefined,
  ): Promise<void>;
  /** In every mode: takes a document's counted keys out (a hold-back). */
  uncount(id: string, group: string, keys: readonly string[]): Promise<void>;
  /** The comparison keys of `parsed` that are chrome of `group` now. */
  repeatedBlocks(group: string, parsed: ParsedDocument): Set<string>;
}

export function createCorpusChrome(index: ChromeIndex, full: boolean): CorpusChrome {
  const uncount = async (id: string, group: string, keys: readonly string[]) => {
    await index.ensure(group, keys);
    for (const hash of keys) index.remove(group, hash, id);
  };
  return {
    index,
    full,
    ensure: (group, keys) => index.ensure(group, keys),
    async count(id, group, keys) {
      await index.ensure(group, keys);
      for (const hash of keys) index.add(group, hash, id);
    },
    async forget(id, entry) {
      if (!entry?.keys || full) return;
      await uncount(id, entry.source, entry.keys);
    },
    uncount,
    repeatedBlocks(group, parsed) {
      const repeated = new Set<string>();
      for (const key of candidateKeys(parsed)) {
        if (isChrome(index.count(group, keyHash(key)))) repeated.add(key);
      }
      return repeated;
    },
  };
}
