/**
 * Step 2 of a publish, for one document: planned or rendered document → its manifest entry, and
 * its bytes in storage when they changed. A planned document whose input digest equals its live
 * entry's `inputs` keeps that entry unrendered; else render → hash → if the ETag is unchanged keep
 * the entry (after checking the stored bytes when a dead run's journal or a verification names
 * its keys), else compress → write identity, `.gz`, `.br` (an immutable document: gzip only)
 * under content-addressed keys (`_v/<hex16>/<route key>`) no live manifest names → drop the bytes.
 *
 * Must not: hold the document's bytes once it returns (publish keeps at most
 * PIPELINE_CONCURRENCY documents' bytes alive), write a version key with other bytes than its
 * ETag names, or write except through the run's ledger (write-ledger.ts: journal, rollback).
 * Tunables: MIN_COMPRESS_BYTES.
 */
import type { Compressor } from '../../ports/compressor.ts';
import type { Storage } from '../../ports/storage.ts';
import { shortDigest, strongEtag } from '../digest/hash.ts';
import { RENDER_VERSION } from '../render/planned-document.ts';
import { entryKeys, variantKeys } from './entry-keys.ts';
import { type ManifestEntry, type ManifestVariant, versionedKey } from './manifest.ts';
import { isPlanned, type Publishable } from './publish-input.ts';
import type { Limiter } from './publish-pool.ts';
import type { WriteLedger } from './write-ledger.ts';

/** Below this size gzip/brotli overhead eats the gain; such documents are served as-is. */
const MIN_COMPRESS_BYTES = 256;

/** Outcome of one document: its entry in the new manifest, and whether its bytes were written. */
export interface Outcome {
  readonly entry: ManifestEntry;
  readonly changed: boolean;
}

/** What every document of one run shares. */
export interface DocumentRun {
  readonly storage: Storage;
  readonly compressor: Compressor;
  /** Caps compression across the run (publish-pool.ts COMPRESS_CONCURRENCY). */
  readonly compress: Limiter;
  readonly ledger: WriteLedger;
  /** The live entry of a route (read-previous.ts). */
  readonly entryOf: (path: string) => ManifestEntry | undefined;
  /** Keys a dead run's journal or a verification names: their bytes are not trusted. */
  readonly isSuspect: (key: string) => boolean;
  /** Render planned documents even when their inputs are unchanged (PublishOptions.rerender). */
  readonly rerender: boolean;
  /** Last-Modified of whatever this run writes. */
  readonly lastModified: string;
}

const encoder = new TextEncoder();

/**
 * One document through the pipeline; its bytes are garbage once this returns. One async function
 * from render to the last write on purpose: each nested await would shift how the documents in
 * flight interleave their writes.
 */
export async function writeDocument(
  document: Publishable,
  routeKey: string,
  run: DocumentRun,
): Promise<Outcome> {
  const before = run.entryOf(document.path);
  const versionSuspect = before !== undefined && entryKeys(before).some(run.isSuspect);
  if (variantKeys(routeKey).some(run.isSuspect)) run.ledger.copies.add(document.path);
  const inputs = isPlanned(document) ? await shortDigest(`${RENDER_VERSION}\n${document.inputs}`) : null;
  if (
    before !== undefined &&
    inputs !== null &&
    before.inputs === inputs &&
    !versionSuspect &&
    !run.rerender
  ) {
    return { entry: withPlanFlags(before, document, inputs), changed: false };
  }
  const bytes = encoder.encode(isPlanned(document) ? await document.render() : document.body);
  const etag = await strongEtag(bytes);
  const key = versionedKey(routeKey, etag);
  if (before !== undefined && before.etag === etag && before.key === key) {
    // Same bytes as the live entry: trusted, unless a dead run's journal names its key.
    const stored = versionSuspect ? await run.storage.get(key) : null;
    if (
      !versionSuspect ||
      (stored !== null && bytesEqual(stored.body, bytes) && (await variantsIntact(run, before)))
    ) {
      return { entry: withPlanFlags(before, document, inputs), changed: false };
    }
  }
  const wasLive = before?.key === key;
  const compressed = startCompression(document, bytes, run);
  // Identity first: a failed run that got as far as a variant has always touched the identity.
  await run.ledger.putVersion(key, bytes, wasLive);
  let entry: ManifestEntry = {
    key,
    contentType: document.contentType,
    etag,
    lastModified: run.lastModified,
    size: bytes.byteLength,
  };
  if (compressed !== null) {
    const gzipBytes = await compressed[0];
    const gzip = variantOf(`${key}.gz`, gzipBytes, await shortDigest(gzipBytes));
    await run.ledger.putVersion(gzip.key, gzipBytes, wasLive);
    entry = { ...entry, gzip };
    const brBytes = await compressed[1];
    if (brBytes !== null) {
      const br = variantOf(`${key}.br`, brBytes, await shortDigest(brBytes));
      await run.ledger.putVersion(br.key, brBytes, wasLive);
      entry = { ...entry, br };
    }
  }
  if (document.immutable) entry = { ...entry, immutable: true };
  if (inputs !== null) entry = { ...entry, inputs };
  run.ledger.copies.add(document.path);
  return { entry, changed: true };
}

/** A kept entry with the latest plan's content type, immutable flag and input digest. */
function withPlanFlags(entry: ManifestEntry, document: Publishable, inputs: string | null): ManifestEntry {
  // The immutable flag and the content type follow the latest plan (a page becomes immutable once complete).
  const { immutable: _immutable, inputs: _inputs, ...rest } = entry;
  return {
    ...rest,
    contentType: document.contentType,
    ...(document.immutable ? { immutable: true } : {}),
    ...(inputs !== null ? { inputs } : {}),
  };
}

/** A suspect variant of a live entry still holds the bytes its digest names. */
async function variantsIntact(run: DocumentRun, entry: ManifestEntry): Promise<boolean> {
  for (const variant of [entry.gzip, entry.br]) {
    if (!variant || !run.isSuspect(variant.key)) continue;
    const stored = await run.storage.get(variant.key);
    if (stored === null || (await shortDigest(stored.body)) !== variant.digest) return false;
  }
  return true;
}

/**
 * Queues both encodings of `bytes` (none below MIN_COMPRESS_BYTES), to run while the identity
 * is written and while each other's result is hashed and written: awaited one after the other,
 * each left this document's pipeline waiting for its whole duration (at most
 * COMPRESS_CONCURRENCY run at once). An immutable document (a frozen archive page, fetched about
 * once per client, ever) gets gzip only: brotli saved about 10 % of its gzip bytes for 1.4×
 * gzip's CPU, paid again by every run that freezes or shifts a page (a 20-document tag shift at
 * 10,000 articles: 336 → 268 ms median).
 */
function startCompression(
  document: Publishable,
  bytes: Uint8Array,
  run: DocumentRun,
): [Promise<Uint8Array>, Promise<Uint8Array | null>] | null {
  if (bytes.byteLength < MIN_COMPRESS_BYTES) return null;
  return settled(
    run.compress(() => run.compressor.gzip(bytes)),
    document.immutable ? Promise.resolve(null) : run.compress(() => run.compressor.brotli(bytes)),
  );
}

/** The manifest record of a precompressed variant. */
function variantOf(key: string, bytes: Uint8Array, digest: string): ManifestVariant {
  return { key, size: bytes.byteLength, digest };
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
