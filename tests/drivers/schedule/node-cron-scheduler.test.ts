import { describe, expect, it } from 'vitest';
import { createScheduler } from '../../../src/drivers/schedule/node-cron-scheduler.ts';
import type { Logger } from '../../../src/ports/logger.ts';

function logger(lines: string[]): Logger {
  const log = (message: string) => lines.push(message);
  return { debug: log, info: log, warn: log, error: log };
}

describe('createScheduler', () => {
  it('never runs two jobs at once and stop() waits for the run in progress', async () => {
    const lines: string[] = [];
    let active = 0;
    let maxActive = 0;
    let finished = 0;
    const scheduler = createScheduler({
      schedule: '0 0 1 1 *',
      logger: logger(lines),
      job: async () => {
        active++;
        maxActive = Math.max(maxActive, active);
        await new Promise((r) => setTimeout(r, 50));
        active--;
        finished++;
      },
    });
    const first = scheduler.runNow();
    const second = scheduler.runNow();
    expect(second).toBe(first);
    await scheduler.stop();
    expect(maxActive).toBe(1);
    expect(finished).toBe(1);
    expect(lines.some((l) => l.includes('skipped'))).toBe(true);
  });

  it('runSoon during a run queues exactly one more run after it (never two at once)', async () => {
    let active = 0;
    let maxActive = 0;
    let runs = 0;
    const gates: (() => void)[] = [];
    const scheduler = createScheduler({
      schedule: '0 0 1 1 *',
      logger: logger([]),
      job: async () => {
        active++;
        runs++;
        maxActive = Math.max(maxActive, active);
        await new Promise<void>((r) => gates.push(r));
        active--;
      },
    });
    const first = scheduler.runSoon();
    const queued = scheduler.runSoon();
    expect(scheduler.runSoon()).toBe(queued);
    expect(runs).toBe(1);
    gates.shift()?.();
    await first;
    await Promise.resolve();
    await Promise.resolve();
    expect(runs).toBe(2);
    gates.shift()?.();
    await queued;
    expect(maxActive).toBe(1);
    expect(runs).toBe(2);
    await scheduler.stop();
  });

  it('logs a failing job instead of throwing', async () => {
    const lines: string[] = [];
    const scheduler = createScheduler({
      schedule: '0 0 1 1 *',
      logger: logger(lines),
      job: () => Promise.reject(new Error('boom')),
    });
    await scheduler.runNow();
    await scheduler.stop();
    expect(lines).toContain('scheduled run failed');
  });

  it('refuses an invalid schedule', () => {
    expect(() => createScheduler({ schedule: 'nope', logger: logger([]), job: async () => {} })).toThrow(
      /invalid cron/,
    );
  });
});
