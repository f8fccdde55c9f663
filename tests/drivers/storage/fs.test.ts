import { mkdtemp, readdir, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createFsStorage } from '../../../src/drivers/storage/fs.ts';
import { describeStorageContract } from './contract.ts';

/** The root's entries without the driver's sweep and writer markers (its own bookkeeping). */
async function visible(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((name) => !name.startsWith('.kiosque-'));
}

const roots: string[] = [];
async function freshRoot(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'kiosque-fs-storage-'));
  roots.push(root);
  return root;
}
afterAll(async () => {
  await Promise.all(roots.map((root) => rm(root, { recursive: true, force: true })));
});

describeStorageContract('fs', async () => createFsStorage(await freshRoot()));

describe('fs storage specifics', () => {
  it('stores a key as a file under the root (a static server can serve the tree)', async () => {
    const root = await freshRoot();
    const storage = createFsStorage(root);
    await storage.put('articles/x.html', new TextEncoder().encode('<p>x</p>'));
    expect((await stat(join(root, 'articles', 'x.html'))).isFile()).toBe(true);
  });

  it('lists entries with the file mtime, and a dangling link with size -1 (its read reports it)', async () => {
    const root = await freshRoot();
    const storage = createFsStorage(root);
    await storage.put('a.txt', new TextEncoder().encode('abc'));
    const when = new Date('2024-05-06T07:08:09Z');
    await utimes(join(root, 'a.txt'), when, when);
    await symlink(join(root, 'missing.txt'), join(root, 'dangling.txt'));
    expect(await storage.listEntries?.('')).toEqual([
      { key: 'a.txt', size: 3, modified: when },
      { key: 'dangling.txt', size: -1 },
    ]);
  });

  it('leaves no temp files after puts and never lists leftover ones', async () => {
    const root = await freshRoot();
    const storage = createFsStorage(root);
    await storage.put('feed.xml', new TextEncoder().encode('a'));
    await storage.put('feed.xml', new TextEncoder().encode('b'));
    expect(await visible(root)).toEqual(['feed.xml']);
    // A crash between write and rename leaves a temp file behind.
    await writeFile(join(root, '.feed.xml.1234.abcdef.tmp'), 'partial');
    expect(await storage.list('')).toEqual(['feed.xml']);
  });

  it('removes directories a delete leaves empty, but not the root', async () => {
    const root = await freshRoot();
    const storage = createFsStorage(root);
    await storage.put('a/b/c.txt', new TextEncoder().encode('x'));
    await storage.delete('a/b/c.txt');
    expect(await visible(root)).toEqual([]);
  });

  it('returns null, not an error, for a key that names a directory', async () => {
    const storage = createFsStorage(await freshRoot());
    await storage.put('dir/file.txt', new TextEncoder().encode('x'));
    expect(await storage.get('dir')).toBeNull();
  });

  it('lists nothing from a root that does not exist yet, and creates it on first put', async () => {
    const root = join(await freshRoot(), 'not', 'yet');
    const storage = createFsStorage(root);
    expect(await storage.list('')).toEqual([]);
    await storage.put('feed.xml', new TextEncoder().encode('x'));
    expect(await storage.list('')).toEqual(['feed.xml']);
  });

  it('takes modified from the file mtime', async () => {
    const root = await freshRoot();
    const storage = createFsStorage(root);
    await storage.put('a.txt', new TextEncoder().encode('x'));
    const { mtime } = await stat(join(root, 'a.txt'));
    expect((await storage.get('a.txt'))?.modified?.getTime()).toBe(mtime.getTime());
  });
});

describe('fs storage sweeping', () => {
  it('walks the whole tree at most once per sweepIntervalMs; a listing sweeps the folders it walks', async () => {
    const root = await mkdtemp(join(tmpdir(), 'kiosque-fs-sweep-'));
    try {
      const staleA = join(root, 'a', '.x.html.1.ab.tmp');
      const staleB = join(root, 'b', '.y.html.1.ab.tmp');
      const { mkdir } = await import('node:fs/promises');
      await mkdir(join(root, 'a'));
      await mkdir(join(root, 'b'));
      await writeFile(staleA, 'half');
      await writeFile(staleB, 'half');
      const old = new Date(Date.now() - 3_600_000);
      await utimes(staleA, old, old);
      await utimes(staleB, old, old);
      // The first instance sweeps the whole tree (no sweep recorded yet), in the background.
      const first = createFsStorage(root, { staleTempMs: 1000 });
      await first.put('feed.xml', new TextEncoder().encode('x'));
      await first.whenSwept();
      expect(await readdir(join(root, 'a'))).toEqual([]);
      expect(await readdir(join(root, 'b'))).toEqual([]);
      // Within the interval a new instance sweeps nothing (a listing still would).
      await writeFile(staleA, 'half');
      await writeFile(staleB, 'half');
      await utimes(staleA, old, old);
      await utimes(staleB, old, old);
      const second = createFsStorage(root, { staleTempMs: 1000 });
      await second.put('a/z.html', new TextEncoder().encode('x'));
      await second.whenSwept();
      expect((await readdir(join(root, 'a'))).sort()).toEqual(['.x.html.1.ab.tmp', 'z.html']);
      expect(await readdir(join(root, 'b'))).toEqual(['.y.html.1.ab.tmp']);
      await createFsStorage(root, { staleTempMs: 1000 }).list('a/');
      expect(await readdir(join(root, 'a'))).toEqual(['z.html']);
      // With interval 0 every instance's first put walks the tree again.
      const third = createFsStorage(root, { staleTempMs: 1000, sweepIntervalMs: 0 });
      await third.put('c.xml', new TextEncoder().encode('x'));
      await third.whenSwept();
      expect(await readdir(join(root, 'b'))).toEqual([]);
      expect(await createFsStorage(root).list('')).toEqual(['a/z.html', 'c.xml', 'feed.xml']);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('does not make the first write wait for the whole-tree sweep', async () => {
    const root = await mkdtemp(join(tmpdir(), 'kiosque-fs-sweep-bg-'));
    try {
      const { mkdir } = await import('node:fs/promises');
      // Enough folders that the walk (one readdir each) outlasts one small write by far.
      for (let i = 0; i < 1000; i++) await mkdir(join(root, `d${i}`, 'e'), { recursive: true });
      const storage = createFsStorage(root, { staleTempMs: 1000 });
      await storage.put('feed.xml', new TextEncoder().encode('x'));
      // The sweep records itself (the marker) only when done: the write returned before that.
      expect(await readdir(root)).not.toContain('.kiosque-swept');
      expect(await storage.get('feed.xml')).not.toBeNull();
      await storage.whenSwept();
      expect(await readdir(root)).toContain('.kiosque-swept');
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
