import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFsStorage } from '../../../src/drivers/storage/fs.ts';
import { InvalidStorageKeyError } from '../../../src/drivers/storage/storage-key.ts';

const text = (bytes: Uint8Array | undefined): string => new TextDecoder().decode(bytes);

describe('fs storage under attack and after crashes', () => {
  let root: string;
  let outside: string;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'kiosque-fs-root-'));
    outside = mkdtempSync(join(tmpdir(), 'kiosque-fs-outside-'));
    writeFileSync(join(outside, 'secret.txt'), 'secret');
    mkdirSync(join(outside, 'dir'));
    writeFileSync(join(outside, 'dir/inner.txt'), 'inner secret');
  });

  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });

  it('refuses to read through a file symlink that points outside the root, and lists it so the caller can say so', async () => {
    symlinkSync(join(outside, 'secret.txt'), join(root, 'link.txt'));
    const storage = createFsStorage(root);
    expect(await storage.list('')).toEqual(['link.txt']);
    await expect(storage.get('link.txt')).rejects.toThrow(InvalidStorageKeyError);
    await expect(storage.get('link.txt')).rejects.toThrow(/symbolic link to a path outside/);
  });

  it('refuses to read or write through a directory symlink that points outside the root', async () => {
    symlinkSync(join(outside, 'dir'), join(root, 'escape'));
    const storage = createFsStorage(root);
    await expect(storage.get('escape/inner.txt')).rejects.toThrow(InvalidStorageKeyError);
    await expect(storage.put('escape/new.txt', new TextEncoder().encode('x'))).rejects.toThrow(
      InvalidStorageKeyError,
    );
    expect(readdirSync(join(outside, 'dir'))).toEqual(['inner.txt']);
  });

  it('follows a symlink that stays inside the root', async () => {
    writeFileSync(join(root, 'real.txt'), 'inside');
    symlinkSync(join(root, 'real.txt'), join(root, 'alias.txt'));
    expect(text((await createFsStorage(root).get('alias.txt'))?.body)).toBe('inside');
  });

  it('refuses traversal and absolute keys', async () => {
    const storage = createFsStorage(root);
    for (const key of ['../secret.txt', 'a/../../x', '/etc/passwd', 'a\\..\\b', 'C:/x', 'a\0b']) {
      await expect(storage.get(key), key).rejects.toThrow(InvalidStorageKeyError);
    }
  });

  it('sweeps temp files a killed writer left, once they are older than staleTempMs; never lists them', async () => {
    mkdirSync(join(root, 'articles'));
    const stale = join(root, 'articles', '.a.html.4242.0123456789ab.tmp');
    const fresh = join(root, '.feed.xml.4243.ba9876543210.tmp');
    writeFileSync(stale, 'half a document');
    writeFileSync(fresh, 'a writer still at work');
    const old = new Date(Date.now() - 60 * 60 * 1000);
    utimesSync(stale, old, old);
    const storage = createFsStorage(root, { staleTempMs: 10 * 60 * 1000 });
    expect(await storage.list('')).toEqual([]);
    await storage.put('feed.xml', new TextEncoder().encode('complete'));
    await storage.whenSwept();
    expect(readdirSync(join(root, 'articles'))).toEqual([]);
    // A young temp file may belong to another live process: it stays.
    // (The writer marker of this process, `.kiosque-writer.*`, is the driver's own bookkeeping.)
    expect(
      readdirSync(root)
        .filter((name) => !name.startsWith('.kiosque-writer.'))
        .sort(),
    ).toEqual(['.feed.xml.4243.ba9876543210.tmp', '.kiosque-swept', 'articles', 'feed.xml']);
    expect(await storage.list('')).toEqual(['feed.xml']);
  });
});
