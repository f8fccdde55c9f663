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
