/**
 * The published manifest: one JSON object mapping every served route to the storage key of its
 * bytes, with the validators (ETag, Last-Modified) and precompressed variants the app serves.
 * Writing it is the atomic "swap" of a publish: readers follow the manifest, never a listing.
 *
 * Storage keys: the manifest points at content-addressed keys, `_v/<first 16 hex of the ETag>/<route
 * key>` (`/feed.xml` → `_v/0123456789abcdef/feed.xml`, variants `….gz`, `….br`). Bytes under such a
 * key never change, so any manifest, even one left by a killed publish, names complete bytes.
 * Route-named copies (`feed.xml`, `articles/x.html`, …) are also written, after the swap, for
 * people and static hosts; the app never reads them.
 *
 * Must not: touch storage itself (publish.ts writes, app/published-reader.ts reads), or accept
 * a manifest it cannot fully validate (a half-understood manifest would serve wrong headers).
 * Tunables: none; MANIFEST_KEY is the fixed storage key.
 */

export const MANIFEST_KEY = 'manifest.json';
/** Prefix of the immutable, content-addressed document keys; publish.ts deletes unreferenced ones. */
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

export interface Manifest {
  readonly version: 1;
  /** Increases by one on every successful publish. */
  readonly generation: number;
  /** ISO-8601 of the publish that wrote this manifest. */
  readonly publishedAt: string;
  /** Route path (`/feed.xml`, `/articles/x`) → entry. */
  readonly documents: Readonly<Record<string, ManifestEntry>>;
}

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

function parseEntry(path: string, value: unknown): ManifestEntry {
  const where = `documents[${JSON.stringify(path)}]`;
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

/** Bytes stored under MANIFEST_KEY → a validated Manifest, or ManifestParseError. */
export function parseManifest(bytes: Uint8Array | string): Manifest {
  let value: unknown;
  try {
    const text = typeof bytes === 'string' ? bytes : new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    value = JSON.parse(text);
  } catch (error) {
    throw new ManifestParseError(`not UTF-8 JSON (${(error as Error).message})`);
  }
  if (!isRecord(value)) throw new ManifestParseError('top level is not an object');
  if (value.version !== 1)
    throw new ManifestParseError(`unsupported version ${JSON.stringify(value.version)}`);
  if (!isNonNegativeInteger(value.generation)) throw new ManifestParseError('generation must be an integer');
  if (typeof value.publishedAt !== 'string') throw new ManifestParseError('publishedAt must be a string');
  if (!isRecord(value.documents)) throw new ManifestParseError('documents must be an object');
  const documents: Record<string, ManifestEntry> = {};
  for (const [path, entry] of Object.entries(value.documents)) {
    // Only real route paths: this also keeps `__proto__`-style keys out of the lookup table.
    try {
      routeToKey(path);
    } catch (error) {
      throw new ManifestParseError((error as Error).message);
    }
    documents[path] = parseEntry(path, entry);
  }
  return { version: 1, generation: value.generation, publishedAt: value.publishedAt, documents };
}

/** Manifest → the bytes stored under MANIFEST_KEY (stable key order: documents sorted by path). */
export function serializeManifest(manifest: Manifest): Uint8Array {
  const documents: Record<string, ManifestEntry> = {};
  for (const path of Object.keys(manifest.documents).sort()) {
    const entry = manifest.documents[path];
    if (entry) documents[path] = entry;
  }
  return new TextEncoder().encode(`${JSON.stringify({ ...manifest, documents }, null, 2)}\n`);
}
