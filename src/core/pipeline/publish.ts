/**
 * Publishing: rendered documents → bytes, precompressed variants and one new manifest in Storage.
 *
 * Order (STYLE rule 4, "documents first, then the manifest that points at them"):
 *   0. write the journal (PUBLISH_JOURNAL_KEY): the keys this run is about to write;
 *   1. read the previous manifest; hash every document once (strong ETag of its UTF-8 bytes);
 *   2. unchanged bytes keep their entry (and so their Last-Modified) and are not rewritten, nor
 *      read back: a live version key is never rewritten (content-addressed), so only keys a
 *      previous run's journal names (it died before clearing it) are verified against the bytes;
 *   3. changed/new documents: compress, then write identity bytes, `<key>.gz`, `<key>.br` under
 *      content-addressed keys (`_v/<hex16>/<route key>`, manifest.ts versionedKey) that no live
 *      manifest references yet;
 *      then refresh the route-named copies (`feed.xml`, …: for people and static hosts, never read
 *      by the app) of changed documents, and of unchanged ones whose copy is stale;
 *   4. write the new manifest (generation + 1) under MANIFEST_KEY: the atomic swap;
 *   5. only then delete what the new manifest no longer references, including `_v/` orphans that
 *      a killed run left behind (listed only when a journal says a run died), then the journal.
 * Because a version's key is never rewritten with other bytes, a process killed at any point
 * (SIGKILL: no rollback runs) leaves a manifest whose every key holds complete, matching bytes.
 * If anything throws before step 4 completes, what was written is removed again (or restored)
 * and the error propagates.
 *
 * Planned documents (render/planned-document.ts) whose input digest equals the live entry's
 * `inputs` keep their entry without being rendered, hashed or read.
 * Work is proportional to what changed: hashing and compression run concurrently
 * (HASH_CONCURRENCY, COMPRESS_CONCURRENCY), writes WRITE_CONCURRENCY at a time in three ordered
 * phases (versions, variant route copies, identity route copies).
 *
 * Must not: read the clock except through Clock, import node:*, or publish two documents under
 * one key. Tunables: MIN_COMPRESS_BYTES, RESERVED_KEYS, the concurrency limits below.
 * Not safe against two publishers running at once on one storage (the caller serialises runs).
 */

import type { Clock } from '../../ports/clock.ts';
import type { Compressor } from '../../ports/compressor.ts';
import type { Logger } from '../../ports/logger.ts';
import type { Storage } from '../../ports/storage.ts';
import type { RenderedDocument } from '../model.ts';
import { type PlannedDocument, RENDER_VERSION } from '../render/planned-document.ts';
import { STATUS_KEY } from './build-status.ts';
import { shortDigest, strongEtag } from './hash.ts';
import {
  MANIFEST_KEY,
  type Manifest,
  type ManifestEntry,
  type ManifestVariant,
  parseManifest,
  routeToKey,
  serializeManifest,
  VERSIONED_PREFIX,
  versionedKey,
} from './manifest.ts';
import { IO_CONCURRENCY, mapConcurrent } from './map-concurrent.ts';

/** Below this size gzip/brotli overhead eats the gain; such documents are served as-is. */
const MIN_COMPRESS_BYTES = 256;
/**
 * Written before the first write of a publish, deleted after the last: its presence at the start
 * of a run means the previous one died mid-way, and its list names the keys that may hold bytes
 * no manifest describes (stale route copies, orphan versions).
 */
export const PUBLISH_JOURNAL_KEY = 'publish-journal.json';
/** Keys the pipeline owns; a route mapping onto one would overwrite the manifest or the status. */
const RESERVED_KEYS: ReadonlySet<string> = new Set([MANIFEST_KEY, STATUS_KEY, PUBLISH_JOURNAL_KEY]);
/** Documents hashed at once (Web Crypto digests run off the main thread on Node). */
const HASH_CONCURRENCY = 8;
/**
 * Documents compressed at once: Node's zlib runs on the libuv pool (4 threads by default), so a
 * few more than the cores keeps every core busy; brotli 11 is the bulk of a full build's CPU.
 */
const COMPRESS_CONCURRENCY = 4;
/**
 * Writes in flight at once. Small on purpose: a process killed mid-publish leaves at most this
 * many temp files of the fs driver behind (swept later), and each phase's order still holds.
 */
const WRITE_CONCURRENCY = 2;

export interface PublishDeps {
  readonly storage: Storage;
  readonly compressor: Compressor;
  readonly clock: Clock;
  readonly logger: Logger;
}

export interface PublishResult {
  readonly manifest: Manifest;
  /** Route paths whose bytes were (re)written, in input order. */
  readonly changed: string[];
  readonly unchanged: number;
  /** Route paths published before and not any more, sorted. */
  readonly removed: string[];
}

/** Thrown before anything is written when the set of documents cannot be published as given. */
export class PublishInputError extends Error {
  override readonly name = 'PublishInputError';
}

interface PreparedDocument {
  readonly path: string;
  /** Content-addressed key of this version (what the manifest names). */
  readonly key: string;
  /** Route-named key of the human copy (`feed.xml`). */
  readonly routeKey: string;
  readonly contentType: string;
  readonly bytes: Uint8Array;
  readonly etag: string;
  readonly immutable: boolean;
}

interface PendingWrite {
  readonly key: string;
  readonly body: Uint8Array;
}

const encoder = new TextEncoder();

/**
 * What the previous run's journal says: `null` = no journal (it finished: trust the manifest),
 * `'all'` = a journal that cannot be read (verify everything), else the keys it may have touched.
 */
type Suspects = null | 'all' | ReadonlySet<string>;

async function readJournal(storage: Storage): Promise<Suspects> {
  const stored = await storage.get(PUBLISH_JOURNAL_KEY);
  if (!stored) return null;
  try {
    const value = JSON.parse(new TextDecoder().decode(stored.body)) as { keys?: unknown };
    if (Array.isArray(value.keys) && value.keys.every((k) => typeof k === 'string')) {
      return new Set(value.keys as string[]);
    }
  } catch {
    // fall through: an unreadable journal means "verify everything"
  }
  return 'all';
}

function isSuspect(suspects: Suspects, key: string): boolean {
  return suspects === 'all' || suspects?.has(key) === true;
}

/** HTTP dates carry whole seconds; a finer Last-Modified could never match If-Modified-Since. */
function toHttpPrecision(date: Date): string {
  return new Date(Math.floor(date.getTime() / 1000) * 1000).toISOString();
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
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

async function readPreviousManifest(storage: Storage, logger: Logger): Promise<Manifest | null> {
  const stored = await storage.get(MANIFEST_KEY);
  if (!stored) return null;
  try {
    return parseManifest(stored.body);
  } catch (error) {
    // A corrupt manifest must not block publishing forever: start a fresh generation.
    logger.warn('previous manifest unreadable; publishing from scratch', {
      error: (error as Error).message,
    });
    return null;
  }
}

/** A document whose bytes this run has (rendered or given). */
type Publishable = RenderedDocument | PlannedDocument;

function isPlanned(document: Publishable): document is PlannedDocument {
  return 'render' in document;
}

/** Validates routes and keys (every document, rendered or not); returns each route key. Throws before any write. */
function claimRoutes(documents: readonly Publishable[]): string[] {
  const seenPaths = new Set<string>();
  const seenKeys = new Map<string, string>();
  const claim = (key: string, path: string): void => {
    const owner = seenKeys.get(key);
    if (owner !== undefined) {
      throw new PublishInputError(`Routes ${owner} and ${path} both map to storage key ${key}`);
    }
    if (RESERVED_KEYS.has(key) || key.startsWith(VERSIONED_PREFIX)) {
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

/** Renders (when planned) and hashes each document once. */
function prepareDocuments(
  documents: readonly { document: Publishable; routeKey: string }[],
): Promise<PreparedDocument[]> {
  return mapConcurrent(documents, HASH_CONCURRENCY, async ({ document, routeKey }) => {
    const bytes = encoder.encode(isPlanned(document) ? document.render() : document.body);
    const etag = await strongEtag(bytes);
    return {
      path: document.path,
      key: versionedKey(routeKey, etag),
      routeKey,
      contentType: document.contentType,
      bytes,
      etag,
      immutable: document.immutable === true,
    };
  });
}

/**
 * Verification of a key a dead run's journal names: a publish that failed and could not roll
 * back may have left other bytes under it.
 */
async function storedBytesMatch(storage: Storage, key: string, bytes: Uint8Array): Promise<boolean> {
  const stored = await storage.get(key);
  return stored !== null && bytesEqual(stored.body, bytes);
}

async function compressVariants(
  document: PreparedDocument,
  compressor: Compressor,
): Promise<{ writes: PendingWrite[]; gzip?: ManifestVariant; br?: ManifestVariant }> {
  // Identity first: a failed run that got as far as a variant has then always touched the
  // identity bytes too, which the next run's byte comparison notices.
  const writes: PendingWrite[] = [{ key: document.key, body: document.bytes }];
  if (document.bytes.byteLength < MIN_COMPRESS_BYTES) return { writes };
  const gzipBytes = await compressor.gzip(document.bytes);
  const gzip: ManifestVariant = {
    key: `${document.key}.gz`,
    size: gzipBytes.byteLength,
    digest: await shortDigest(gzipBytes),
  };
  writes.push({ key: gzip.key, body: gzipBytes });
  const brBytes = await compressor.brotli(document.bytes);
  if (brBytes === null) return { writes, gzip };
  const br: ManifestVariant = {
    key: `${document.key}.br`,
    size: brBytes.byteLength,
    digest: await shortDigest(brBytes),
  };
  writes.push({ key: br.key, body: brBytes });
  return { writes, gzip, br };
}

/** Puts back what each written key held before this run (or deletes it), newest first. */
async function rollBack(
  storage: Storage,
  snapshots: readonly { key: string; previous: Uint8Array | null }[],
  logger: Logger,
): Promise<boolean> {
  let complete = true;
  for (const { key, previous } of [...snapshots].reverse()) {
    try {
      if (previous === null) await storage.delete(key);
      else await storage.put(key, previous);
    } catch (error) {
      // Readers still verify digests, and the next run (the journal stays) verifies the key.
      complete = false;
      logger.error('publish rollback failed for key', { key, error: (error as Error).message });
    }
  }
  return complete;
}

/**
 * Writes of the route-named copies (`feed.xml`, `feed.xml.gz`, …) for changed documents and for
 * unchanged ones whose copy is stale (a run killed before its swap). Variants first, identity last:
 * an identity copy that matches proves its variants were written too.
 */
async function routeCopyWrites(
  storage: Storage,
  prepared: readonly PreparedDocument[],
  entries: Readonly<Record<string, ManifestEntry>>,
  versionWrites: readonly PendingWrite[],
  changed: ReadonlySet<string>,
  suspects: Suspects,
): Promise<{ variants: PendingWrite[]; identities: PendingWrite[] }> {
  const pending = new Map(versionWrites.map((write) => [write.key, write.body]));
  const bytesOf = async (key: string): Promise<Uint8Array | null> =>
    pending.get(key) ?? (await storage.get(key))?.body ?? null;
  // Unchanged documents: the copy is only stale if a dead run's journal names it.
  const stale = await mapConcurrent(prepared, IO_CONCURRENCY, async (document) => {
    if (changed.has(document.path)) return true;
    const keys = variantKeys(document.routeKey);
    if (!keys.some((key) => isSuspect(suspects, key))) return false;
    return !(await storedBytesMatch(storage, document.routeKey, document.bytes));
  });
  const variants: PendingWrite[] = [];
  const identities: PendingWrite[] = [];
  for (const [index, document] of prepared.entries()) {
    const entry = entries[document.path];
    if (!entry || !stale[index]) continue;
    for (const variant of [entry.gzip, entry.br]) {
      const body = variant ? await bytesOf(variant.key) : null;
      if (variant && body)
        variants.push({ key: `${document.routeKey}${variant.key.slice(entry.key.length)}`, body });
    }
    identities.push({ key: document.routeKey, body: document.bytes });
  }
  return { variants, identities };
}

/**
 * Deletes every object the new manifest does not reference: the previous versions, the route
 * copies of removed routes (and variant copies a changed document no longer has), and `_v/` keys
 * no manifest ever referenced (a killed run's writes).
 */
async function deleteUnreferenced(
  storage: Storage,
  previous: Manifest | null,
  prepared: readonly { path: string; routeKey: string }[],
  entries: Readonly<Record<string, ManifestEntry>>,
  removed: readonly string[],
  changed: ReadonlySet<string>,
  suspects: Suspects,
  logger: Logger,
): Promise<void> {
  const live = new Set(Object.values(entries).flatMap(entryKeys));
  const candidates = new Set<string>();
  for (const document of prepared) {
    const entry = entries[document.path];
    if (!entry) continue;
    // The route copy mirrors the entry: identity, and a variant copy only where the entry has one.
    for (const key of entryKeys(entry)) live.add(`${document.routeKey}${key.slice(entry.key.length)}`);
    if (changed.has(document.path)) for (const key of variantKeys(document.routeKey)) candidates.add(key);
  }
  for (const entry of Object.values(previous?.documents ?? {}))
    for (const key of entryKeys(entry)) candidates.add(key);
  for (const path of removed) for (const key of variantKeys(routeToKey(path))) candidates.add(key);
  // Orphans exist only if a run died (journal) or the previous manifest was lost: only then is
  // the whole `_v/` tree listed (at 100,000 documents that is a walk of 100,000 folders).
  if (suspects !== null || previous === null) {
    try {
      for (const key of await storage.list(VERSIONED_PREFIX)) candidates.add(key);
    } catch (error) {
      logger.warn('could not list old versions', { error: (error as Error).message });
    }
  }
  const doomed = [...candidates].filter((key) => !live.has(key));
  await mapConcurrent(doomed, WRITE_CONCURRENCY, async (key) => {
    try {
      await storage.delete(key);
    } catch (error) {
      logger.warn('could not delete unpublished object', { key, error: (error as Error).message });
    }
  });
}

/**
 * Puts `writes` WRITE_CONCURRENCY at a time, snapshotting what each key held first (for the
 * rollback). On a failure no new put starts, the ones in flight are awaited (so the rollback
 * cannot race them), and the first error is thrown.
 */
async function putAll(
  storage: Storage,
  writes: readonly PendingWrite[],
  snapshots: { key: string; previous: Uint8Array | null }[],
): Promise<void> {
  let failure: { error: unknown } | null = null;
  await mapConcurrent(writes, WRITE_CONCURRENCY, async (write) => {
    if (failure) return;
    try {
      const existing = await storage.get(write.key);
      snapshots.push({ key: write.key, previous: existing ? existing.body : null });
      await storage.put(write.key, write.body);
    } catch (error) {
      failure ??= { error };
    }
  });
  if (failure) throw (failure as { error: unknown }).error;
}

/** Publishes `documents` as the complete new set of served routes. See the header for the order. */
export async function publishDocuments(
  documents: readonly Publishable[],
  deps: PublishDeps,
): Promise<PublishResult> {
  const { storage, compressor, clock, logger } = deps;
  const routeKeys = claimRoutes(documents);
  const previous = await readPreviousManifest(storage, logger);
  const suspects = await readJournal(storage);
  if (suspects !== null) logger.warn('the previous publish did not finish; verifying the keys it wrote');
  const beforeOfPath = (path: string): ManifestEntry | undefined =>
    previous && Object.hasOwn(previous.documents, path) ? previous.documents[path] : undefined;
  // Planned documents whose inputs match the live entry's: not rendered at all.
  const inputDigests = await mapConcurrent(documents, HASH_CONCURRENCY, (document) =>
    isPlanned(document) ? shortDigest(`${RENDER_VERSION}\n${document.inputs}`) : Promise.resolve(null),
  );
  const reused = new Map<string, ManifestEntry>();
  const toPrepare: { document: Publishable; routeKey: string }[] = [];
  for (const [index, document] of documents.entries()) {
    const routeKey = routeKeys[index] ?? routeToKey(document.path);
    const before = beforeOfPath(document.path);
    const digest = inputDigests[index] ?? null;
    const suspect = [...(before ? entryKeys(before) : []), ...variantKeys(routeKey)].some((key) =>
      isSuspect(suspects, key),
    );
    if (before !== undefined && digest !== null && before.inputs === digest && !suspect) {
      const { immutable: _wasImmutable, ...kept } = before;
      reused.set(document.path, {
        ...kept,
        contentType: document.contentType,
        ...(document.immutable ? { immutable: true } : {}),
      });
    } else {
      toPrepare.push({ document, routeKey });
    }
  }
  const inputsOf = new Map(
    documents.flatMap((document, index) => {
      const digest = inputDigests[index];
      return digest ? [[document.path, digest] as const] : [];
    }),
  );
  const prepared = await prepareDocuments(toPrepare);
  const now = clock.now();
  const lastModified = toHttpPrecision(now);

  const entries: Record<string, ManifestEntry> = {};
  const writes: PendingWrite[] = [];
  const changedPaths = new Set<string>();
  let unchanged = reused.size;
  const beforeOf = (document: PreparedDocument): ManifestEntry | undefined => beforeOfPath(document.path);
  // Same ETag and key as the live manifest: trusted, unless a dead run's journal names the key.
  const kept = await mapConcurrent(prepared, IO_CONCURRENCY, async (document) => {
    const before = beforeOf(document);
    if (before === undefined || before.etag !== document.etag || before.key !== document.key) return false;
    if (!entryKeys(before).some((key) => isSuspect(suspects, key))) return true;
    return storedBytesMatch(storage, document.key, document.bytes);
  });
  const toCompress = prepared.filter((_, index) => !kept[index]);
  const compressed = await mapConcurrent(toCompress, COMPRESS_CONCURRENCY, (document) =>
    compressVariants(document, compressor),
  );
  const variantsOf = new Map(toCompress.map((document, index) => [document.path, compressed[index]]));
  for (const [index, document] of prepared.entries()) {
    const before = beforeOf(document);
    if (before !== undefined && kept[index]) {
      // The immutable flag follows the latest render (a page becomes immutable once complete).
      const { immutable: _wasImmutable, inputs: _inputs, ...kept } = before;
      const inputs = inputsOf.get(document.path);
      entries[document.path] = {
        ...kept,
        contentType: document.contentType,
        ...(document.immutable ? { immutable: true } : {}),
        ...(inputs ? { inputs } : {}),
      };
      unchanged++;
      continue;
    }
    const variants = variantsOf.get(document.path);
    if (!variants) throw new Error(`publish: ${document.path} was not compressed`);
    writes.push(...variants.writes);
    let entry: ManifestEntry = {
      key: document.key,
      contentType: document.contentType,
      etag: document.etag,
      lastModified,
      size: document.bytes.byteLength,
    };
    if (variants.gzip) entry = { ...entry, gzip: variants.gzip };
    if (variants.br) entry = { ...entry, br: variants.br };
    if (document.immutable) entry = { ...entry, immutable: true };
    const inputs = inputsOf.get(document.path);
    if (inputs) entry = { ...entry, inputs };
    entries[document.path] = entry;
    changedPaths.add(document.path);
  }
  for (const [path, entry] of reused) entries[path] = entry;
  // Input order, whatever was reused or rendered.
  const changed = documents.map((d) => d.path).filter((path) => changedPaths.has(path));
  const allRoutes = documents.map((document, index) => ({
    path: document.path,
    routeKey: routeKeys[index] ?? routeToKey(document.path),
  }));

  // Human copies go last, still before the swap: the window between the swap and the status
  // write stays short, and a failed run rolls them back with everything else.
  const copies = await routeCopyWrites(storage, prepared, entries, writes, changedPaths, suspects);

  // Entries in input order (the manifest is serialised sorted anyway).
  const ordered: Record<string, ManifestEntry> = {};
  for (const { path } of allRoutes) {
    const entry = entries[path];
    if (entry) ordered[path] = entry;
  }
  const manifest: Manifest = {
    version: 1,
    generation: (previous?.generation ?? 0) + 1,
    publishedAt: now.toISOString(),
    documents: ordered,
  };

  const snapshots: { key: string; previous: Uint8Array | null }[] = [];
  // The journal names every key this run may touch, plus what a dead predecessor's journal
  // named (still unverified if this run dies too).
  const journalKeys = new Set([...writes, ...copies.variants, ...copies.identities].map((w) => w.key));
  if (suspects instanceof Set) for (const key of suspects) journalKeys.add(key);
  let journalWritten = false;
  try {
    if (journalKeys.size > 0 || suspects !== null) {
      const journal = suspects === 'all' ? { keys: null } : { keys: [...journalKeys].sort() };
      await storage.put(PUBLISH_JOURNAL_KEY, encoder.encode(`${JSON.stringify(journal)}\n`));
      journalWritten = true;
    }
    // Phases in order: versions (identity before its variants), variant route copies, identity
    // route copies (an identity copy that matches proves its variants were written too).
    await putAll(storage, writes, snapshots);
    await putAll(storage, copies.variants, snapshots);
    await putAll(storage, copies.identities, snapshots);
    await storage.put(MANIFEST_KEY, serializeManifest(manifest));
  } catch (error) {
    logger.error('publish failed before the manifest swap; restoring previous documents', {
      error: (error as Error).message,
      written: snapshots.length,
    });
    const clean = await rollBack(storage, snapshots, logger);
    // A complete rollback leaves nothing to verify: the journal goes (unless a dead run's
    // suspects are still unverified).
    if (clean && journalWritten && suspects === null)
      await storage.delete(PUBLISH_JOURNAL_KEY).catch(() => {});
    throw error;
  }

  // After the swap nothing below can un-publish: failures are logged and only leave garbage.
  const removed = previous
    ? Object.keys(previous.documents).filter((path) => !Object.hasOwn(entries, path))
    : [];
  removed.sort();
  await deleteUnreferenced(storage, previous, allRoutes, entries, removed, changedPaths, suspects, logger);
  if (journalWritten || suspects !== null) {
    await storage
      .delete(PUBLISH_JOURNAL_KEY)
      .catch((error: unknown) =>
        logger.warn('could not clear the publish journal', { error: (error as Error).message }),
      );
  }

  logger.info('published', {
    generation: manifest.generation,
    changed: changed.length,
    unchanged,
    removed: removed.length,
  });
  return { manifest, changed, unchanged, removed };
}
