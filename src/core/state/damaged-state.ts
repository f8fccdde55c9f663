/**
 * A derived state object (an index chunk, a frozen-page object) that is missing or unreadable.
 * Thrown by the modules that read them; regenerate.ts answers with one complete rebuild of the
 * derived state (re-read, re-normalise, re-plan; publish still compares input digests), since a
 * cache is rebuilt from its inputs, never trusted half-lost (docs/derived-state.md).
 *
 * Must not: be thrown for a ledger (items/, remote/): those are never rebuilt silently.
 */
export class DamagedStateError extends Error {
  override readonly name = 'DamagedStateError';
}
