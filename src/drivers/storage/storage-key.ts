/**
 * Storage key validation shared by every storage driver: a key is a relative `/`-separated path
 * (`feed.xml`, `articles/x.html`) and nothing that could escape a root directory or a bucket prefix.
 *
 * Must not: normalise a bad key into a good one (`a/../b` is rejected, not rewritten to `b`):
 * silently rewriting would let two spellings alias one object.
 * Tunables: none.
 */

/** Thrown for a key that is empty, absolute, contains NUL/backslash, or has `.`/`..`/empty segments. */
export class InvalidStorageKeyError extends Error {
  override readonly name = 'InvalidStorageKeyError';
  constructor(
    readonly key: string,
    reason: string,
  ) {
    super(
      `Invalid storage key ${JSON.stringify(key)}: ${reason}; expected a relative path like "articles/x.html"`,
    );
  }
}

/** Throws InvalidStorageKeyError unless `key` is a safe relative path. */
export function assertValidKey(key: string): void {
  if (key === '') throw new InvalidStorageKeyError(key, 'empty');
  if (key.includes('\0')) throw new InvalidStorageKeyError(key, 'contains NUL');
  // Backslash is a separator on Windows; a drive letter makes a path absolute there.
  if (key.includes('\\')) throw new InvalidStorageKeyError(key, 'contains a backslash');
  if (key.startsWith('/') || /^[A-Za-z]:/.test(key)) throw new InvalidStorageKeyError(key, 'is absolute');
  for (const segment of key.split('/')) {
    if (segment === '') throw new InvalidStorageKeyError(key, 'has an empty segment');
    if (segment === '.' || segment === '..')
      throw new InvalidStorageKeyError(key, 'has a "." or ".." segment');
  }
}

/** A list prefix is a key fragment: same rules, except that it may be empty or end with `/`. */
export function assertValidPrefix(prefix: string): void {
  if (prefix === '') return;
  assertValidKey(prefix.endsWith('/') ? prefix.slice(0, -1) : prefix);
}
