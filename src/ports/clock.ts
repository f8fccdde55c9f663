/**
 * Clock port: the only way the core learns the time, so tests pin it.
 * Must not: be replaced by `new Date()` anywhere in `core/`.
 */
export interface Clock {
  now(): Date;
}
