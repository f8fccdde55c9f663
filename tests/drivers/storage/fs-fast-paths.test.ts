/**
 * The fs driver's cheap paths keep its guarantees: the cached folder check, O_NOFOLLOW reads,
 * synchronous small-file I/O, hard-link copies and the retry when a trusted folder vanished.
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFsStorage, SYNC_IO_MAX_BYTES } from '../../../src/drivers/storage/fs.ts';
import { InvalidStorageKeyError } from '../../../src/drivers/storage/storage-key.ts';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const text = (body: Uint8Array | undefined): string => new TextDecoder().decode(body);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Every file under `dir` (relative), temp files and the sweep marker included. */
function allFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? allFiles(join(dir, entry.name), `${prefix}${entry.name}/`)
      : [`${prefix}${entry.name}`],
  );
}

describe('fs storage fast paths', () => {
  let root: string;
  let outside: string;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'kiosque-fs-fast-'));
    outside = mkdtempSync(join(tmpdir(), 'kiosque-fs-fast-outside-'));
    writeFileSync(join(outside, 'secret.txt'), 'secret');
  });
  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });

  it('refuses a file link out of the root created after its folder was checked and cached', async () => {
    const storage = createFsStorage(root, { dirCacheMs: 60_000 });
    await storage.put('dir/a.txt', bytes('a'));
    expect(text((await storage.get('dir/a.txt'))?.body)).toBe('a'); // folder now trusted
    symlinkSync(join(outside, 'secret.txt'), join(root, 'dir', 'link.txt'));
    await expect(storage.get('dir/link.txt')).rejects.toThrow(InvalidStorageKeyError);
    await expect(storage.copy?.('dir/link.txt', 'dir/copy.txt')).rejects.toThrow(InvalidStorageKeyError);
    expect(existsSync(join(root, 'dir', 'copy.txt'))).toBe(false);
  });

  it('refuses a folder swapped for a link out of the root once its check is older than dirCacheMs', async () => {
    mkdirSync(join(outside, 'dir'));
    writeFileSync(join(outside, 'dir', 'inner.txt'), 'inner secret');
    const swap = (): void => {
      renameSync(join(root, 'dir'), join(root, 'old'));
      symlinkSync(join(outside, 'dir'), join(root, 'dir'));
    };

    const strict = createFsStorage(root, { dirCacheMs: 0 });
    await strict.put('dir/inner.txt', bytes('mine'));
    expect(text((await strict.get('dir/inner.txt'))?.body)).toBe('mine');
    swap();
    await expect(strict.get('dir/inner.txt')).rejects.toThrow(InvalidStorageKeyError);
    await expect(strict.put('dir/inner.txt', bytes('x'))).rejects.toThrow(InvalidStorageKeyError);
    await expect(strict.delete('dir/inner.txt')).rejects.toThrow(InvalidStorageKeyError);

    rmSync(join(root, 'dir'));
    rmSync(join(root, 'old'), { recursive: true });
    const cached = createFsStorage(root, { dirCacheMs: 30 });
    await cached.put('dir/inner.txt', bytes('mine'));
    swap();
    await sleep(60);
    await expect(cached.get('dir/inner.txt')).rejects.toThrow(InvalidStorageKeyError);
    await expect(cached.put('dir/inner.txt', bytes('x'))).rejects.toThrow(InvalidStorageKeyError);
    await expect(cached.delete('dir/inner.txt')).rejects.toThrow(InvalidStorageKeyError);
    expect(readFileSync(join(outside, 'dir', 'inner.txt'), 'utf8')).toBe('inner secret');
  });

  it('checks a folder below a checked one by lstat: a real folder is read, a link deeper down is still resolved', async () => {
    mkdirSync(join(root, 'a', 'b', 'c'), { recursive: true });
    writeFileSync(join(root, 'a', 'b', 'c', 'real.txt'), 'real');
    mkdirSync(join(outside, 'dir'));
    writeFileSync(join(outside, 'dir', 'inner.txt'), 'inner secret');
    symlinkSync(join(outside, 'dir'), join(root, 'a', 'b', 'out'));
    symlinkSync(join(root, 'a', 'b', 'c'), join(root, 'a', 'b', 'alias'));
    for (const dirCacheMs of [0, 60_000]) {
      const storage = createFsStorage(root, { dirCacheMs });
      expect(text((await storage.get('a/b/c/real.txt'))?.body)).toBe('real');
      // `a/b` is checked now; its `out` entry is a link, not a folder: resolved, and refused.
      await expect(storage.get('a/b/out/inner.txt')).rejects.toThrow(InvalidStorageKeyError);
      await expect(storage.put('a/b/out/new.txt', bytes('x'))).rejects.toThrow(InvalidStorageKeyError);
      // A folder link that stays inside the root is followed.
      expect(text((await storage.get('a/b/alias/real.txt'))?.body)).toBe('real');
      expect(await storage.get('a/b/missing/real.txt')).toBeNull();
      expect(await storage.get('a/b/c/real.txt/x')).toBeNull();
    }
    expect(existsSync(join(outside, 'dir', 'new.txt'))).toBe(false);
  });

  it('refuses a delete through a folder link out of the root (nothing outside is removed)', async () => {
    symlinkSync(outside, join(root, 'escape'));
    const storage = createFsStorage(root);
    await expect(storage.delete('escape/secret.txt')).rejects.toThrow(InvalidStorageKeyError);
    expect(existsSync(join(outside, 'secret.txt'))).toBe(true);
  });

  it('writes into a trusted folder that was removed meanwhile (by a delete or by hand)', async () => {
    const storage = createFsStorage(root, { dirCacheMs: 60_000 });
    await storage.put('a/b/one.txt', bytes('1'));
    await storage.delete('a/b/one.txt'); // prunes a/b and a
    expect(existsSync(join(root, 'a'))).toBe(false);
    await storage.put('a/b/two.txt', bytes('2'));
    rmSync(join(root, 'a'), { recursive: true });
    await storage.put('a/b/three.txt', bytes('3'));
    await storage.put('x.txt', bytes('x'));
    expect(await storage.copy?.('x.txt', 'a/b/four.txt')).toBe(true);
    rmSync(join(root, 'a'), { recursive: true });
    expect(await storage.copy?.('x.txt', 'a/b/five.txt')).toBe(true);
    expect(await storage.list('a/')).toEqual(['a/b/five.txt']);
  });

  it('round-trips a file larger than SYNC_IO_MAX_BYTES through the async path', async () => {
    const storage = createFsStorage(root);
    const large = new Uint8Array(SYNC_IO_MAX_BYTES * 2 + 17).map((_, i) => (i * 31) % 251);
    await storage.put('big/blob.bin', large);
    const read = await storage.get('big/blob.bin');
    expect(read?.body.byteLength).toBe(large.byteLength);
    expect(Buffer.compare(Buffer.from(read?.body ?? []), Buffer.from(large))).toBe(0);
    expect(await storage.copy?.('big/blob.bin', 'big/copy.bin')).toBe(true);
    expect((await storage.get('big/copy.bin'))?.body.byteLength).toBe(large.byteLength);
  });

  it('gives each read its own buffer (not a view of a shared pool)', async () => {
    const storage = createFsStorage(root);
    await storage.put('small.txt', bytes('tiny'));
    const read = await storage.get('small.txt');
    expect(read?.body.buffer.byteLength).toBe(4);
  });

  it('copies as a hard link renamed into place: same inode, no temp file left', async () => {
    const storage = createFsStorage(root);
    await storage.put('_v/abc/feed.xml', bytes('<rss/>'));
    await storage.put('feed.xml', bytes('stale'));
    expect(await storage.copy?.('_v/abc/feed.xml', 'feed.xml')).toBe(true);
    const source = statSync(join(root, '_v/abc/feed.xml'));
    const copy = statSync(join(root, 'feed.xml'));
    expect(copy.ino).toBe(source.ino);
    expect(copy.nlink).toBe(2);
    expect(allFiles(root).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('copies a link that stays inside the root as a regular file with its target bytes', async () => {
    writeFileSync(join(root, 'real.txt'), 'inside');
    symlinkSync('real.txt', join(root, 'alias.txt')); // relative: would dangle if linked elsewhere
    const storage = createFsStorage(root);
    expect(await storage.copy?.('alias.txt', 'sub/copy.txt')).toBe(true);
    expect(statSync(join(root, 'sub/copy.txt')).isFile()).toBe(true);
    expect(readFileSync(join(root, 'sub/copy.txt'), 'utf8')).toBe('inside');
  });

  it('yields to the event loop between slices of synchronous reads', async () => {
    const storage = createFsStorage(root);
    const body = bytes('x'.repeat(16 * 1024));
    for (let i = 0; i < 20; i++) await storage.put(`bodies/${i}.json`, body);
    let reads = 0;
    let readsWhenTimerRan = -1;
    setTimeout(() => {
      readsWhenTimerRan = reads;
    }, 0);
    // Enough synchronous work to outlast several slices, issued all at once.
    await Promise.all(
      Array.from({ length: 4000 }, async (_, i) => {
        await storage.get(`bodies/${i % 20}.json`);
        reads++;
      }),
    );
    expect(readsWhenTimerRan).toBeGreaterThanOrEqual(0);
    expect(readsWhenTimerRan).toBeLessThan(4000);
  });
});
