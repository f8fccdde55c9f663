/**
 * The real clock for entries. Must not: be imported by the core (pass it as the Clock port).
 */
import type { Clock } from '../../ports/clock.ts';

export function createSystemClock(): Clock {
  return { now: () => new Date() };
}
