import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createIfAbsent } from '../../../src/drivers/storage/fs-lease.ts';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kiosque-lease-'));
  folders.push(dir);
  return dir;
}

describe('createIfAbsent (fs putIfAbsent)', () => {
  it('creates a missing file whole and removes its temp file', () => {
    const dir = folder();
    expect(
      createIfAbsent(join(dir, 'lock.json'), join(dir, '.lock.tmp'), new TextEncoder().encode('mine')),
    ).toBe(true);
    expect(readFileSync(join(dir, 'lock.json'), 'utf8')).toBe('mine');
    expect(readdirSync(dir)).toEqual(['lock.json']);
  });

  it('leaves an existing file as it was, and removes its temp file', () => {
    const dir = folder();
    writeFileSync(join(dir, 'lock.json'), 'theirs');
    expect(
      createIfAbsent(join(dir, 'lock.json'), join(dir, '.lock.tmp'), new TextEncoder().encode('mine')),
    ).toBe(false);
    expect(readFileSync(join(dir, 'lock.json'), 'utf8')).toBe('theirs');
    expect(readdirSync(dir)).toEqual(['lock.json']);
  });
});
