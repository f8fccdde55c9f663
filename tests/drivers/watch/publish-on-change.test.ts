import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createChangeTrigger } from '../../../src/drivers/watch/publish-on-change.ts';

const silent = { debug() {}, info() {}, warn() {}, error() {} };

describe('publish on change (debounced)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('batches a burst of events into one run, the debounce after the last one', () => {
    const request = vi.fn(() => Promise.resolve());
    const lines: string[] = [];
    const trigger = createChangeTrigger({
      request,
      logger: { ...silent, info: (m: string) => lines.push(m) },
      debounceMs: 500,
    });
    for (let i = 0; i < 50; i++) {
      trigger.notify();
      vi.advanceTimersByTime(100);
    }
    expect(request).not.toHaveBeenCalled();
    vi.advanceTimersByTime(399);
    expect(request).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(request).toHaveBeenCalledTimes(1);
    expect(lines).toEqual(['content changed: publishing']);
    trigger.notify();
    vi.advanceTimersByTime(500);
    expect(request).toHaveBeenCalledTimes(2);
  });

  it('asks for nothing after close', () => {
    const request = vi.fn(() => Promise.resolve());
    const trigger = createChangeTrigger({ request, logger: silent, debounceMs: 500 });
    trigger.notify();
    trigger.close();
    trigger.notify();
    vi.advanceTimersByTime(5_000);
    expect(request).not.toHaveBeenCalled();
  });
});
