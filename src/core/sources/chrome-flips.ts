/**
 * Documents whose chrome flipped: after pass 1 changed some counts, a key that crossed the
 * 2-document boundary (CHROME_MIN_DOCUMENTS) changes the clean result of every other document
 * holding it, so those are made pending again (DocumentSource.revisit). When the chrome index
 * cannot name a key's holders, the whole group is recounted from the sources' indexes
 * (correctness first). Loops while a revisit finds a document edited without a hint: counting
 * its new keys may flip more. Incremental runs only (a full run cleans everything anyway).
 *
 * Must not: write storage, or clean.
 */
import type { Logger } from '../../ports/logger.ts';
import type { ChromeIndex } from './chrome-index.ts';
import { byKey, isChrome } from './document-keys.ts';
import type { DocumentSource } from './source.ts';

/** Adds the holders of flipped keys to their sources' pending documents. */
export async function addFlipped(
  chrome: ChromeIndex,
  sources: readonly DocumentSource[],
  logger: Logger,
  /** Called after revisits found edited documents: their stories may fold or unfold copies. */
  settle?: () => Promise<void>,
): Promise<void> {
  const pending = (id: string) => sources.some((source) => source.isPending(id));
  for (;;) {
    const affected = new Set<string>();
    const relearn = new Set<string>();
    for (const [group, hashes] of chrome.touched()) {
      for (const hash of hashes) {
        const before = chrome.original(group, hash);
        const after = chrome.current(group, hash);
        if (isChrome(before.count) === isChrome(after.count)) continue;
        const holders = before.ids ?? after.ids;
        if (!holders) relearn.add(group);
        else for (const id of holders) if (!pending(id)) affected.add(id);
      }
    }
    for (const group of relearn) {
      for (const id of await relearnGroup(chrome, sources, group, logger)) if (!pending(id)) affected.add(id);
    }
    if (affected.size === 0) return;
    let edited = false;
    for (const id of [...affected].sort(byKey)) {
      if ((await revisit(sources, id)) === 'edited') edited = true;
    }
    if (!edited) return;
    await settle?.();
  }
}

/** The first source (in list order) that knows the id makes it pending again. */
async function revisit(sources: readonly DocumentSource[], id: string): Promise<string> {
  for (const source of sources) {
    const found = await source.revisit(id);
    if (found !== 'absent') return found;
  }
  return 'absent';
}

/** Recounts one group from every source's documents; returns the holders of flipped keys. */
async function relearnGroup(
  chrome: ChromeIndex,
  sources: readonly DocumentSource[],
  group: string,
  logger: Logger,
): Promise<string[]> {
  const docs = [];
  for (const source of sources) docs.push(...(await source.holders(group)));
  const holdersByKey = await chrome.relearn(group, docs);
  const out: string[] = [];
  for (const [hash, holders] of holdersByKey) {
    if (isChrome(chrome.original(group, hash).count) !== isChrome(chrome.count(group, hash))) {
      out.push(...holders);
    }
  }
  logger.info('chrome index relearnt for a source', { source: group, documents: docs.length });
  return out;
}
