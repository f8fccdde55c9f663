/**
 * The real clock for entries. Must not: be imported by the core (pass it as the Clock port).
 */
import type { Clock, Sleep } from '../../ports/clock.ts';

export function createSystemClock(): Clock {
  return { now: () => new Date() };
}

/** Real waiting (a timer), cut short by the signal; the timer never keeps a process alive after an abort. */
export function createSystemSleep(): Sleep {
  return (ms, signal) =>
    new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const done = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener('abort', done, { once: true });
    });
}
