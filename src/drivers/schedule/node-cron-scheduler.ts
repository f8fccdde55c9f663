/**
 * Runs a job on a cron schedule with node-cron, never two runs at once: a tick that
 * arrives while a run is in progress is skipped and logged. `stop()` stops the schedule and
 * resolves when the run in progress (if any) has finished, so a shutdown never cuts a
 * publish in half. `runSoon()` (a content change) never skips: during a run it queues exactly one
 * more run after it, however many changes arrive meanwhile.
 *
 * Must not: know what the job does.
 */
import cron from 'node-cron';
import type { Logger } from '../../ports/logger.ts';

export interface Scheduler {
  /** Runs the job now unless a run is in progress; resolves when it ends. */
  runNow(): Promise<void>;
  /** Runs the job now, or once more after the run in progress; resolves when that run ends. */
  runSoon(): Promise<void>;
  stop(): Promise<void>;
}

export interface SchedulerOptions {
  readonly schedule: string;
  readonly job: () => Promise<void>;
  readonly logger: Logger;
}

export function createScheduler(options: SchedulerOptions): Scheduler {
  const { logger } = options;
  if (!cron.validate(options.schedule)) {
    throw new Error(`invalid cron schedule "${options.schedule}"`);
  }
  let running: Promise<void> | null = null;
  const runNow = (): Promise<void> => {
    if (running) {
      logger.warn('scheduled run skipped: the previous run is still in progress');
      return running;
    }
    running = options
      .job()
      .catch((error: unknown) => logger.error('scheduled run failed', { error: (error as Error).message }))
      .finally(() => {
        running = null;
      });
    return running;
  };
  let queued: Promise<void> | null = null;
  let stopped = false;
  const runSoon = (): Promise<void> => {
    if (!running) return runNow();
    // One queued run covers every change made during the current one.
    queued ??= running.then(() => {
      queued = null;
      return stopped ? undefined : runNow();
    });
    return queued;
  };
  const task = cron.schedule(options.schedule, () => runNow(), { noOverlap: true });
  return {
    runNow,
    runSoon,
    async stop() {
      stopped = true;
      await task.stop();
      if (running) await running;
    },
  };
}
