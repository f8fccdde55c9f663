/**
 * Publish on change: content-folder events → one debounced run request. Each event restarts a
 * quiet-period timer (DEFAULT_DEBOUNCE_MS); when the folder has been quiet that long, `request`
 * is called once, so a burst (a `git pull`, an editor's save-rename-delete dance) becomes one
 * incremental run. `request` is the scheduler's runSoon: never two runs at once, and a change
 * during a run gets exactly one more run after it. The cron schedule stays for remote sources
 * and as a safety net.
 *
 * Must not: read files or run the build itself, or keep the process alive (the timer is unref'd
 * when the platform allows it). Timers are injected for tests (fake timers need no real wait).
 * Tunables: DEFAULT_DEBOUNCE_MS.
 */
import type { Logger } from '../../ports/logger.ts';

/** Quiet time after the last write before the run starts: long enough to batch a burst. */
export const DEFAULT_DEBOUNCE_MS = 750;

export interface ChangeTrigger {
  /** A content event happened (any file, any kind). */
  notify(): void;
  close(): void;
}

export interface ChangeTriggerOptions {
  readonly request: () => Promise<void>;
  readonly logger: Logger;
  readonly debounceMs?: number;
  readonly setTimer?: (fn: () => void, ms: number) => unknown;
  readonly clearTimer?: (timer: unknown) => void;
}

export function createChangeTrigger(options: ChangeTriggerOptions): ChangeTrigger {
  const debounceMs = options.debounceMs ?? DEFAULT_DEBOUNCE_MS;
  const setTimer =
    options.setTimer ??
    ((fn: () => void, ms: number) => {
      const timer = setTimeout(fn, ms);
      timer.unref?.();
      return timer;
    });
  const clearTimer =
    options.clearTimer ?? ((timer: unknown) => clearTimeout(timer as ReturnType<typeof setTimeout>));
  let timer: unknown = null;
  let events = 0;
  let closed = false;
  const fire = (): void => {
    timer = null;
    const batched = events;
    events = 0;
    options.logger.info('content changed: publishing', { events: batched });
    void options.request();
  };
  return {
    notify() {
      if (closed) return;
      events++;
      if (timer !== null) clearTimer(timer);
      timer = setTimer(fire, debounceMs);
    },
    close() {
      closed = true;
      if (timer !== null) clearTimer(timer);
      timer = null;
    },
  };
}
