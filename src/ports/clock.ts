/**
 * Clock port: the only way the core learns the time, so tests pin it.
 * Must not: be replaced by `new Date()` anywhere in `core/`.
 */
export interface Clock {
  now(): Date;
}

/**
 * Waits `ms` milliseconds of the clock's time; resolves early (never rejects) when `signal` aborts.
 * Used by the publish lock (waiting for a holder, renewing a lease); tests pass one that moves a
 * fake clock.
 */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;
