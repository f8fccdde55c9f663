/**
 * The `code` of a Node filesystem error (`ENOENT`, `ELOOP` …), and the "no such file" test every
 * part of the fs Storage driver makes.
 *
 * Must not: decide what an error means for a caller (each part of the driver does that).
 */
export function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
}

export const isMissing = (error: unknown): boolean =>
  errorCode(error) === 'ENOENT' || errorCode(error) === 'ENOTDIR';
