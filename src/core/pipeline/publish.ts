/**
 * Publishing: rendered or planned documents → bytes, precompressed variants and a new sharded
 * manifest (manifest.ts) in Storage, with work proportional to what changed.
 *
 * Two modes. Without `options.patch`, `documents` is the complete set of served routes (routes
 * published before and absent now are unpublished). With `patch`, `documents` are upserts,
 * `patch.remove` routes are unpublished, and for each `patch.replacePrefixes` entry P every
 * published route under P (segment-wise: `/tags/a` covers `/tags/a/…`, never `/tags/ab`) that
 * is not in `documents` is unpublished. Other routes carry over untouched: their shards are not
 * read, their bytes not read, hashed or rewritten.
 *
 * Order (STYLE rule 4, "documents first, then the manifest that points at them"):
 *   1. read the root and the shards this run touches (the shards of the documents, removals and
 *      prefixes; every shard in full mode, after a dead run, or to upgrade a version 1 manifest);
 *   2. each document, PIPELINE_CONCURRENCY at a time: a planned document whose input digest
 *      equals its live entry's `inputs` keeps its entry unrendered; else render → hash → if the
 *      ETag is unchanged keep the entry, else compress → write identity, `.gz`, `.br` (not for
 *      an immutable document: gzip only) under
 *      content-addressed keys (`_v/<hex16>/<route key>`) no live manifest names → drop the bytes.
 *      At most PIPELINE_CONCURRENCY documents' bytes are alive at once, whatever the total;
 *      before the first such write the journal (publish-journal.ts) marks the run as started;
 *   3. the journal is rewritten to name the routes whose route-named copies will be refreshed;
 *      the touched shards whose entries changed are written (content-addressed as well);
 *   4. the root is written under MANIFEST_KEY: the atomic swap (commit point);
 *   5. after the swap, the route-named copies (`feed.xml`, `articles/x.html`, … for people and
 *      static hosts, never read by the app) are copied from the new version keys, variants
 *      before identity (with `storage.copy` when the driver has it: no bytes pass through here); then whatever the new manifest no longer references is deleted (old
 *      versions and shards of the touched routes; everything unreferenced under `_v/` after a
 *      dead run); then the journal goes.
 * A version or shard key is never rewritten with other bytes, so a process killed at any point
 * (SIGKILL: no rollback runs) leaves a root whose every shard and entry names complete, matching
 * bytes; its journal makes the next run refresh the copies and sweep the orphans. If anything
 * throws before step 4 completes, the keys this run wrote are deleted again (none was live) and
 * the error propagates. Route copies are written after the swap (not before, as until version 1)
 * so that neither a rollback snapshot nor a copy holds bytes: publish memory stays bounded.
 *
 * Must not: read the clock except through Clock, import node:*, or publish two documents under
 * one key. Tunables: MIN_COMPRESS_BYTES, RESERVED_KEYS and the concurrency limits below.
 * Not safe against two publishers running at once on one storage (the caller serialises runs).
 */

import type { Clock } from '../../ports/clock.ts';
import type { Compressor } from '../../ports/compressor.ts';
import type { Logger } from '../../ports/logger.ts';
import type { Storage } from '../../ports/storage.ts';
import { sha256Hex, shortDigest, strongEtag } from '../digest/hash.ts';
import type { RenderedDocument } from '../model.ts';
import { type PlannedDocument, RENDER_VERSION } from '../render/planned-document.ts';
import { STATUS_KEY } from './build-status.ts';
import {
  isShardFolderKey,
  MANIFEST_KEY,
  type Manifest,
  type ManifestEntry,
  type ManifestRoot,
  type ManifestVariant,
  routeToKey,
  type ShardRef,
  type StoredManifest,
  serializeManifestRoot,
  serializeManifestShard,
  shardKey,
  VERSIONED_PREFIX,
  versionedKey,
} from './manifest.ts';
import { isUnderPrefix, SHARD_LAYOUT_VERSION, shardOf, shardsUnder } from './manifest-shard.ts';
import { loadShard, loadStoredManifest } from './manifest-store.ts';
import { IO_CONCURRENCY, mapConcurrent } from './map-concurrent.ts';
import { type Journal, PUBLISH_JOURNAL_KEY, readJournal, serializeJournal } from './publish-journal.ts';
import { createLimiter, runPool } from './publish-pool.ts';

export { PUBLISH_JOURNAL_KEY } from './publish-journal.ts';

/** Below this size gzip/brotli overhead eats the gain; such documents are served as-is. */
const MIN_COMPRESS_BYTES = 256;
/** Keys the pipeline owns; a route mapping onto one would overwrite the manifest or the status. */
const RESERVED_KEYS: ReadonlySet<string> = new Set([MANIFEST_KEY, STATUS_KEY, PUBLISH_JOURNAL_KEY]);
/**
 * Documents in the render → hash → compress → write pipeline at once: the bound on rendered
 * bytes held (each document's identity, gzip and brotli bytes live only while it is in flight).
 * A few more than the compression slots keeps hashing and writing overlapped with compression.
 */
export const PIPELINE_CONCURRENCY = 8;
/**
 * Documents compressed at once: Node's zlib runs on the libuv pool (4 threads by default), so a
 * few more than the cores keeps every core busy.
 */
const COMPRESS_CONCURRENCY = 4;
/**
 * Writes in flight at once, across the whole publish. Small on purpose: a process killed
 * mid-publish leaves at most this many temp files of the fs driver behind (swept later).
 */
const WRITE_CONCURRENCY = 2;

export interface PublishDeps {
  readonly storage: Storage;
  readonly compressor: Compressor;
  readonly clock: Clock;
  readonly logger: Logger;
}

/** A partial publish: see the header. */
export interface PublishPatch {
  /** Routes to unpublish (not published: ignored). */
  readonly remove?: readonly string[];
  /** Route prefixes whose published routes not in `documents` are unpublished. */
  readonly replacePrefixes?: readonly string[];
}

export interface PublishOptions {
  readonly patch?: PublishPatch;
  /**
   * Render every planned document even when its input digest equals the live entry's (an
   * operator's `kiosque build --full`): frozen archive pages, whose inputs name their items by
   * place only, then take their articles as they are now. Equal bytes still keep their entry.
   */
  readonly rerender?: boolean;
  /**
   * Storage keys found missing or damaged in the live publication (publish/verify-published.ts):
   * treated like a dead run's journal names them, so a planned document whose version or route
   * copy is among them is written again even when its inputs are unchanged.
   */
  readonly suspect?: ReadonlySet<string>;
}

export interface PublishResult {
  /**
   * Generation, publishedAt and the entries of the routes given in `documents` (in full mode:
   * every published route; in a patch: the upserted ones). `manifest-store.ts` loadManifest
   * reads the complete view back.
   */
  readonly manifest: Manifest;
  /** The root written under MANIFEST_KEY. */
  readonly root: ManifestRoot;
  /** Route paths whose bytes were (re)written, in input order. */
  readonly changed: string[];
  readonly unchanged: number;
  /** Route paths published before and not any more, sorted. */
  readonly removed: string[];
  /** Shard objects read (previous state) and written by this run; total in the new root. */
  readonly shards: { readonly read: number; readonly written: number; readonly total: number };
}

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

/** Thrown before anything is written when the set of documents cannot be published as given. */
export class PublishInputError extends Error {
  override readonly name = 'PublishInputError';
}

/** A document whose bytes this run has (rendered or given). */
type Publishable = RenderedDocument | PlannedDocument;

function isPlanned(document: Publishable): document is PlannedDocument {
  return 'render' in document;
}

/** A key and the keys of its precompressed variants. */
function variantKeys(key: string): string[] {
  return [key, `${key}.gz`, `${key}.br`];
}

function entryKeys(entry: ManifestEntry): string[] {
  const keys = [entry.key];
  if (entry.gzip) keys.push(entry.gzip.key);
  if (entry.br) keys.push(entry.br.key);
  return keys;
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Two promises started together, each marked as handled so that one failing while the caller
 * still awaits the other is not an unhandled rejection; awaiting either still throws its error.
 */
function settled<A, B>(a: Promise<A>, b: Promise<B>): [Promise<A>, Promise<B>] {
  a.catch(() => {});
  b.catch(() => {});
  return [a, b];
}

/** HTTP dates carry whole seconds; a finer Last-Modified could never match If-Modified-Since. */
function toHttpPrecision(date: Date): string {
  return new Date(Math.floor(date.getTime() / 1000) * 1000).toISOString();
}

const encoder = new TextEncoder();

/** Validates routes and keys of every document; returns each route key. Throws before any write. */
function claimRoutes(documents: readonly Publishable[]): string[] {
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

function validatePatch(patch: PublishPatch, paths: ReadonlySet<string>): void {
  for (const path of patch.remove ?? []) {
    routeToKey(path);
    if (paths.has(path)) throw new PublishInputError(`Route ${path} is both published and removed`);
  }
  for (const prefix of patch.replacePrefixes ?? []) if (prefix !== '/') routeToKey(prefix);
}

/** Outcome of one document in the pipeline. */
interface Outcome {
  readonly entry: ManifestEntry;
  readonly changed: boolean;
}

/** A write this run made before the swap: deleted again on rollback unless it was live. */
interface Written {
  readonly key: string;
  readonly wasLive: boolean;
}

/** Stores the bytes of version key `from` under route key `to` (storage.copy, else get + put). */
async function copyVersion(storage: Storage, path: string, from: string, to: string): Promise<void> {
  // A driver's copy moves no bytes through here (fs: a hard link renamed into place).
  if (storage.copy) {
    if (!(await storage.copy(from, to))) throw new Error(`version ${from} of ${path} is missing`);
    return;
  }
  const stored = await storage.get(from);
  if (!stored) throw new Error(`version ${from} of ${path} is missing`);
  await storage.put(to, stored.body);
}

/** Route copies (`feed.xml.gz`, `feed.xml.br`, `feed.xml`) of one entry, from its version keys. */
async function copyRoute(
  storage: Storage,
  path: string,
  entry: ManifestEntry,
  write: <R>(task: () => Promise<R>) => Promise<R>,
): Promise<void> {
  const routeKey = routeToKey(path);
  // Variants first, identity last: an identity copy that matches proves its variants were written.
  for (const variant of [entry.gzip, entry.br]) {
    if (!variant) continue;
    const to = `${routeKey}${variant.key.slice(entry.key.length)}`;
    await write(() => copyVersion(storage, path, variant.key, to));
  }
  await write(() => copyVersion(storage, path, entry.key, routeKey));
}

/**
 * Publishes `documents` (the complete route set, or with `options.patch` upserts + removals).
 * See the header for the order and the guarantees.
 */
export async function publishDocuments(
  documents: readonly Publishable[],
  deps: PublishDeps,
  options: PublishOptions = {},
): Promise<PublishResult> {
  const { storage, compressor, clock, logger } = deps;
  const { patch, rerender = false, suspect } = options;
  const routeKeys = claimRoutes(documents);
  const documentPaths = new Set(documents.map((document) => document.path));
  if (patch) validatePatch(patch, documentPaths);

  // 1. Previous state: the root, then the shards this run needs.
  let stored: StoredManifest | null = null;
  try {
    stored = await loadStoredManifest(storage);
  } catch (error) {
    if (patch) {
      throw new PublishInputError(
        `A patch needs the previous manifest, which is unreadable (${(error as Error).message}); publish every document once`,
      );
    }
    // A corrupt manifest must not block a full publish forever: start a fresh generation.
    logger.warn('previous manifest unreadable; publishing from scratch', { error: (error as Error).message });
  }
  const journal = await readJournal(storage);
  if (journal !== null) logger.warn('the previous publish did not finish; verifying what it wrote');

  const previousRefs = new Map<string, ShardRef>();
  /** Previous entries per shard, for every shard read (or regrouped from a version 1 manifest). */
  const previous = new Map<string, Map<string, ManifestEntry>>();
  const regroup = (entries: Iterable<[string, ManifestEntry]>): void => {
    for (const [path, entry] of entries) {
      const id = shardOf(path);
      let shard = previous.get(id);
      if (!shard) {
        shard = new Map();
        previous.set(id, shard);
      }
      shard.set(path, entry);
    }
  };
  let shardsRead = 0;
  /** Whether every previous entry is known (needed to sweep `_v/`, and in full mode). */
  let previousComplete = stored !== null;
  /** Shards whose entries may change (and so are rewritten if they do). */
  const touched = new Set<string>();
  // Every shard is rewritten when there is no root to carry over from (v1, new layout).
  let rewriteAll = false;
  if (stored?.version === 1) {
    regroup(Object.entries(stored.documents));
    rewriteAll = true;
  } else if (stored?.version === 2) {
    for (const [id, ref] of Object.entries(stored.shards)) previousRefs.set(id, ref);
    const sweep = journal !== null;
    const relayout = stored.layout !== SHARD_LAYOUT_VERSION;
    const needed = new Set<string>();
    if (!patch || sweep || relayout) for (const id of previousRefs.keys()) needed.add(id);
    else {
      for (const path of documentPaths) needed.add(shardOf(path));
      for (const path of patch.remove ?? []) needed.add(shardOf(path));
      for (const prefix of patch.replacePrefixes ?? [])
        for (const id of shardsUnder(prefix, previousRefs.keys())) needed.add(id);
    }
    const ids = [...needed].filter((id) => previousRefs.has(id));
    const loaded = await mapConcurrent(ids, IO_CONCURRENCY, async (id) => {
      try {
        // Read with the layout the root was cut with (it may be an older one: relayout below).
        return await loadShard(storage, id, previousRefs.get(id) as ShardRef, stored.layout);
      } catch (error) {
        if (patch) {
          throw new PublishInputError(
            `A patch needs manifest shard ${id}, which is unreadable (${(error as Error).message}); publish every document once`,
          );
        }
        logger.warn('previous manifest shard unreadable; its routes are published afresh', {
          shard: id,
          error: (error as Error).message,
        });
        previousComplete = false;
        return null;
      }
    });
    shardsRead = ids.length;
    for (const [index, id] of ids.entries()) {
      const entries = loaded[index];
      // Same layout: loading checked that every path of the shard belongs to it.
      if (entries && !relayout) previous.set(id, new Map(Object.entries(entries)));
      else if (entries) regroup(Object.entries(entries));
      // An unreadable shard is touched (rewritten or dropped), so the root stops naming it.
      else touched.add(id);
    }
    if (relayout) rewriteAll = true;
  }
  if (!patch || rewriteAll) for (const id of [...previous.keys(), ...previousRefs.keys()]) touched.add(id);
  for (const path of documentPaths) touched.add(shardOf(path));
  const entryOf = (path: string): ManifestEntry | undefined => previous.get(shardOf(path))?.get(path);

  // Routes unpublished by this run.
  const removedPaths = new Set<string>();
  if (!patch) {
    for (const shard of previous.values())
      for (const path of shard.keys()) if (!documentPaths.has(path)) removedPaths.add(path);
  } else {
    for (const path of patch.remove ?? []) {
      if (entryOf(path)) {
        removedPaths.add(path);
        touched.add(shardOf(path));
      }
    }
    for (const prefix of patch.replacePrefixes ?? []) {
      for (const [id, shard] of previous) {
        for (const path of shard.keys()) {
          if (isUnderPrefix(path, prefix) && !documentPaths.has(path)) {
            removedPaths.add(path);
            touched.add(id);
          }
        }
      }
    }
    // A carried-over route must not share a storage key with an upsert (`/x` and `/x.html`):
    // both always sit in one shard (manifest-shard.ts), which this run has read.
    // Only those two spellings (and `/` with `/index.html`) share a key, so each upsert checks
    // its twin instead of keying every carried-over route of its shard.
    for (const [index, document] of documents.entries()) {
      const owner = keyTwinsOf(document.path).find(
        (twin) => !documentPaths.has(twin) && !removedPaths.has(twin) && entryOf(twin) !== undefined,
      );
      if (owner !== undefined) {
        throw new PublishInputError(
          `Route ${document.path} maps to storage key ${routeKeys[index]}, published for ${owner}`,
        );
      }
    }
  }

  const isSuspect = (key: string): boolean =>
    (journal !== null && (journal.all || journal.keys.has(key))) || suspect?.has(key) === true;
  const now = clock.now();
  const lastModified = toHttpPrecision(now);
  const write = createLimiter(WRITE_CONCURRENCY);
  const compress = createLimiter(COMPRESS_CONCURRENCY);
  const written: Written[] = [];
  /** Routes whose route-named copies are refreshed after the swap. */
  const copies = new Set<string>();
  let journalWritten = false;
  let journalStart: Promise<void> | null = null;
  /** The journal as it must read before this run's next write (carrying a dead run's findings). */
  const journalState = (): Journal => ({
    all: journal?.all ?? false,
    keys: journal?.keys ?? new Set(),
    copies: new Set([...(journal?.copies ?? []), ...copies]),
  });
  const startJournal = (): Promise<void> => {
    journalStart ??= storage.put(PUBLISH_JOURNAL_KEY, serializeJournal(journalState())).then(() => {
      journalWritten = true;
    });
    return journalStart;
  };
  const putVersion = async (key: string, body: Uint8Array, wasLive: boolean): Promise<void> => {
    await startJournal();
    await write(() => storage.put(key, body));
    written.push({ key, wasLive });
  };

  /** A suspect variant of a live entry still holds the bytes its digest names. */
  const variantsIntact = async (entry: ManifestEntry): Promise<boolean> => {
    for (const variant of [entry.gzip, entry.br]) {
      if (!variant || !isSuspect(variant.key)) continue;
      const stored = await storage.get(variant.key);
      if (stored === null || (await shortDigest(stored.body)) !== variant.digest) return false;
    }
    return true;
  };

  /** 2. One document through the pipeline; its bytes are garbage once this returns. */
  const publishOne = async (document: Publishable, routeKey: string): Promise<Outcome> => {
    const before = entryOf(document.path);
    const versionSuspect = before !== undefined && entryKeys(before).some(isSuspect);
    if (variantKeys(routeKey).some(isSuspect)) copies.add(document.path);
    const inputs = isPlanned(document) ? await shortDigest(`${RENDER_VERSION}\n${document.inputs}`) : null;
    const flags = (entry: ManifestEntry): ManifestEntry => {
      // The immutable flag and the content type follow the latest plan (a page becomes immutable once complete).
      const { immutable: _immutable, inputs: _inputs, ...rest } = entry;
      return {
        ...rest,
        contentType: document.contentType,
        ...(document.immutable ? { immutable: true } : {}),
        ...(inputs !== null ? { inputs } : {}),
      };
    };
    if (before !== undefined && inputs !== null && before.inputs === inputs && !versionSuspect && !rerender) {
      return { entry: flags(before), changed: false };
    }
    const bytes = encoder.encode(isPlanned(document) ? await document.render() : document.body);
    const etag = await strongEtag(bytes);
    const key = versionedKey(routeKey, etag);
    if (before !== undefined && before.etag === etag && before.key === key) {
      // Same bytes as the live entry: trusted, unless a dead run's journal names its key.
      const stored = versionSuspect ? await storage.get(key) : null;
      if (
        !versionSuspect ||
        (stored !== null && bytesEqual(stored.body, bytes) && (await variantsIntact(before)))
      ) {
        return { entry: flags(before), changed: false };
      }
    }
    const wasLive = before?.key === key;
    // Both encodings are queued now (at most COMPRESS_CONCURRENCY run at once) and run while the
    // identity is written and while each other's result is hashed and written: awaited one after
    // the other, each left this document's pipeline waiting for its whole duration. An immutable
    // document (a frozen archive page, fetched about once per client, ever) gets gzip only:
    // brotli saved about 10 % of its gzip bytes for 1.4× gzip's CPU, paid again by every run that
    // freezes or shifts a page (a 20-document tag shift at 10,000 articles: 336 → 268 ms median).
    const compressed =
      bytes.byteLength >= MIN_COMPRESS_BYTES
        ? settled(
            compress(() => compressor.gzip(bytes)),
            document.immutable ? Promise.resolve(null) : compress(() => compressor.brotli(bytes)),
          )
        : null;
    // Identity first: a failed run that got as far as a variant has always touched the identity.
    await putVersion(key, bytes, wasLive);
    let entry: ManifestEntry = {
      key,
      contentType: document.contentType,
      etag,
      lastModified,
      size: bytes.byteLength,
    };
    if (compressed !== null) {
      const gzipBytes = await compressed[0];
      const gzip: ManifestVariant = {
        key: `${key}.gz`,
        size: gzipBytes.byteLength,
        digest: await shortDigest(gzipBytes),
      };
      await putVersion(gzip.key, gzipBytes, wasLive);
      entry = { ...entry, gzip };
      const brBytes = await compressed[1];
      if (brBytes !== null) {
        const br: ManifestVariant = {
          key: `${key}.br`,
          size: brBytes.byteLength,
          digest: await shortDigest(brBytes),
        };
        await putVersion(br.key, brBytes, wasLive);
        entry = { ...entry, br };
      }
    }
    if (document.immutable) entry = { ...entry, immutable: true };
    if (inputs !== null) entry = { ...entry, inputs };
    copies.add(document.path);
    return { entry, changed: true };
  };

  const outcomes = new Array<Outcome>(documents.length);
  const newRefs = new Map<string, ShardRef>(previousRefs);
  const writtenShards: string[] = [];
  let root: ManifestRoot | null = null;
  let swapped = false;
  try {
    await runPool(documents, PIPELINE_CONCURRENCY, async (document, index) => {
      outcomes[index] = await publishOne(document, routeKeys[index] ?? routeToKey(document.path));
    });

    // New contents of the touched shards.
    const next = new Map<string, Map<string, ManifestEntry>>();
    for (const id of touched) {
      const shard = new Map<string, ManifestEntry>();
      // A patch carries the rest of the shard over (`previous` is grouped by the current
      // layout, also when it came from a version 1 manifest or an older layout).
      if (patch) {
        for (const [path, entry] of previous.get(id) ?? [])
          if (!removedPaths.has(path)) shard.set(path, entry);
      }
      next.set(id, shard);
    }
    // Shards whose entries may differ from the stored ones. A patch run plans many documents it
    // does not change (a scope's current feeds, neighbouring pages): their shards keep their
    // bytes, so they are not serialized and hashed again only to find the same key.
    // Only a patch run can skip that; a complete publish serializes every touched shard (and still
    // writes only those whose key changed), so it compares no entries.
    const mayKeepShards = patch !== undefined && !rewriteAll && journal === null;
    const dirty = new Set<string>();
    for (const path of removedPaths) dirty.add(shardOf(path));
    for (const [index, document] of documents.entries()) {
      const outcome = outcomes[index] as Outcome;
      const id = shardOf(document.path);
      next.get(id)?.set(document.path, outcome.entry);
      if (!mayKeepShards || dirty.has(id)) continue;
      const before = entryOf(document.path);
      if (
        outcome.changed ||
        before === undefined ||
        JSON.stringify(outcome.entry) !== JSON.stringify(before)
      ) {
        dirty.add(id);
      }
    }
    const keepsBytes = (id: string): boolean =>
      mayKeepShards && !dirty.has(id) && previous.has(id) && previousRefs.has(id);
    // After a dead run: refresh the route copies it may have left stale (journal `copies` and
    // suspect keys; all of them when the journal was unreadable). Every shard was read.
    if (journal !== null) {
      const live = (path: string): ManifestEntry | undefined =>
        next.get(shardOf(path))?.get(path) ?? entryOf(path);
      for (const shard of previous.values()) {
        for (const path of shard.keys()) {
          if (removedPaths.has(path) || copies.has(path)) continue;
          const routeKey = routeToKey(path);
          if (journal.all || journal.copies.has(path) || variantKeys(routeKey).some(isSuspect)) {
            if (live(path)) copies.add(path);
          }
        }
      }
    }

    // 3. The journal names the copies to refresh after the swap; then the changed shards.
    const shardWrites: { id: string; key: string; body: Uint8Array }[] = [];
    for (const [id, shard] of next) {
      if (shard.size === 0) {
        newRefs.delete(id);
        continue;
      }
      if (keepsBytes(id)) continue;
      const body = serializeManifestShard(id, Object.fromEntries(shard));
      const key = shardKey(id, await sha256Hex(body));
      if (previousRefs.get(id)?.key === key) continue;
      newRefs.set(id, { key, count: shard.size });
      shardWrites.push({ id, key, body });
    }
    if (journalWritten || shardWrites.length > 0 || copies.size > 0 || journal !== null) {
      await storage.put(PUBLISH_JOURNAL_KEY, serializeJournal(journalState()));
      journalWritten = true;
    }
    await runPool(shardWrites, WRITE_CONCURRENCY, async ({ id, key, body }) => {
      await write(() => storage.put(key, body));
      writtenShards.push(id);
      written.push({ key, wasLive: false });
    });

    // 4. The swap.
    const shards: Record<string, ShardRef> = {};
    for (const id of [...newRefs.keys()].sort()) shards[id] = newRefs.get(id) as ShardRef;
    root = {
      version: 2,
      layout: SHARD_LAYOUT_VERSION,
      generation: (stored?.generation ?? 0) + 1,
      publishedAt: now.toISOString(),
      shards,
    };
    await storage.put(MANIFEST_KEY, serializeManifestRoot(root));
    swapped = true;

    // Post-swap bookkeeping needs the new entries: keep them in `next` via closure below.
    return await finish(next);
  } catch (error) {
    if (swapped) throw error; // after the swap: nothing to roll back (finish logs its own failures)
    logger.error('publish failed before the manifest swap; removing what it wrote', {
      error: (error as Error).message,
      written: written.length,
    });
    let clean = true;
    for (const { key, wasLive } of [...written].reverse()) {
      // A live key rewritten after a failed verification now holds the right bytes: keep it.
      if (wasLive) continue;
      try {
        await storage.delete(key);
      } catch (deleteError) {
        // Orphans only: the journal stays, and the next run sweeps them.
        clean = false;
        logger.error('publish rollback failed for key', { key, error: (deleteError as Error).message });
      }
    }
    if (journalStart) await (journalStart as Promise<void>).catch(() => {});
    // A complete rollback leaves nothing to verify: the journal goes (unless a dead run's findings are still open).
    if (clean && journalWritten && journal === null)
      await storage.delete(PUBLISH_JOURNAL_KEY).catch(() => {});
    throw error;
  }

  /** 5. After the swap nothing can un-publish: failures are logged and only leave garbage. */
  async function finish(next: Map<string, Map<string, ManifestEntry>>): Promise<PublishResult> {
    const newRoot = root as ManifestRoot;
    const liveEntry = (path: string): ManifestEntry | undefined => {
      const id = shardOf(path);
      return next.has(id) ? next.get(id)?.get(path) : entryOf(path);
    };
    let copiesComplete = true;
    await runPool([...copies].sort(), WRITE_CONCURRENCY, async (path) => {
      const entry = liveEntry(path);
      if (!entry) return;
      try {
        await copyRoute(storage, path, entry, write);
      } catch (error) {
        copiesComplete = false;
        logger.warn('could not refresh a route copy', { path, error: (error as Error).message });
      }
    });

    // What the new manifest no longer references.
    const doomed = new Set<string>();
    for (const path of removedPaths) {
      const before = entryOf(path);
      if (before) for (const key of entryKeys(before)) doomed.add(key);
      for (const key of variantKeys(routeToKey(path))) doomed.add(key);
    }
    for (const [index, document] of documents.entries()) {
      const outcome = outcomes[index] as Outcome;
      const before = entryOf(document.path);
      if (!outcome.changed) continue;
      const keep = new Set(entryKeys(outcome.entry));
      if (before) for (const key of entryKeys(before)) if (!keep.has(key)) doomed.add(key);
      // The route copy mirrors the entry: a variant copy only where the entry has one.
      const routeKey = routeKeys[index] ?? routeToKey(document.path);
      if (!outcome.entry.gzip) doomed.add(`${routeKey}.gz`);
      if (!outcome.entry.br) doomed.add(`${routeKey}.br`);
    }
    for (const [id, ref] of previousRefs) if (newRefs.get(id)?.key !== ref.key) doomed.add(ref.key);
    // Orphans exist only if a run died (journal) or the previous manifest was lost: only then
    // is the whole `_v/` tree listed (at 100,000 documents that is a walk of 100,000 folders).
    if (journal !== null || !previousComplete) {
      const live = new Set<string>();
      for (const ref of newRefs.values()) live.add(ref.key);
      for (const [id, shard] of previous)
        if (!next.has(id))
          for (const entry of shard.values()) for (const key of entryKeys(entry)) live.add(key);
      for (const shard of next.values())
        for (const entry of shard.values()) for (const key of entryKeys(entry)) live.add(key);
      try {
        for (const key of await storage.list(VERSIONED_PREFIX)) if (!live.has(key)) doomed.add(key);
      } catch (error) {
        logger.warn('could not list old versions', { error: (error as Error).message });
      }
    }
    // Never delete what the new manifest names (a kept entry shares its keys with the previous one).
    for (const shard of next.values())
      for (const entry of shard.values()) for (const key of entryKeys(entry)) doomed.delete(key);
    for (const ref of newRefs.values()) doomed.delete(ref.key);
    // Nor the route copies of published documents (identity, and the variants their entry has).
    for (const [index, document] of documents.entries()) {
      const entry = (outcomes[index] as Outcome).entry;
      const routeKey = routeKeys[index] ?? routeToKey(document.path);
      for (const key of entryKeys(entry)) doomed.delete(`${routeKey}${key.slice(entry.key.length)}`);
    }
    // Deletes leave no temp file and their order does not matter: IO_CONCURRENCY, not WRITE_CONCURRENCY.
    await mapConcurrent([...doomed].sort(), IO_CONCURRENCY, async (key) => {
      try {
        await storage.delete(key);
      } catch (error) {
        logger.warn('could not delete unpublished object', { key, error: (error as Error).message });
      }
    });
    if (journalWritten && copiesComplete) {
      await storage
        .delete(PUBLISH_JOURNAL_KEY)
        .catch((error: unknown) =>
          logger.warn('could not clear the publish journal', { error: (error as Error).message }),
        );
    }

    const changed: string[] = [];
    const entries: Record<string, ManifestEntry> = {};
    let unchanged = 0;
    for (const [index, document] of documents.entries()) {
      const outcome = outcomes[index] as Outcome;
      entries[document.path] = outcome.entry;
      if (outcome.changed) changed.push(document.path);
      else unchanged++;
    }
    const removed = [...removedPaths].sort();
    logger.info('published', {
      generation: newRoot.generation,
      changed: changed.length,
      unchanged,
      removed: removed.length,
      shardsRead,
      shardsWritten: writtenShards.length,
    });
    return {
      manifest: {
        version: 2,
        generation: newRoot.generation,
        publishedAt: newRoot.publishedAt,
        documents: entries,
      },
      root: newRoot,
      changed,
      unchanged,
      removed,
      shards: { read: shardsRead, written: writtenShards.length, total: newRefs.size },
    };
  }
}
