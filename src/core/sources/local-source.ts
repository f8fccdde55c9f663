/**
 * Local files as a source (source.ts): content/ → the documents whose raw input changed since the
 * last committed run, through the content index (content-index.ts) and the per-document chrome
 * keys (`index/keys/`). How a change is found: gather-local.ts plans which files to read (a change
 * hint, a stat scan, or everything); a raw SHA-256 then tells real edits from touched files.
 *
 * Same-story copies (clean/story-fold.ts, rules.ts STORY_FOLD): pass 1 also takes each changed
 * file's story fingerprint (story-index.ts); `settleFolds` then keeps every copy but the winner of
 * each story out of the run (not cleaned, not published, its chrome keys not counted), takes a
 * published file that became a copy out of the corpus (`removed`), and makes a copy whose winner
 * changed or went pending again (unfolded), so an incremental run folds exactly as a full one.
 *
 * Memory: pass 1 reads, hashes, parses and counts READ_BATCH files at a time, keeping parsed
 * documents only up to MAX_HELD_CHARS; `load` re-reads the rest one by one (and reports a file
 * changed between the passes).
 *
 * Must not: clean, write before `commit()`, or let one failing file stop the others.
 * Tunables: READ_BATCH, MAX_HELD_CHARS below; CONTENT_SHARDS (content-index.ts).
 */
import type { Logger } from '../../ports/logger.ts';
import type { Storage } from '../../ports/storage.ts';
import { type Story, storyOf } from '../clean/story-fold.ts';
import { IO_CONCURRENCY, mapConcurrent } from '../concurrency/map-concurrent.ts';
import { keyHash } from '../digest/key-hash.ts';
import { detectFormat } from '../load/detect-format.ts';
import { parseDocument } from '../load/parse-document.ts';
import type { ParsedDocument } from '../model.ts';
import type { ShardCensus } from '../state/shard-census.ts';
import { createShardedMap, type ShardedMap } from '../state/sharded-map.ts';
import { type ContentFailure, type ContentFormat, readContentFile, sourceOf } from './collect-content.ts';
import {
  CONTENT_INDEX_PREFIX,
  CONTENT_SHARDS,
  type ContentEntry,
  isRacy,
  KEYS_INDEX_PREFIX,
  type ListedStat,
} from './content-index.ts';
import { byKey, candidateKeys, rawHashOf } from './document-keys.ts';
import { type LocalPlan, planFromHint, planFromListing } from './gather-local.ts';
import type { ChromeHolder, DocumentSource, LoadedDocument, Revisit, SourceRun } from './source.ts';
import { createStoryIndex, type StoryIndex } from './story-index.ts';

/** Files read (and hashed, parsed) at once in pass 1: bounds the raw text held at any moment. */
export const READ_BATCH = 256;
/**
 * Parsed documents kept from pass 1 for pass 2, in characters of raw text (~8 MB of text, a few
 * tens of MB parsed): an incremental run keeps all of its few documents; a full build re-reads the rest.
 */
export const MAX_HELD_CHARS = 8_000_000;

export interface LocalSourceOptions {
  readonly content: Storage;
  readonly state: Storage;
  readonly logger: Logger;
  /** Shard folder → census stored with the last commit (ignored in a full run). */
  readonly census: Readonly<Record<string, ShardCensus>>;
  /** Content keys that may have changed since the last committed run; omit to scan. */
  readonly changedKeys?: readonly string[] | undefined;
}

/** One file of this run that must be cleaned. */
interface Pending {
  readonly id: string;
  readonly source: string;
  readonly hash: string;
  readonly format: ContentFormat;
  /** Indexed before this run (it may have a published item to take back when it folds). */
  readonly known: boolean;
  parsed?: ParsedDocument;
}

/** A file folded into another copy of its story (build report, `kiosque clean --explain`). */
export interface FoldedCopy {
  readonly file: string;
  readonly into: string;
}

type ContentRead = Awaited<ReturnType<typeof readContentFile>>;

const NO_PLAN: LocalPlan = {
  toRead: [],
  sidecarsFor: () => 'probe',
  listed: new Map(),
  gone: [],
  skipped: [],
  unchanged: 0,
};

export function createLocalSource(run: SourceRun, options: LocalSourceOptions): LocalFileSource {
  return new LocalFileSource(run, options);
}

export class LocalFileSource implements DocumentSource<readonly ContentFailure[]> {
  readonly name = 'local files';
  readonly index: ShardedMap<ContentEntry>;
  readonly docKeys: ShardedMap<string[]>;
  readonly stories: StoryIndex;
  /** Folds settled this run: content key → the copy it is folded into now (null: published). */
  private readonly settled = new Map<string, string | null>();
  private plan: LocalPlan = NO_PLAN;
  private readonly pending = new Map<string, Pending>();
  private heldChars = 0;
  private reused = 0;

  constructor(
    private readonly run: SourceRun,
    private readonly options: LocalSourceOptions,
  ) {
    // Checked against the census the last commit stored (a lost shard must not read as empty).
    const opened = (prefix: string) =>
      run.full ? { fresh: true } : { census: options.census[prefix] ?? {} };
    const { state } = options;
    this.index = createShardedMap<ContentEntry>(
      state,
      CONTENT_INDEX_PREFIX,
      CONTENT_SHARDS,
      opened(CONTENT_INDEX_PREFIX),
    );
    this.docKeys = createShardedMap<string[]>(
      state,
      KEYS_INDEX_PREFIX,
      CONTENT_SHARDS,
      opened(KEYS_INDEX_PREFIX),
    );
    this.stories = createStoryIndex(state, opened);
  }

  /** Which files to read. */
  async open(): Promise<void> {
    const { content, state, logger, changedKeys } = this.options;
    if (this.run.full) {
      // The previous index (if any) only tells which documents are gone.
      const previous = createShardedMap<ContentEntry>(state, CONTENT_INDEX_PREFIX, CONTENT_SHARDS);
      await previous.ensureAll();
      this.plan = await planFromListing(content, previous, { readAll: true }, logger);
    } else if (changedKeys) {
      this.plan = await planFromHint(changedKeys, this.index, logger);
    } else {
      await this.index.ensureAll();
      this.plan = await planFromListing(content, this.index, { readAll: false }, logger);
    }
    this.reused += this.plan.unchanged;
  }

  /** Pass 1: the gone files, then read, hash, parse and count, a batch at a time. */
  async scan(): Promise<void> {
    const { full, removed, signal } = this.run;
    for (const key of this.plan.gone) {
      if (!full) {
        await this.forget(key);
        this.index.delete(key);
      }
      removed.push(key);
    }
    const { toRead } = this.plan;
    for (let start = 0; start < toRead.length; start += READ_BATCH) {
      if (signal?.aborted) throw new Error('regeneration abandoned: shutting down');
      const batch = toRead.slice(start, start + READ_BATCH);
      const reads = await mapConcurrent(batch, IO_CONCURRENCY, ({ key, format }) => this.read(key, format));
      if (!full) {
        await this.index.ensure(batch.map((b) => b.key));
        await this.docKeys.ensure(batch.map((b) => b.key));
      }
      for (const [i, { key, format }] of batch.entries()) await this.record(key, format, reads[i] ?? null);
    }
  }

  unchanged(): number {
    return this.reused;
  }

  /** Content keys in key order. */
  pendingIds(): readonly string[] {
    return [...this.pending.keys()].sort(byKey);
  }

  isPending(id: string): boolean {
    return this.pending.has(id);
  }

  async revisit(id: string): Promise<Revisit> {
    await this.index.ensure([id]);
    const entry = this.index.get(id);
    if (!entry?.hash) return 'absent';
    const format = detectFormat(id);
    if (!format) return 'absent';
    return this.repend(id, format, entry, 'counted');
  }

  /**
   * Reads an unchanged document again and makes it pending: its keys are already counted
   * ('counted': a chrome flip) or are counted now ('count': a copy unfolded). Edited without a
   * hint: recorded as a change instead (its keys move, which may flip more).
   */
  private async repend(
    id: string,
    format: ContentFormat,
    entry: ContentEntry,
    keys: 'counted' | 'count',
  ): Promise<Revisit> {
    const read = await this.read(id, format);
    const hash = read && 'raw' in read ? await rawHashOf(read.raw, this.run.language) : null;
    if (hash !== entry.hash || !read || !('raw' in read)) {
      await this.record(id, format, read);
      return 'edited';
    }
    let parsed: ParsedDocument;
    try {
      parsed = parseDocument(read.raw);
    } catch (error) {
      await this.fail(id, entry.source, {
        sourceId: id,
        message: `could not parse: ${(error as Error).message}`,
      });
      return 'edited';
    }
    const item: Pending = { id, source: entry.source, hash, format, known: true };
    this.hold(item, parsed);
    this.pending.set(id, item);
    await this.docKeys.ensure([id]);
    if (keys === 'counted') {
      await this.run.chrome.ensure(entry.source, this.docKeys.get(id) ?? []);
    } else {
      const hashes = candidateKeys(parsed).map(keyHash);
      await this.run.chrome.count(id, entry.source, hashes);
      this.docKeys.set(id, hashes);
    }
    return 'pending';
  }

  /**
   * Settles the folds of every story this run touched (see the header): repeated until a pass
   * changes nothing (an unfolded copy found edited is recorded, which may touch more stories).
   */
  async settleFolds(): Promise<void> {
    for (let again = true; again; ) {
      again = false;
      for (const id of this.stories.affected()) {
        const into = await this.stories.foldedInto(id);
        const before = this.settled.has(id)
          ? (this.settled.get(id) ?? null)
          : this.run.full
            ? null
            : await this.stories.foldedBefore(id);
        if (into === before && !(into && this.pending.has(id))) continue;
        if (await this.settleFold(id, before, into)) again = true;
      }
    }
  }

  /** One copy's fold moved from `before` to `into`; true when stories may have changed. */
  private async settleFold(id: string, before: string | null, into: string | null): Promise<boolean> {
    const item = this.pending.get(id);
    await this.index.ensure([id]);
    const entry = this.index.get(id);
    if (into !== null && (item || entry?.hash)) {
      // A copy: out of the run and the corpus; its keys no longer count as chrome.
      if (item) this.drop(item);
      await this.docKeys.ensure([id]);
      const source = item?.source ?? entry?.source ?? sourceOf(id);
      await this.run.chrome.uncount(id, source, this.docKeys.get(id) ?? []);
      this.docKeys.delete(id);
      // Published before (a file that was no copy): its item goes.
      if (!this.run.full && before === null && (item ? item.known : true)) this.run.removed.push(id);
      this.settled.set(id, into);
      return false;
    }
    this.settled.set(id, into);
    if (into !== null || item || !entry?.hash) return false;
    // Unfolded: its winner changed or went; it is read, counted and cleaned again.
    const format = detectFormat(id);
    if (!format) return false;
    const found = await this.repend(id, format, entry, 'count');
    if (found === 'edited') this.settled.delete(id);
    return found === 'edited';
  }

  /** Every copy folded into another, as settled this run (a full run: the whole corpus). */
  folded(): readonly FoldedCopy[] {
    const out: FoldedCopy[] = [];
    for (const [file, into] of this.settled) if (into !== null) out.push({ file, into });
    return out.sort((a, b) => byKey(a.file, b.file));
  }

  async holders(group: string): Promise<readonly ChromeHolder[]> {
    await this.index.ensureAll();
    await this.docKeys.ensureAll();
    const docs: ChromeHolder[] = [];
    for (const [id, entry] of this.index.entries()) {
      const keys = entry.source === group && entry.hash ? this.docKeys.get(id) : undefined;
      if (keys) docs.push({ id, keys });
    }
    return docs;
  }

  async load(id: string): Promise<LoadedDocument | null> {
    const item = this.pending.get(id);
    if (!item) return null;
    const parsed = item.parsed ?? (await this.reread(item));
    delete item.parsed; // dropped once handed out: pass 2 holds one document at a time
    return parsed ? { group: item.source, parsed } : null;
  }

  async holdBack(id: string): Promise<boolean> {
    await this.index.ensure([id]);
    await this.docKeys.ensure([id]);
    const entry = this.index.get(id);
    if (!entry) return false;
    // Counted this run or an earlier one, in a full run too (forget skips full runs).
    if (entry.hash) await this.run.chrome.uncount(id, entry.source, this.docKeys.get(id) ?? []);
    this.docKeys.delete(id);
    this.index.set(id, { source: entry.source, size: -1 });
    return true;
  }

  report(): readonly ContentFailure[] {
    return this.plan.skipped;
  }

  /** Hands out the index writes (the caller writes them with the chrome index's). */
  async writes(): Promise<{ readonly key: string; readonly body: Uint8Array | null }[]> {
    return [
      ...(await this.index.writes()),
      ...(await this.docKeys.writes()),
      ...(await this.stories.writes()),
    ];
  }

  async commit(): Promise<void> {
    const { state } = this.options;
    await mapConcurrent(await this.writes(), IO_CONCURRENCY, (w) =>
      w.body === null ? state.delete(w.key) : state.put(w.key, w.body),
    );
  }

  /** Shard folder → census of the folders this run opened (after the writes were handed out). */
  census(): Record<string, ShardCensus> {
    return {
      [CONTENT_INDEX_PREFIX]: this.index.census() ?? {},
      [KEYS_INDEX_PREFIX]: this.docKeys.census() ?? {},
      ...this.stories.census(),
    };
  }

  private read(key: string, format: ContentFormat): Promise<ContentRead> {
    const { content, logger } = this.options;
    return readContentFile(content, key, format, this.plan.sidecarsFor(key), logger);
  }

  /** A pending document leaves the run (folded into another copy). */
  private drop(item: Pending): void {
    if (item.parsed) this.heldChars -= item.parsed.raw.body.length;
    this.pending.delete(item.id);
  }

  private hold(item: Pending, parsed: ParsedDocument): void {
    if (this.heldChars + parsed.raw.body.length <= MAX_HELD_CHARS) {
      item.parsed = parsed;
      this.heldChars += parsed.raw.body.length;
    }
  }

  /** A content file leaves the corpus (deleted, failing): its keys no longer count. */
  private async forget(id: string): Promise<void> {
    if (this.run.full) return;
    await this.stories.set(id, null);
    const entry = this.index.get(id);
    await this.docKeys.ensure([id]);
    if (entry?.hash)
      await this.run.chrome.forget(id, { source: entry.source, keys: this.docKeys.get(id) ?? [] });
    this.docKeys.delete(id);
  }

  /** A content file that failed: reported, out of the corpus, kept in the index as failed. */
  private async fail(key: string, source: string, failure: ContentFailure): Promise<void> {
    this.run.failures.push(failure);
    await this.forget(key);
    this.index.set(key, { source, size: -1 });
  }

  /** Records a content file read this run; pending when it must be cleaned. */
  private async record(key: string, format: ContentFormat, read: ContentRead): Promise<void> {
    const { full } = this.run;
    if (read === null) {
      // Listed (or hinted) but gone by the time it was read.
      if (full || this.index.get(key)) {
        await this.forget(key);
        if (!full) this.index.delete(key);
        this.run.removed.push(key);
      }
      return;
    }
    if (!('raw' in read)) return this.fail(key, sourceOf(key), read);
    const hash = await rawHashOf(read.raw, this.run.language);
    const previous = full ? undefined : this.index.get(key);
    const { stat, sidecar, racy } = this.statsOf(key, read);
    const base = {
      ...stat,
      source: read.raw.source,
      ...(sidecar ? { sidecar } : {}),
      ...(racy ? { racy: true as const } : {}),
    };
    if (previous?.hash === hash && previous.source === read.raw.source) {
      this.index.set(key, { ...base, hash });
      this.reused++;
      return;
    }
    let parsed: ParsedDocument;
    try {
      parsed = parseDocument(read.raw);
    } catch (error) {
      const message = `could not parse: ${(error as Error).message}`;
      return this.fail(key, read.raw.source, { sourceId: key, message });
    }
    const keys = candidateKeys(parsed).map(keyHash);
    const story = await this.storyOf(parsed);
    await this.forget(key);
    await this.run.chrome.count(key, read.raw.source, keys);
    await this.stories.set(key, story);
    this.index.set(key, { ...base, hash });
    await this.docKeys.ensure([key]);
    this.docKeys.set(key, keys);
    const item: Pending = { id: key, source: read.raw.source, hash, format, known: previous !== undefined };
    this.hold(item, parsed);
    this.pending.set(key, item);
  }

  /** A document's story; none when it cannot be cleaned (pass 2 reports that failure). */
  private async storyOf(parsed: ParsedDocument): Promise<Story | null> {
    try {
      return await storyOf(parsed, this.run.language);
    } catch {
      return null;
    }
  }

  /** The stats recorded for a file read this run: the listing's, else the read's; racy if recent. */
  private statsOf(key: string, read: Exclude<ContentRead, null | ContentFailure>) {
    const { listed } = this.plan;
    const stat: ListedStat = listed.get(key) ?? {
      size: read.size,
      ...(read.modified ? { mtime: read.modified.getTime() } : {}),
    };
    const sidecar = read.sidecar
      ? {
          key: read.sidecar.key,
          ...(listed.get(read.sidecar.key) ?? {
            size: read.sidecar.size,
            ...(read.sidecar.modified ? { mtime: read.sidecar.modified.getTime() } : {}),
          }),
        }
      : undefined;
    // startedAt: every read of this run happens after it (see isRacy).
    const racy = isRacy(stat.mtime, this.run.startedAt) || isRacy(sidecar?.mtime, this.run.startedAt);
    return { stat, sidecar, racy };
  }

  /** Pass 2 for a document not held: read again, unless it changed between the passes. */
  private async reread(item: Pending): Promise<ParsedDocument | null> {
    const read = await this.read(item.id, item.format);
    if (read && 'raw' in read && (await rawHashOf(read.raw, this.run.language)) === item.hash) {
      return parseDocument(read.raw);
    }
    // Changed between the passes: its counted keys stay; the next scan sees a new stat.
    this.run.failures.push({
      sourceId: item.id,
      message: 'file changed while the build ran; it will be read again next run',
    });
    const entry = this.index.get(item.id);
    if (entry) this.index.set(item.id, { ...entry, size: -1 });
    return null;
  }
}
