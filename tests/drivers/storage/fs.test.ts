import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createFsStorage } from '../../../src/drivers/storage/fs.ts';
import { describeStorageContract } from './contract.ts';

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

  it('leaves no temp files after puts and never lists leftover ones', async () => {
    const root = await freshRoot();
    const storage = createFsStorage(root);
    await storage.put('feed.xml', new TextEncoder().encode('a'));
    await storage.put('feed.xml', new TextEncoder().encode('b'));
    expect(await readdir(root)).toEqual(['feed.xml']);
    // A crash between write and rename leaves a temp file behind.
    await writeFile(join(root, '.feed.xml.1234.abcdef.tmp'), 'partial');
    expect(await storage.list('')).toEqual(['feed.xml']);
  });

  it('removes directories a delete leaves empty, but not the root', async () => {
    const root = await freshRoot();
    const storage = createFsStorage(root);
    await storage.put('a/b/c.txt', new TextEncoder().encode('x'));
    await storage.delete('a/b/c.txt');
    expect(await readdir(root)).toEqual([]);
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
