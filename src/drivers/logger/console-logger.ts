/**
 * Logger driver writing one line per event to stderr: `level message key=value …` for
 * people, or JSON lines (`format: 'json'`) for log collectors. Lines below `level` are dropped.
 *
 * Must not: throw, write to stdout (stdout carries command output such as `clean --json`), or let
 * untrusted text (a file name, an upstream title) end the line or drive the terminal: text lines
 * go through escapeControl, JSON lines through escapeControlInJson (core/report/escape-control.ts).
 */
import { escapeControl, escapeControlInJson } from '../../core/report/escape-control.ts';
import type { LogFields, Logger } from '../../ports/logger.ts';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const RANK: Readonly<Record<LogLevel, number>> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface ConsoleLoggerOptions {
  readonly level?: LogLevel;
  readonly format?: 'text' | 'json';
  readonly write?: (line: string) => void;
}

function formatValue(value: LogFields[string]): string {
  const text = String(value);
  return /[\s"=]/.test(text) ? JSON.stringify(text) : text;
}

export function createConsoleLogger(options: ConsoleLoggerOptions = {}): Logger {
  const threshold = RANK[options.level ?? 'info'];
  const format = options.format ?? 'text';
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const log = (level: LogLevel, message: string, fields: LogFields = {}): void => {
    if (RANK[level] < threshold) return;
    const defined = Object.entries(fields).filter(([, v]) => v !== undefined);
    if (format === 'json') {
      write(
        escapeControlInJson(
          JSON.stringify({ time: new Date().toISOString(), level, message, ...Object.fromEntries(defined) }),
        ),
      );
    } else {
      const tail = defined.map(([k, v]) => `${k}=${formatValue(v)}`).join(' ');
      write(escapeControl(`${level.padEnd(5)} ${message}${tail ? ` ${tail}` : ''}`));
    }
  };
  return {
    debug: (m, f) => log('debug', m, f),
    info: (m, f) => log('info', m, f),
    warn: (m, f) => log('warn', m, f),
    error: (m, f) => log('error', m, f),
  };
}
