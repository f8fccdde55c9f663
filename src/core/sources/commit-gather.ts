/**
 * The commit of a gather: every source's state (local content and keys indexes, remote index and
 * ledger) and the chrome index, written between two marks of `index/meta.json` (cleaner version,
 * language, the shard census). A commit killed half-way leaves the mark at `committing`, which
 * makes the next gather rebuild everything rather than trust a mix.
 *
 * Must not: run before the items are recorded, or write anything else.
 */
import type { Storage } from '../../ports/storage.ts';
import { CLEANER_VERSION } from '../clean/rules.ts';
import { IO_CONCURRENCY, mapConcurrent } from '../concurrency/map-concurrent.ts';
import type { ShardCensus } from '../state/shard-census.ts';
import type { ChromeIndex } from './chrome-index.ts';
import { INDEX_FORMAT, INDEX_META_KEY, type IndexMeta } from './content-index.ts';
import { byKey } from './document-keys.ts';
import type { LocalFileSource } from './local-source.ts';
import type { DocumentSource } from './source.ts';

const encoder = new TextEncoder();

/** The census stored with a commit: the folders this run opened replace theirs; empty ones go. */
function committedCensus(
  before: Readonly<Record<string, ShardCensus>>,
  opened: Readonly<Record<string, ShardCensus>>,
): Record<string, ShardCensus> {
  const merged = { ...before, ...opened };
  return Object.fromEntries(
    Object.entries(merged)
      .filter(([, census]) => Object.keys(census).length > 0)
      .sort(([a], [b]) => byKey(a, b)),
  );
}

/** The remote sources and the census of the collection they share (written by their first commit). */
export interface RemoteCommit {
  readonly sources: readonly DocumentSource[];
  census(): Record<string, ShardCensus>;
}

export interface CommitContext {
  readonly state: Storage;
  readonly language: string;
  readonly full: boolean;
  readonly censuses: Readonly<Record<string, ShardCensus>>;
}

/**
 * Writes every source's state and the chrome index between two marks of `index/meta.json`: a
 * commit killed half-way leaves it at `committing`, which makes the next gather rebuild everything.
 */
export async function commitGather(
  context: CommitContext,
  local: LocalFileSource,
  remote: RemoteCommit,
  chrome: ChromeIndex,
): Promise<void> {
  const { state, language, full, censuses } = context;
  const metaBody = (metaState: IndexMeta['state'], census?: IndexMeta['census']): Uint8Array =>
    encoder.encode(
      JSON.stringify({
        format: INDEX_FORMAT,
        cleaner: CLEANER_VERSION,
        language,
        state: metaState,
        ...(census ? { census } : {}),
      }),
    );
  const chromeWrites = await chrome.writes();
  // Marked first: a commit killed half-way makes the next gather rebuild, never trust a mix.
  await state.put(INDEX_META_KEY, metaBody('committing'));
  await local.commit();
  await mapConcurrent(chromeWrites, IO_CONCURRENCY, (w) =>
    w.body === null ? state.delete(w.key) : state.put(w.key, w.body),
  );
  // The remote sources share one index and ledger: the first commit writes them, the others find it done.
  for (const source of remote.sources) await source.commit();
  const census = committedCensus(full ? {} : censuses, {
    ...local.census(),
    ...chrome.census(),
    ...remote.census(),
  });
  await state.put(INDEX_META_KEY, metaBody('committed', census));
}
