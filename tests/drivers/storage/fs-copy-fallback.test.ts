/**
 * fs copy falls back to a byte copy (get + put, still atomic) when link(2) fails: another
 * filesystem under the root (EXDEV), or a filesystem that refuses hard links (EPERM).
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const linkFailure = vi.hoisted(() => ({ code: null as string | null }));

vi.mock('node:fs', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs')>();
  return {
    ...actual,
    linkSync(from: string, to: string): void {
      if (linkFailure.code !== null) {
        throw Object.assign(new Error(`${linkFailure.code}: link refused`), { code: linkFailure.code });
      }
      actual.linkSync(from, to);
    },
  };
});

const { createFsStorage } = await import('../../../src/drivers/storage/fs.ts');

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('fs copy when hard links fail', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'kiosque-fs-copy-'));
  });
  afterEach(() => {
    linkFailure.code = null;
    rmSync(root, { recursive: true, force: true });
  });

  it.each(['EXDEV', 'EPERM', 'ENOTSUP'])('copies the bytes instead on %s', async (code) => {
    const storage = createFsStorage(root);
    await storage.put('_v/1/feed.xml', bytes('v1'));
    await storage.put('feed.xml', bytes('old'));
    linkFailure.code = code;
    expect(await storage.copy?.('_v/1/feed.xml', 'feed.xml')).toBe(true);
    expect(new TextDecoder().decode((await storage.get('feed.xml'))?.body)).toBe('v1');
    // A separate file (no shared inode), and no temp file left behind.
    expect(statSync(join(root, 'feed.xml')).ino).not.toBe(statSync(join(root, '_v/1/feed.xml')).ino);
    expect(readdirSync(root).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('propagates other errors and leaves the target as it was', async () => {
    const storage = createFsStorage(root);
    await storage.put('a.txt', bytes('a'));
    await storage.put('b.txt', bytes('b'));
    linkFailure.code = 'EIO';
    await expect(storage.copy?.('a.txt', 'b.txt')).rejects.toThrow(/EIO/);
    expect(new TextDecoder().decode((await storage.get('b.txt'))?.body)).toBe('b');
  });
});
