/**
 * Logger driver for the Workers runtime: one `console.<level>(message, fields)` call per event.
 * Workers Logs and `wrangler tail` keep the level and index the fields object as structured
 * data, so no text formatting happens here. (console-logger.ts writes to process.stderr, which a
 * Worker without nodejs_compat does not have.)
 *
 * Must not: throw, drop fields, or pass untrusted text that can end a line or drive a terminal
 * (`wrangler tail` prints to one): the message and string fields go through escapeControl.
 * Tunables: `level` (lines below it are dropped; default info).
 */
import { escapeControl } from '../../core/report/escape-control.ts';
import type { LogFields, Logger } from '../../ports/logger.ts';

export type WorkerLogLevel = 'debug' | 'info' | 'warn' | 'error';
const RANK: Readonly<Record<WorkerLogLevel, number>> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Where lines go; the global console by default, a fake in tests. */
export type ConsoleLike = Pick<Console, WorkerLogLevel>;

export interface WorkerConsoleLoggerOptions {
  readonly level?: WorkerLogLevel;
  readonly console?: ConsoleLike;
}

export function createWorkerConsoleLogger(options: WorkerConsoleLoggerOptions = {}): Logger {
  const threshold = RANK[options.level ?? 'info'];
  const sink = options.console ?? console;
  const log = (level: WorkerLogLevel, message: string, fields: LogFields = {}): void => {
    if (RANK[level] < threshold) return;
    const defined = Object.fromEntries(
      Object.entries(fields)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, typeof v === 'string' ? escapeControl(v) : v]),
    );
    try {
      if (Object.keys(defined).length === 0) sink[level](escapeControl(message));
      else sink[level](escapeControl(message), defined);
    } catch {
      // A logger must never break the run it reports on.
    }
  };
  return {
    debug: (m, f) => log('debug', m, f),
    info: (m, f) => log('info', m, f),
    warn: (m, f) => log('warn', m, f),
    error: (m, f) => log('error', m, f),
  };
}
