/**
 * Publishing: rendered documents → bytes, precompressed variants and one new manifest in Storage.
 *
 * Order (STYLE rule 4, "documents first, then the manifest that points at them"):
 *   1. read the previous manifest; hash every document once (strong ETag of its UTF-8 bytes);
 *   2. unchanged bytes keep their entry (and so their Last-Modified) and are not rewritten;
 *   3. changed/new documents: compress, then write identity bytes, `<key>.gz`, `<key>.br` under
 *      content-addressed keys (`_v/<hex16>/<route key>`, manifest.ts versionedKey) that no live
 *      manifest references yet;
 *      then refresh the route-named copies (`feed.xml`, …: for people and static hosts, never read
 *      by the app) of changed documents, and of unchanged ones whose copy is stale;
 *   4. write the new manifest (generation + 1) under MANIFEST_KEY: the atomic swap;
 *   5. only then delete what the new manifest no longer references, including `_v/` orphans that
 *      a killed run left behind.
 * Because a version's key is never rewritten with other bytes, a process killed at any point
 * (SIGKILL: no rollback runs) leaves a manifest whose every key holds complete, matching bytes.
 * If anything throws before step 4 completes, what was written is removed again (or restored)
 * and the error propagates.
 *
 * Must not: read the clock except through Clock, import node:*, or publish two documents under
 * one key. Tunables: MIN_COMPRESS_BYTES, RESERVED_KEYS below.
 * Not safe against two publishers running at once on one storage (the caller serialises runs).
 */

import type { Clock } from '../../ports/clock.ts';
import type { Compressor } from '../../ports/compressor.ts';
import type { Logger } from '../../ports/logger.ts';
import type { Storage } from '../../ports/storage.ts';
import type { RenderedDocument } from '../model.ts';
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

/** Below this size gzip/brotli overhead eats the gain; such documents are served as-is. */
const MIN_COMPRESS_BYTES = 256;
/** Keys the pipeline owns; a route mapping onto one would overwrite the manifest or the status. */
const RESERVED_KEYS: ReadonlySet<string> = new Set([MANIFEST_KEY, STATUS_KEY]);

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

/** Validates routes and keys, hashes each document once. Throws before any write. */
async function prepareDocuments(documents: readonly RenderedDocument[]): Promise<PreparedDocument[]> {
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
  const prepared: PreparedDocument[] = [];
  for (const document of documents) {
    if (seenPaths.has(document.path)) throw new PublishInputError(`Route ${document.path} published twice`);
    seenPaths.add(document.path);
    const routeKey = routeToKey(document.path);
    for (const k of variantKeys(routeKey)) claim(k, document.path);
    const bytes = encoder.encode(document.body);
    const etag = await strongEtag(bytes);
    prepared.push({
      path: document.path,
      key: versionedKey(routeKey, etag),
      routeKey,
      contentType: document.contentType,
      bytes,
      etag,
      immutable: document.immutable === true,
    });
  }
  return prepared;
}

/**
 * An unchanged ETag is only trusted if the stored bytes still match: a publish that failed and
 * could not roll back may have left other bytes under the key.
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
): Promise<void> {
  for (const { key, previous } of [...snapshots].reverse()) {
    try {
      if (previous === null) await storage.delete(key);
      else await storage.put(key, previous);
    } catch (error) {
      // Readers still verify digests, and the next run rewrites mismatched bytes.
      logger.error('publish rollback failed for key', { key, error: (error as Error).message });
    }
  }
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
): Promise<PendingWrite[]> {
  const pending = new Map(versionWrites.map((write) => [write.key, write.body]));
  const bytesOf = async (key: string): Promise<Uint8Array | null> =>
    pending.get(key) ?? (await storage.get(key))?.body ?? null;
  const copies: PendingWrite[] = [];
  for (const document of prepared) {
    const entry = entries[document.path];
    if (!entry) continue;
    if (!changed.has(document.path) && (await storedBytesMatch(storage, document.routeKey, document.bytes))) {
      continue;
    }
    for (const variant of [entry.gzip, entry.br]) {
      const body = variant ? await bytesOf(variant.key) : null;
      if (variant && body)
        copies.push({ key: `${document.routeKey}${variant.key.slice(entry.key.length)}`, body });
    }
    copies.push({ key: document.routeKey, body: document.bytes });
  }
  return copies;
}

/**
 * Deletes every object the new manifest does not reference: the previous versions, the route
 * copies of removed routes (and variant copies a changed document no longer has), and `_v/` keys
 * no manifest ever referenced (a killed run's writes).
 */
async function deleteUnreferenced(
  storage: Storage,
  previous: Manifest | null,
  prepared: readonly PreparedDocument[],
  entries: Readonly<Record<string, ManifestEntry>>,
  removed: readonly string[],
  changed: ReadonlySet<string>,
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
  try {
    for (const key of await storage.list(VERSIONED_PREFIX)) candidates.add(key);
  } catch (error) {
    logger.warn('could not list old versions', { error: (error as Error).message });
  }
  for (const key of candidates) {
    if (live.has(key)) continue;
    try {
      await storage.delete(key);
    } catch (error) {
      logger.warn('could not delete unpublished object', { key, error: (error as Error).message });
    }
  }
}

/** Publishes `documents` as the complete new set of served routes. See the header for the order. */
export async function publishDocuments(
  documents: readonly RenderedDocument[],
  deps: PublishDeps,
): Promise<PublishResult> {
  const { storage, compressor, clock, logger } = deps;
  const previous = await readPreviousManifest(storage, logger);
  const prepared = await prepareDocuments(documents);
  const now = clock.now();
  const lastModified = toHttpPrecision(now);

  const entries: Record<string, ManifestEntry> = {};
  const writes: PendingWrite[] = [];
  const changed: string[] = [];
  let unchanged = 0;
  for (const document of prepared) {
    const before =
      previous && Object.hasOwn(previous.documents, document.path)
        ? previous.documents[document.path]
        : undefined;
    if (
      before !== undefined &&
      before.etag === document.etag &&
      before.key === document.key &&
      (await storedBytesMatch(storage, document.key, document.bytes))
    ) {
      // The immutable flag follows the latest render (a page becomes immutable once complete).
      const { immutable: _wasImmutable, ...kept } = before;
      entries[document.path] = {
        ...kept,
        contentType: document.contentType,
        ...(document.immutable ? { immutable: true } : {}),
      };
      unchanged++;
      continue;
    }
    const variants = await compressVariants(document, compressor);
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
    entries[document.path] = entry;
    changed.push(document.path);
  }

  // Human copies go last, still before the swap: the window between the swap and the status
  // write stays short, and a failed run rolls them back with everything else.
  writes.push(...(await routeCopyWrites(storage, prepared, entries, writes, new Set(changed))));

  const manifest: Manifest = {
    version: 1,
    generation: (previous?.generation ?? 0) + 1,
    publishedAt: now.toISOString(),
    documents: entries,
  };

  const snapshots: { key: string; previous: Uint8Array | null }[] = [];
  try {
    for (const write of writes) {
      const existing = await storage.get(write.key);
      snapshots.push({ key: write.key, previous: existing ? existing.body : null });
      await storage.put(write.key, write.body);
    }
    await storage.put(MANIFEST_KEY, serializeManifest(manifest));
  } catch (error) {
    logger.error('publish failed before the manifest swap; restoring previous documents', {
      error: (error as Error).message,
      written: snapshots.length,
    });
    await rollBack(storage, snapshots, logger);
    throw error;
  }

  // After the swap nothing below can un-publish: failures are logged and only leave garbage.
  const removed = previous
    ? Object.keys(previous.documents).filter((path) => !Object.hasOwn(entries, path))
    : [];
  removed.sort();
  await deleteUnreferenced(storage, previous, prepared, entries, removed, new Set(changed), logger);

  logger.info('published', {
    generation: manifest.generation,
    changed: changed.length,
    unchanged,
    removed: removed.length,
  });
  return { manifest, changed, unchanged, removed };
}
