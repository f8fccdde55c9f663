import { describe, expect, it } from 'vitest';
import { createWorkerConsoleLogger } from '../../../src/drivers/logger/worker-console-logger.ts';

function fakeConsole() {
  const calls: [string, ...unknown[]][] = [];
  const record =
    (level: string) =>
    (...args: unknown[]) =>
      calls.push([level, ...args]);
  return {
    calls,
    console: { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') },
  };
}

describe('worker console logger', () => {
  it('calls the console method of the level with the message and the defined fields', () => {
    const sink = fakeConsole();
    const logger = createWorkerConsoleLogger({ console: sink.console });
    logger.warn('slow run', { ms: 12, source: 'a.txt', missing: undefined });
    logger.error('failed');
    expect(sink.calls).toEqual([
      ['warn', 'slow run', { ms: 12, source: 'a.txt' }],
      ['error', 'failed'],
    ]);
  });

  it('drops lines below the level (info by default)', () => {
    const sink = fakeConsole();
    createWorkerConsoleLogger({ console: sink.console }).debug('noise');
    createWorkerConsoleLogger({ console: sink.console, level: 'error' }).warn('quiet');
    createWorkerConsoleLogger({ console: sink.console, level: 'debug' }).debug('shown');
    expect(sink.calls).toEqual([['debug', 'shown']]);
  });

  it('never throws, even when the console does', () => {
    const throwing = () => {
      throw new Error('console gone');
    };
    const logger = createWorkerConsoleLogger({
      console: { debug: throwing, info: throwing, warn: throwing, error: throwing },
    });
    expect(() => logger.error('x', { a: 1 })).not.toThrow();
  });
});
