import { describe, expect, it } from 'vitest';
import { createConsoleLogger } from '../../../src/drivers/logger/console-logger.ts';

describe('createConsoleLogger', () => {
  it('writes text lines with quoted fields and drops lines below the level', () => {
    const lines: string[] = [];
    const logger = createConsoleLogger({ level: 'info', write: (l) => lines.push(l) });
    logger.debug('hidden');
    logger.warn('file skipped', { file: 'a b.txt', size: 3, none: undefined });
    expect(lines).toEqual(['warn  file skipped file="a b.txt" size=3']);
  });

  it('writes JSON lines', () => {
    const lines: string[] = [];
    createConsoleLogger({ format: 'json', write: (l) => lines.push(l) }).error('boom', { code: 2 });
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({ level: 'error', message: 'boom', code: 2 });
  });
});
