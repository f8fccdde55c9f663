/**
 * The published manifest: which storage key holds each served route's bytes, with the
 * validators (ETag, Last-Modified) and precompressed variants the app serves. Writing its root
 * is the atomic "swap" of a publish: readers follow the manifest, never a listing.
 *
 * Layout (version 2, sharded so work follows what changed):
 *   `manifest.json` (MANIFEST_KEY) — the ROOT: generation, publishedAt, the shard layout version
 *     and `shards: { <shard id>: { key, count } }`; a few hundred shards at 100,000 articles.
 *   `_v/<hex16>/_manifest/<shard id>.json` — one SHARD per id: the ManifestEntry records of the
 *     routes manifest-shard.ts `shardOf` maps there. Content-addressed (hex16 of the SHA-256 of
 *     its bytes), so a shard object never changes once written and a root names complete shards.
 * Version 1 (one object holding every entry) is still read: `parseStoredManifest` returns it as
 * a Manifest, and the next publish writes it out as a root and shards (the upgrade).
 *
 * Document keys: the manifest points at content-addressed keys, `_v/<first 16 hex of the ETag>/<route
 * key>` (`/feed.xml` → `_v/0123456789abcdef/feed.xml`, variants `….gz`, `….br`). Bytes under such a
 * key never change, so any manifest, even one left by a killed publish, names complete bytes.
 * Route-named copies (`feed.xml`, `articles/x.html`, …) are also written, after the swap, for
 * people and static hosts; the app never reads them.
 *
 * Must not: touch storage itself (publish.ts and its steps write, manifest-store.ts and
 * app/published-reader.ts read), or accept a manifest it cannot fully validate (a
 * half-understood manifest would serve wrong headers; a shard whose bytes are, by their digest,
 * the ones a publish serialized was validated by that publish). Tunables: none here (shard sizes:
 * manifest-shard.ts); MANIFEST_KEY is the fixed storage key.
 */
import { isKnownLayout, isShardId, SHARD_LAYOUT_VERSION, shardOf } from './manifest-shard.ts';

export const MANIFEST_KEY = 'manifest.json';
/** Prefix of the immutable, content-addressed document keys; sweep-orphans.ts deletes unreferenced ones. */
export const VERSIONED_PREFIX = '_v/';

/** A precompressed variant of a document (`<key>.gz`, `<key>.br`). */
export interface ManifestVariant {
  readonly key: string;
  readonly size: number;
  /**
   * First 32 hex of the SHA-256 of the variant's bytes. The reader checks them like the identity
   * bytes (against the ETag) before serving: storage can still be damaged behind our back.
   */
  readonly digest: string;
}

export interface ManifestEntry {
  /** Storage key of the identity bytes (content-addressed, see versionedKey). */
  readonly key: string;
  readonly contentType: string;
  /** Strong ETag, quoted (`"abc…"`), of the identity bytes. */
  readonly etag: string;
  /** ISO-8601, whole seconds: when these bytes were first published. */
  readonly lastModified: string;
  readonly size: number;
  readonly gzip?: ManifestVariant;
  readonly br?: ManifestVariant;
  readonly immutable?: boolean;
  /**
   * Digest of what rendered these bytes (RENDER_VERSION + the document's inputs, see
   * render/planned-document.ts): equal next run → the document is not rendered again.
   * Publisher bookkeeping; the app ignores it.
   */
  readonly inputs?: string;
}

/**
 * A complete in-memory view: every route's entry. Version 1 is stored like this; version 2 is
 * stored as a root + shards (ManifestRoot) and assembled by manifest-store.ts loadManifest.
 */
export interface Manifest {
  readonly version: 1 | 2;
  /** Increases by one on every successful publish. */
  readonly generation: number;
  /** ISO-8601 of the publish that wrote this manifest. */
  readonly publishedAt: string;
  /** Route path (`/feed.xml`, `/articles/x`) → entry. */
  readonly documents: Readonly<Record<string, ManifestEntry>>;
}

/** A root's pointer to one shard object. */
export interface ShardRef {
  /** Content-addressed storage key of the shard object (see shardKey). */
  readonly key: string;
  /** Entries in the shard: the app reports the document count without loading shards. */
  readonly count: number;
}

/** What version 2 stores under MANIFEST_KEY. */
export interface ManifestRoot {
  readonly version: 2;
  /** manifest-shard.ts SHARD_LAYOUT_VERSION the shards were cut with. */
  readonly layout: number;
  /** Increases by one on every successful publish. */
  readonly generation: number;
  /** ISO-8601 of the publish that wrote this root. */
  readonly publishedAt: string;
  /** Shard id → its object. Shards without entries are not listed. */
  readonly shards: Readonly<Record<string, ShardRef>>;
}

/** A version 1 manifest: one object holding every entry (read to upgrade it). */
export type ManifestV1 = Manifest & { readonly version: 1 };

/** Whatever MANIFEST_KEY holds: a version 2 root, or a version 1 complete manifest (to migrate). */
export type StoredManifest = ManifestRoot | ManifestV1;

/** Entries of one shard: route path → entry. */
export type ShardEntries = Readonly<Record<string, ManifestEntry>>;

/** Where shard objects live: under VERSIONED_PREFIX, so publish's orphan sweep covers them. */
const SHARD_FOLDER = '_manifest';

/** Thrown when bytes stored under MANIFEST_KEY are not a manifest this code understands. */
export class ManifestParseError extends Error {
  override readonly name = 'ManifestParseError';
  constructor(detail: string) {
    super(`Invalid manifest (${MANIFEST_KEY}): ${detail}`);
  }
}

/** Thrown when a route path cannot be mapped to a safe storage key. */
export class InvalidRouteError extends Error {
  override readonly name = 'InvalidRouteError';
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(
      `Invalid route path ${JSON.stringify(path)}: ${reason}; expected e.g. "/", "/feed.xml", "/articles/x"`,
    );
  }
}

/**
 * Route path → storage key. `/` → `index.html`; a last segment with an extension keeps it
 * (`/feed.xml` → `feed.xml`); an extension-less page gets `.html` (`/articles/x` → `articles/x.html`),
 * so the published tree can be served by any static host as-is.
 */
export function routeToKey(path: string): string {
  if (!path.startsWith('/')) throw new InvalidRouteError(path, 'must start with "/"');
  if (path === '/') return 'index.html';
  if (path.includes('\0') || path.includes('\\')) throw new InvalidRouteError(path, 'contains NUL or "\\"');
  const segments = path.slice(1).split('/');
  for (const segment of segments) {
    if (segment === '') throw new InvalidRouteError(path, 'has an empty segment');
    if (segment === '..' || segment === '.') throw new InvalidRouteError(path, 'has a "." or ".." segment');
  }
  const last = segments[segments.length - 1] ?? '';
  const key = segments.join('/');
  return last.includes('.') ? key : `${key}.html`;
}

/**
 * Route key + the document's strong ETag → its immutable storage key. 16 hex digits (64 bits) tell
 * the versions of one route apart; the route key keeps two routes with equal bytes apart.
 */
export function versionedKey(routeKey: string, etag: string): string {
  const hex = etag.replace(/^W\//, '').replaceAll('"', '').slice(0, 16);
  if (!/^[0-9a-f]{16}$/.test(hex))
    throw new InvalidRouteError(`/${routeKey}`, `ETag ${etag} is not a hex digest`);
  return `${VERSIONED_PREFIX}${hex}/${routeKey}`;
}

/** Shard id + the hex SHA-256 of its serialized bytes → the shard object's storage key. */
export function shardKey(shardId: string, bytesHex: string): string {
  return `${VERSIONED_PREFIX}${bytesHex.slice(0, 16)}/${SHARD_FOLDER}/${shardId}.json`;
}

/**
 * The hex digits of the SHA-256 that `key` names, when it is the key shardKey gives shard
 * `shardId` (else null). Bytes whose digest starts with them are the bytes published there.
 */
export function shardKeyDigest(key: string, shardId: string): string | null {
  const hex = key.slice(VERSIONED_PREFIX.length, VERSIONED_PREFIX.length + 16);
  return /^[0-9a-f]{16}$/.test(hex) && key === shardKey(shardId, hex) ? hex : null;
}

/** Whether a route key would land in the shard objects' folder of some version key. */
export function isShardFolderKey(routeKey: string): boolean {
  return routeKey.startsWith(`${SHARD_FOLDER}/`);
}

/** Total routes a root describes (sum of shard counts). */
export function rootDocumentCount(root: ManifestRoot): number {
  let total = 0;
  for (const id in root.shards) total += root.shards[id]?.count ?? 0;
  return total;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNonNegativeInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

function parseVariant(value: unknown, where: string): ManifestVariant {
  if (
    !isRecord(value) ||
    typeof value.key !== 'string' ||
    !isNonNegativeInteger(value.size) ||
    typeof value.digest !== 'string'
  ) {
    throw new ManifestParseError(`${where} must be {key: string, size: integer, digest: string}`);
  }
  return { key: value.key, size: value.size, digest: value.digest };
}

function parseEntry(path: string, value: unknown, scope = ''): ManifestEntry {
  const where = `${scope}documents[${JSON.stringify(path)}]`;
  if (!isRecord(value)) throw new ManifestParseError(`${where} is not an object`);
  const { key, contentType, etag, lastModified, size } = value;
  if (typeof key !== 'string' || key === '') throw new ManifestParseError(`${where}.key must be a string`);
  if (typeof contentType !== 'string') throw new ManifestParseError(`${where}.contentType must be a string`);
  if (typeof etag !== 'string' || !/^"[^"]*"$/.test(etag)) {
    throw new ManifestParseError(`${where}.etag must be a quoted strong ETag, got ${JSON.stringify(etag)}`);
  }
  if (typeof lastModified !== 'string' || Number.isNaN(Date.parse(lastModified))) {
    throw new ManifestParseError(`${where}.lastModified must be an ISO date`);
  }
  if (!isNonNegativeInteger(size))
    throw new ManifestParseError(`${where}.size must be a non-negative integer`);
  let entry: ManifestEntry = { key, contentType, etag, lastModified, size };
  if (value.gzip !== undefined) entry = { ...entry, gzip: parseVariant(value.gzip, `${where}.gzip`) };
  if (value.br !== undefined) entry = { ...entry, br: parseVariant(value.br, `${where}.br`) };
  if (value.immutable === true) entry = { ...entry, immutable: true };
  if (typeof value.inputs === 'string') entry = { ...entry, inputs: value.inputs };
  return entry;
}

function parseJson(bytes: Uint8Array | string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    const text = typeof bytes === 'string' ? bytes : new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    value = JSON.parse(text);
  } catch (error) {
    throw new ManifestParseError(`${what} is not UTF-8 JSON (${(error as Error).message})`);
  }
  if (!isRecord(value)) throw new ManifestParseError(`${what}: top level is not an object`);
  return value;
}

/** Validated entries of a `documents` object; `shardId` also checks each path belongs there. */
function parseDocuments(
  value: unknown,
  scope: string,
  shard?: { readonly id: string; readonly layout: number },
): Record<string, ManifestEntry> {
  if (!isRecord(value)) throw new ManifestParseError(`${scope}documents must be an object`);
  // A null-prototype table: an inherited name (`constructor`) is never an entry.
  const documents: Record<string, ManifestEntry> = Object.create(null);
  for (const [path, entry] of Object.entries(value)) {
    // Only real route paths: this also keeps `__proto__`-style keys out of the lookup table.
    try {
      routeToKey(path);
    } catch (error) {
      throw new ManifestParseError((error as Error).message);
    }
    if (shard !== undefined && shardOf(path, shard.layout) !== shard.id) {
      throw new ManifestParseError(
        `${scope}documents[${JSON.stringify(path)}] belongs to shard ${shardOf(path, shard.layout)}`,
      );
    }
    documents[path] = parseEntry(path, entry, scope);
  }
  return documents;
}

function parseV1(value: Record<string, unknown>): ManifestV1 {
  if (!isNonNegativeInteger(value.generation)) throw new ManifestParseError('generation must be an integer');
  if (typeof value.publishedAt !== 'string') throw new ManifestParseError('publishedAt must be a string');
  const documents = parseDocuments(value.documents, '');
  return { version: 1, generation: value.generation, publishedAt: value.publishedAt, documents };
}

/** A shard key a root may name: a content-addressed key in the shard folder, for that id. */
const SHARD_KEY = /^_v\/[0-9a-f]{16}\/_manifest\/([a-z0-9-]+)\.json$/;

function parseRoot(value: Record<string, unknown>): ManifestRoot {
  if (!isNonNegativeInteger(value.generation)) throw new ManifestParseError('generation must be an integer');
  if (typeof value.publishedAt !== 'string') throw new ManifestParseError('publishedAt must be a string');
  if (!isNonNegativeInteger(value.layout)) throw new ManifestParseError('layout must be an integer');
  if (!isKnownLayout(value.layout)) {
    throw new ManifestParseError(
      `shard layout ${value.layout} is unknown to this version of kiosque (a newer one wrote it?)`,
    );
  }
  if (!isRecord(value.shards)) throw new ManifestParseError('shards must be an object');
  const shards: Record<string, ShardRef> = Object.create(null);
  for (const [id, ref] of Object.entries(value.shards)) {
    const where = `shards[${JSON.stringify(id)}]`;
    if (!isShardId(id)) throw new ManifestParseError(`${where}: not a shard id`);
    if (!isRecord(ref) || typeof ref.key !== 'string' || !isNonNegativeInteger(ref.count)) {
      throw new ManifestParseError(`${where} must be {key: string, count: integer}`);
    }
    if (SHARD_KEY.exec(ref.key)?.[1] !== id) {
      throw new ManifestParseError(`${where}.key ${JSON.stringify(ref.key)} is not a shard key of ${id}`);
    }
    shards[id] = { key: ref.key, count: ref.count };
  }
  return {
    version: 2,
    layout: value.layout,
    generation: value.generation,
    publishedAt: value.publishedAt,
    shards,
  };
}

/**
 * Bytes stored under MANIFEST_KEY → a validated version 2 root, or a version 1 manifest (an
 * installation not yet upgraded), or ManifestParseError.
 */
export function parseStoredManifest(bytes: Uint8Array | string): StoredManifest {
  const value = parseJson(bytes, MANIFEST_KEY);
  if (value.version === 1) return parseV1(value);
  if (value.version === 2) return parseRoot(value);
  throw new ManifestParseError(`unsupported version ${JSON.stringify(value.version)}`);
}

/**
 * Bytes of a version 1 manifest → a validated Manifest, or ManifestParseError. A version 2 root
 * is refused with a pointer to manifest-store.ts loadManifest (its entries live in shards).
 */
export function parseManifest(bytes: Uint8Array | string): ManifestV1 {
  const value = parseJson(bytes, MANIFEST_KEY);
  if (value.version === 2) {
    throw new ManifestParseError('version 2 is sharded: read it with loadManifest(storage)');
  }
  if (value.version !== 1)
    throw new ManifestParseError(`unsupported version ${JSON.stringify(value.version)}`);
  return parseV1(value);
}

/**
 * Bytes of the shard object `shardId` → its validated entries (each path must belong to it).
 *
 * `published: true` is for bytes known to be exactly what serializeManifestShard wrote (their
 * SHA-256 is the one their content-addressed key names, see shardKeyDigest): every entry was
 * validated or built by the publish that serialized it, so only the object's frame (version,
 * shard id, documents) is checked and the entries are taken as they are. A cold process spent
 * ≈ 10 ms re-validating the ≈ 800 entries of one shard to change one of them.
 */
export function parseManifestShard(
  bytes: Uint8Array | string,
  shardId: string,
  options: {
    readonly published?: boolean;
    /** The layout of the root naming the shard (SHARD_LAYOUT_VERSION when not given). */
    readonly layout?: number;
  } = {},
): ShardEntries {
  const scope = `shard ${shardId}: `;
  const value = parseJson(bytes, `shard ${shardId}`);
  if (value.version !== 2)
    throw new ManifestParseError(`${scope}unsupported version ${JSON.stringify(value.version)}`);
  if (value.shard !== shardId) {
    throw new ManifestParseError(`${scope}object names shard ${JSON.stringify(value.shard)}`);
  }
  if (options.published !== true) {
    return parseDocuments(value.documents, scope, {
      id: shardId,
      layout: options.layout ?? SHARD_LAYOUT_VERSION,
    });
  }
  if (!isRecord(value.documents)) throw new ManifestParseError(`${scope}documents must be an object`);
  // A null-prototype table, as parseDocuments builds: an inherited name is never an entry.
  return Object.assign(Object.create(null) as Record<string, ManifestEntry>, value.documents);
}

function sortedDocuments(documents: ShardEntries): Record<string, ManifestEntry> {
  const sorted: Record<string, ManifestEntry> = {};
  for (const path of Object.keys(documents).sort()) {
    const entry = documents[path];
    if (entry) sorted[path] = entry;
  }
  return sorted;
}

/** A shard's entries → its bytes (stable: paths sorted, so equal entries give an equal key). */
export function serializeManifestShard(shardId: string, documents: ShardEntries): Uint8Array {
  const body = { version: 2, shard: shardId, documents: sortedDocuments(documents) };
  return new TextEncoder().encode(`${JSON.stringify(body)}\n`);
}

/** A root → the bytes stored under MANIFEST_KEY (shards sorted by id). */
export function serializeManifestRoot(root: ManifestRoot): Uint8Array {
  const shards: Record<string, ShardRef> = {};
  for (const id of Object.keys(root.shards).sort()) {
    const ref = root.shards[id];
    if (ref) shards[id] = { key: ref.key, count: ref.count };
  }
  // Compact: every publish reads and writes the root (≈ 1,000 shard refs at 100,000 articles).
  return new TextEncoder().encode(`${JSON.stringify({ ...root, shards })}\n`);
}

/**
 * A complete manifest → version 1 bytes (one object, documents sorted by path). Publish no longer
 * writes this format; tests and tools use it to stand for an installation not yet upgraded.
 */
export function serializeManifest(manifest: Manifest): Uint8Array {
  const body = { ...manifest, version: 1, documents: sortedDocuments(manifest.documents) };
  return new TextEncoder().encode(`${JSON.stringify(body, null, 2)}\n`);
}
