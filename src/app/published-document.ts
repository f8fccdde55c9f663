/**
 * One published document as the app serves it (a manifest entry with its identity bytes and any
 * gzip/br variants), and loading one from Storage verified against its manifest entry: identity
 * bytes against the ETag, each variant against its digest.
 *
 * Must not: cache, retry or fall back (published-reader.ts decides what a mismatch means), or
 * write anything.
 */
import { shortDigest } from '../core/digest/hash.ts';
import type { ManifestEntry } from '../core/publish/manifest.ts';
import type { Logger } from '../ports/logger.ts';
import type { Storage } from '../ports/storage.ts';

export interface PublishedDocument {
  readonly entry: ManifestEntry;
  readonly body: Uint8Array;
  readonly gzip?: Uint8Array;
  readonly br?: Uint8Array;
}

/** Bytes a document holds in memory: identity plus variants. */
export function sizeOf(document: PublishedDocument): number {
  return document.body.byteLength + (document.gzip?.byteLength ?? 0) + (document.br?.byteLength ?? 0);
}

/** Loads and verifies one entry's bytes; null when any of them is missing or mismatched. */
export async function loadVerified(
  storage: Storage,
  logger: Logger | undefined,
  path: string,
  entry: ManifestEntry,
): Promise<PublishedDocument | null> {
  const [body, gzip, br] = await Promise.all([
    storage.get(entry.key),
    entry.gzip ? storage.get(entry.gzip.key) : null,
    entry.br ? storage.get(entry.br.key) : null,
  ]);
  if (!body || `"${await shortDigest(body.body)}"` !== entry.etag) {
    logger?.warn('published bytes do not match the manifest ETag', { path, etag: entry.etag });
    return null;
  }
  let document: PublishedDocument = { entry, body: body.body };
  if (entry.gzip) {
    if (!gzip || (await shortDigest(gzip.body)) !== entry.gzip.digest) return null;
    document = { ...document, gzip: gzip.body };
  }
  if (entry.br) {
    if (!br || (await shortDigest(br.body)) !== entry.br.digest) return null;
    document = { ...document, br: br.body };
  }
  return document;
}
