/**
 * One run's remote collection, shared by the two remote sources (remote-kind-source.ts: upstream
 * feeds, article URLs): the configured remote sources → the remote items whose raw input changed
 * since the last committed run, each owned by the kind of source its kept copy came from. Both
 * kinds are fetched and merged together, once (remote/collect-remote.ts), because they share one
 * item ledger: a story reached through a feed and as an article URL is one item, and merging in
 * config order keeps the outcome independent of timing. Every item is fetched (or revalidated)
 * every run; an item counts as changed only when its raw hash did. Items gone from the remote
 * index (expired, no longer configured) are reported gone; a failing item keeps its place but
 * leaves the corpus.
 *
 * `open`, `scan` and `commit` do their work once however many sources call them, so the run's
 * failures, gone ids and chrome counts come in the same order whichever source asks first.
 *
 * Must not: clean, or write the remote index or the ledger before `commit()` (the fetch caches
 * and deferrals are written while collecting, by remote/: they key what was fetched, not what
 * was published). Tunables: DEFAULT_RETENTION_DAYS (remote/remote-source.ts), remote/ for fetching.
 */
import type { Clock } from '../../ports/clock.ts';
import type { HttpFetch } from '../../ports/fetch.ts';
import type { Logger } from '../../ports/logger.ts';
import type { Storage } from '../../ports/storage.ts';
import { keyHash } from '../digest/key-hash.ts';
import { parseDocument } from '../load/parse-document.ts';
import type { ParsedDocument } from '../model.ts';
import {
  type CollectedRemote,
  collectRemote,
  type DuplicateUrl,
  type RemoteProgress,
  type RetainedItem,
  type SourceReport,
} from '../remote/collect-remote.ts';
import { dedupeByFingerprint } from '../remote/dedupe-by-fingerprint.ts';
import { EMPTY_LEDGER, type ItemLedger, readLedger, saveLedger } from '../remote/item-ledger.ts';
import { recoverLedger } from '../remote/recover-ledger.ts';
import { DEFAULT_RETENTION_DAYS, type RemoteSource, type RemoteSourceType } from '../remote/remote-source.ts';
import { DamagedStateError } from '../state/damaged-state.ts';
import { checkShard, type ShardCensus, shardDigest, shardName } from '../state/shard-census.ts';
import { REMOTE_INDEX_KEY, type RemoteEntry } from './content-index.ts';
import { byKey, candidateKeys, rawHashOf } from './document-keys.ts';
import type { ChromeHolder, DocumentSource, LoadedDocument, Revisit, SourceRun } from './source.ts';

/** What remote collection did in one run (part of the build report). */
export interface RemoteRunReport {
  readonly sources: readonly SourceReport[];
  readonly retained: readonly RetainedItem[];
  readonly duplicates: readonly DuplicateUrl[];
  readonly expired: readonly string[];
}

export interface RemoteCollectionOptions {
  readonly state: Storage;
  readonly logger: Logger;
  readonly clock: Clock;
  /** Without it, configured sources are skipped with a warning (gone items are still reported). */
  readonly fetch?: HttpFetch | undefined;
  readonly sources: readonly RemoteSource[];
  readonly retentionDays?: number | undefined;
  readonly onProgress?: ((progress: RemoteProgress) => void) | undefined;
  /** Shard folder → census stored with the last commit: the remote index's is checked (not in a full run). */
  readonly census?: Readonly<Record<string, ShardCensus>> | undefined;
}

/** A run of consecutive pending ids of one source, for the clean pass (clean-pending.ts). */
export interface PendingRun {
  readonly source: DocumentSource;
  readonly ids: readonly string[];
}

interface Pending {
  readonly source: string;
  readonly parsed: ParsedDocument;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The remote index is one object: its census names it as shard 0 of a family of one. */
const REMOTE_INDEX_SHARD = 0;

/** The remote index's stored text → its entries; null when the text is not an object. */
function parseRemoteIndex(text: string): Record<string, RemoteEntry> | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, RemoteEntry>)
      : null;
  } catch {
    return null;
  }
}

export function createRemoteCollection(run: SourceRun, options: RemoteCollectionOptions): RemoteCollection {
  return new RemoteCollection(run, options);
}

export class RemoteCollection {
  private collected: CollectedRemote | null = null;
  private ledger: ItemLedger = EMPTY_LEDGER;
  private duplicates: readonly DuplicateUrl[] = [];
  private indexBefore: Record<string, RemoteEntry> | null = null;
  /** The digest of the remote index this run wrote (commit), or null when it wrote none. */
  private written: string | null = null;
  /** Whether a remote index was stored when the run read it. */
  private hadIndex = false;
  private readonly index: Record<string, RemoteEntry> = {};
  private readonly order: string[] = [];
  private readonly docs = new Map<string, ParsedDocument>();
  /** Item id → the type of source its kept copy came from (the source that owns it). */
  private readonly kinds = new Map<string, RemoteSourceType>();
  private readonly reused = new Set<string>();
  private readonly pending = new Map<string, Pending>();
  private opened: Promise<void> | null = null;
  private scanned: Promise<void> | null = null;
  private committed: Promise<void> | null = null;

  constructor(
    private readonly run: SourceRun,
    private readonly options: RemoteCollectionOptions,
  ) {}

  /** Fetches every configured source (every run), once. */
  open(): Promise<void> {
    this.opened ??= this.fetchAll();
    return this.opened;
  }

  /** Pass 1, once: parse every item, fold duplicates, compare raw hashes; then the items gone. */
  scan(): Promise<void> {
    this.scanned ??= this.scanAll();
    return this.scanned;
  }

  /** Writes the remote index (when there is or was one) and the ledger (when collected), once. */
  commit(): Promise<void> {
    this.committed ??= this.writeState();
    return this.committed;
  }

  /** The type of source that owns an item: its kept copy's, else its ledger source's. */
  kindOf(id: string): RemoteSourceType | undefined {
    const kind = this.kinds.get(id);
    if (kind) return kind;
    const label = this.ledger.items[id]?.source;
    const row = this.collected?.sources.findLast((source) => source.name === label);
    return row?.type;
  }

  unchanged(kind: RemoteSourceType): number {
    let count = 0;
    for (const id of this.reused) if (this.kinds.get(id) === kind) count++;
    return count;
  }

  /** Pending items of one kind, in config order (the merge's). */
  pendingIds(kind: RemoteSourceType): string[] {
    return this.order.filter((id) => this.pending.has(id) && this.kinds.get(id) === kind);
  }

  isPending(id: string): boolean {
    return this.pending.has(id);
  }

  /**
   * Every pending item in config order, as runs of consecutive ids of one source: the clean pass
   * meets feed items and article URLs interleaved as configured, as one ledger merged them.
   */
  pendingRuns(sources: ReadonlyMap<RemoteSourceType, DocumentSource>): PendingRun[] {
    const runs: { source: DocumentSource; ids: string[] }[] = [];
    for (const id of this.order) {
      const kind = this.kinds.get(id);
      const source = kind && this.pending.has(id) ? sources.get(kind) : undefined;
      if (!source) continue;
      const last = runs.at(-1);
      if (last?.source === source) last.ids.push(id);
      else runs.push({ source, ids: [id] });
    }
    return runs;
  }

  async revisit(id: string): Promise<Revisit> {
    const parsed = this.docs.get(id);
    if (!parsed) return 'absent';
    this.pending.set(id, { source: parsed.raw.source, parsed });
    await this.run.chrome.ensure(parsed.raw.source, this.index[id]?.keys ?? []);
    return 'pending';
  }

  holders(group: string, kind: RemoteSourceType): ChromeHolder[] {
    const docs: ChromeHolder[] = [];
    for (const [id, entry] of Object.entries(this.index)) {
      if (entry.source !== group || !entry.hash || !entry.keys) continue;
      if (this.kinds.get(id) === kind) docs.push({ id, keys: entry.keys });
    }
    return docs;
  }

  load(id: string): LoadedDocument | null {
    const item = this.pending.get(id);
    return item ? { group: item.source, parsed: item.parsed } : null;
  }

  async holdBack(id: string): Promise<boolean> {
    const entry = this.index[id];
    if (!entry) return false;
    // Without a hash the next run cleans it again; its keys leave the corpus now.
    if (entry.hash && entry.keys) await this.run.chrome.uncount(id, entry.source, entry.keys);
    this.index[id] = { source: entry.source };
    return true;
  }

  /** The whole run's report (both kinds, in config order); null when nothing was collected. */
  report(): RemoteRunReport | null {
    const remote = this.collected;
    return remote
      ? {
          sources: remote.sources,
          retained: remote.retained,
          duplicates: this.duplicates,
          expired: remote.expired,
        }
      : null;
  }

  private async fetchAll(): Promise<void> {
    const { sources, fetch, state, logger, clock } = this.options;
    if (sources.length === 0) return;
    if (!fetch) {
      logger.warn('remote sources configured but no Fetch port given; skipped', { sources: sources.length });
      return;
    }
    const { signal } = this.run;
    const { onProgress } = this.options;
    this.collected = await collectRemote(
      { fetch, state, logger, clock },
      {
        sources,
        ledger: await this.openLedger(),
        retentionDays: this.options.retentionDays ?? DEFAULT_RETENTION_DAYS,
        ...(signal ? { signal } : {}),
        ...(onProgress ? { onProgress } : {}),
      },
    );
    this.ledger = this.collected.ledger;
    this.duplicates = this.collected.duplicates;
    this.run.failures.push(...this.collected.failures);
  }

  /**
   * The stored ledger; when it is missing or unreadable, the one the surviving remote state gives
   * (remote/recover-ledger.ts), so items retained from their last good copy do not silently go.
   */
  private async openLedger(): Promise<ItemLedger> {
    const { state, logger, clock } = this.options;
    const stored = await readLedger(state);
    if (stored) return stored;
    const recovered = await recoverLedger(state, await this.readIndexBefore(), clock.now().toISOString());
    if (recovered.fromCopies + recovered.fromIndex > 0)
      logger.warn(
        `the remote item ledger (remote/ledger.json) was missing or unreadable: rebuilt ${recovered.fromCopies} items from their stored copies and ${recovered.fromIndex} from the remote index; their retention counts from now`,
      );
    return recovered.ledger;
  }

  /**
   * The remote index of the last committed run (read once). Checked against its census unless the
   * run is full: lost or other bytes would make every item look new to the chrome index (its keys
   * counted twice: every block reads as page chrome) and hide the items that went.
   */
  private async readIndexBefore(): Promise<Record<string, RemoteEntry>> {
    if (this.indexBefore) return this.indexBefore;
    const stored = await this.options.state.get(REMOTE_INDEX_KEY).catch(() => null);
    const text = stored ? decoder.decode(stored.body) : null;
    this.hadIndex = text !== null;
    if (!this.run.full)
      checkShard(this.options.census?.[REMOTE_INDEX_KEY] ?? {}, REMOTE_INDEX_SHARD, text, REMOTE_INDEX_KEY);
    const parsed = text === null ? {} : parseRemoteIndex(text);
    if (parsed === null && !this.run.full)
      throw new DamagedStateError(`state object ${REMOTE_INDEX_KEY} is unreadable`);
    this.indexBefore = parsed ?? {};
    return this.indexBefore;
  }

  private async scanAll(): Promise<void> {
    // Read in full mode too: it tells which remote items are gone.
    const indexBefore = await this.readIndexBefore();
    if (this.collected) await this.scanItems(this.collected, indexBefore);
    const failedIds = new Set(this.run.failures.map((f) => f.sourceId));
    for (const [id, previous] of Object.entries(indexBefore)) {
      if (this.index[id]) continue;
      await this.run.chrome.forget(id, previous);
      // A failing item keeps its place (its last good version stays published) but leaves the corpus.
      if (failedIds.has(id)) this.index[id] = { source: previous.source };
      else this.run.removed.push(id);
    }
  }

  private async writeState(): Promise<void> {
    const { state } = this.options;
    if (this.collected || Object.keys(this.indexBefore ?? {}).length > 0) {
      const sorted = Object.fromEntries(Object.entries(this.index).sort(([a], [b]) => byKey(a, b)));
      const text = JSON.stringify(sorted);
      await state.put(REMOTE_INDEX_KEY, encoder.encode(text));
      this.written = shardDigest(text);
    } else if (this.hadIndex) {
      // Nothing to write: an empty index is removed with its census (never one without the other).
      await state.delete(REMOTE_INDEX_KEY);
    }
    if (this.collected) await saveLedger(state, this.ledger);
  }

  /** The census of the remote index this run committed (for index/meta.json); call after commit(). */
  census(): Record<string, ShardCensus> {
    return {
      [REMOTE_INDEX_KEY]: this.written === null ? {} : { [shardName(REMOTE_INDEX_SHARD)]: this.written },
    };
  }

  /** Parses and folds the collected documents; each kept copy's kind is the raw document's. */
  private async parseAll(
    collected: CollectedRemote,
  ): Promise<{ parsed: ParsedDocument; kind: RemoteSourceType }[]> {
    const { failures } = this.run;
    const parsedRemote: ParsedDocument[] = [];
    for (const raw of collected.documents) {
      try {
        parsedRemote.push(parseDocument(raw));
      } catch (error) {
        failures.push({ sourceId: raw.sourceId, message: `could not parse: ${(error as Error).message}` });
      }
    }
    const deduped = await dedupeByFingerprint(parsedRemote, this.ledger);
    this.ledger = deduped.ledger;
    this.duplicates = [...this.duplicates, ...deduped.merged];
    const kept: { parsed: ParsedDocument; kind: RemoteSourceType }[] = [];
    deduped.aligned.forEach((parsed, i) => {
      if (!parsed) return;
      // A copy folded into an earlier item under that item's key keeps the kind it was fetched as.
      const fetchedAs = parsedRemote[i]?.raw.sourceId ?? parsed.raw.sourceId;
      const kind = collected.kinds.get(fetchedAs);
      if (!kind) throw new Error(`remote document without a source type: ${fetchedAs}`);
      kept.push({ parsed, kind });
    });
    return kept;
  }

  private async scanItems(
    collected: CollectedRemote,
    indexBefore: Record<string, RemoteEntry>,
  ): Promise<void> {
    const { full, language, chrome } = this.run;
    for (const { parsed, kind } of await this.parseAll(collected)) {
      const id = parsed.raw.sourceId;
      if (this.docs.has(id)) continue;
      this.docs.set(id, parsed);
      this.kinds.set(id, kind);
      this.order.push(id);
      const hash = await rawHashOf(parsed.raw, language);
      const previous = full ? undefined : indexBefore[id];
      if (previous?.hash === hash && previous.source === parsed.raw.source && previous.keys) {
        this.index[id] = previous;
        this.reused.add(id);
        continue;
      }
      const keys = candidateKeys(parsed).map(keyHash);
      await chrome.forget(id, previous);
      await chrome.count(id, parsed.raw.source, keys);
      this.index[id] = { source: parsed.raw.source, hash, keys };
      this.pending.set(id, { source: parsed.raw.source, parsed });
    }
  }
}
