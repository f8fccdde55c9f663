/**
 * The Storage contract every driver passes (memory, fs; later KV and R2): call
 * `describeStorageContract(name, makeStorage)` from a driver's test file. `makeStorage` must return
 * a fresh, empty storage on every call; each test gets its own.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Storage } from '../../../src/ports/storage.ts';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const text = (body: Uint8Array): string => new TextDecoder().decode(body);

export interface ContractOptions {
  /** The driver's putIfAbsent is a read then a write (KV): concurrent creators may all succeed. */
  readonly putIfAbsentNotAtomic?: boolean;
}

export function describeStorageContract(
  name: string,
  makeStorage: () => Storage | Promise<Storage>,
  options: ContractOptions = {},
): void {
  describe(`Storage contract: ${name}`, () => {
    let storage: Storage;
    beforeEach(async () => {
      storage = await makeStorage();
    });

    it('returns null for a missing key', async () => {
      expect(await storage.get('missing.txt')).toBeNull();
      expect(await storage.get('deep/missing/key.txt')).toBeNull();
    });

    it('round-trips bytes exactly, including non-UTF-8 and empty bodies', async () => {
      const binary = new Uint8Array([0, 255, 1, 128, 10, 13]);
      await storage.put('bin/data.bin', binary);
      await storage.put('empty.txt', new Uint8Array());
      expect([...((await storage.get('bin/data.bin'))?.body ?? [])]).toEqual([...binary]);
      expect((await storage.get('empty.txt'))?.body.byteLength).toBe(0);
    });

    it('overwrites a key with the new bytes', async () => {
      await storage.put('feed.xml', bytes('old'));
      await storage.put('feed.xml', bytes('new'));
      expect(text((await storage.get('feed.xml'))?.body ?? new Uint8Array())).toBe('new');
      expect(await storage.list('')).toEqual(['feed.xml']);
    });

    it('does not let the caller mutate a stored object through its buffer', async () => {
      const body = bytes('abc');
      await storage.put('a.txt', body);
      body[0] = 0x7a;
      expect(text((await storage.get('a.txt'))?.body ?? new Uint8Array())).toBe('abc');
    });

    it('reports when an object was written, when it knows', async () => {
      const before = Date.now();
      await storage.put('a.txt', bytes('x'));
      const modified = (await storage.get('a.txt'))?.modified;
      if (modified !== undefined) {
        expect(modified).toBeInstanceOf(Date);
        // Filesystems may round mtime down to the second.
        expect(modified.getTime()).toBeGreaterThanOrEqual(before - 2000);
        expect(modified.getTime()).toBeLessThanOrEqual(Date.now() + 2000);
      }
    });

    it('deletes a key, and deleting a missing key is not an error', async () => {
      await storage.put('articles/a.html', bytes('a'));
      await storage.delete('articles/a.html');
      expect(await storage.get('articles/a.html')).toBeNull();
      await expect(storage.delete('articles/a.html')).resolves.toBeUndefined();
      await expect(storage.delete('never/was.txt')).resolves.toBeUndefined();
      expect(await storage.list('')).toEqual([]);
    });

    it('lists keys recursively, sorted, by string prefix', async () => {
      for (const key of [
        'index.html',
        'articles/b.html',
        'feed.xml',
        'articles/a.html',
        'articles/sub/c.html',
      ]) {
        await storage.put(key, bytes(key));
      }
      expect(await storage.list('')).toEqual([
        'articles/a.html',
        'articles/b.html',
        'articles/sub/c.html',
        'feed.xml',
        'index.html',
      ]);
      expect(await storage.list('articles/')).toEqual([
        'articles/a.html',
        'articles/b.html',
        'articles/sub/c.html',
      ]);
      expect(await storage.list('articles/sub/')).toEqual(['articles/sub/c.html']);
      expect(await storage.list('feed')).toEqual(['feed.xml']);
      expect(await storage.list('art')).toEqual([
        'articles/a.html',
        'articles/b.html',
        'articles/sub/c.html',
      ]);
      expect(await storage.list('nothing/')).toEqual([]);
    });

    it('lists entries with their sizes, sorted, by string prefix, like list', async () => {
      const listEntries = storage.listEntries?.bind(storage);
      expect(listEntries).toBeTypeOf('function');
      if (!listEntries) return;
      for (const [key, body] of [
        ['b/two.txt', 'two!'],
        ['a.txt', ''],
        ['b/sub/three.txt', 'three'],
        ['bb.txt', 'x'],
      ] as const) {
        await storage.put(key, bytes(body));
      }
      const all = await listEntries('');
      expect(all.map((e) => [e.key, e.size])).toEqual([
        ['a.txt', 0],
        ['b/sub/three.txt', 5],
        ['b/two.txt', 4],
        ['bb.txt', 1],
      ]);
      expect(all.map((e) => e.key)).toEqual(await storage.list(''));
      expect((await listEntries('b/')).map((e) => e.key)).toEqual(['b/sub/three.txt', 'b/two.txt']);
      expect((await listEntries('b')).map((e) => e.key)).toEqual(['b/sub/three.txt', 'b/two.txt', 'bb.txt']);
      expect(await listEntries('nothing/')).toEqual([]);
      await expect(listEntries('../')).rejects.toMatchObject({ name: 'InvalidStorageKeyError' });
    });

    it('gives each listed entry a modification time or etag that follows a rewrite', async () => {
      const listEntries = storage.listEntries?.bind(storage);
      if (!listEntries) return;
      const before = Date.now();
      await storage.put('a.txt', bytes('first'));
      const [first] = await listEntries('a.txt');
      expect(first?.modified ?? first?.etag).toBeDefined();
      if (first?.modified) {
        expect(first.modified.getTime()).toBeGreaterThanOrEqual(before - 2000);
        const got = (await storage.get('a.txt'))?.modified;
        if (got) expect(Math.abs(got.getTime() - first.modified.getTime())).toBeLessThan(1000);
      }
      await storage.put('a.txt', bytes('second, longer'));
      const [second] = await listEntries('a.txt');
      expect(second?.size).toBe(14);
      await storage.delete('a.txt');
      expect(await listEntries('')).toEqual([]);
    });

    it.each([
      ['empty', ''],
      ['parent segment', '../escape.txt'],
      ['inner parent segment', 'a/../../b.txt'],
      ['dot segment', './a.txt'],
      ['absolute', '/etc/passwd'],
      ['empty segment', 'a//b.txt'],
      ['trailing slash', 'a/'],
      ['NUL', 'a\0b.txt'],
      ['backslash', 'a\\..\\b.txt'],
    ])('rejects an invalid key (%s) with InvalidStorageKeyError', async (_label, key) => {
      await expect(storage.put(key, bytes('x'))).rejects.toMatchObject({ name: 'InvalidStorageKeyError' });
      await expect(storage.get(key)).rejects.toMatchObject({ name: 'InvalidStorageKeyError' });
      await expect(storage.delete(key)).rejects.toMatchObject({ name: 'InvalidStorageKeyError' });
    });

    it('rejects a list prefix that escapes', async () => {
      await expect(storage.list('../')).rejects.toMatchObject({ name: 'InvalidStorageKeyError' });
    });

    it('keeps each storage instance independent', async () => {
      await storage.put('only-here.txt', bytes('x'));
      const other = await makeStorage();
      expect(await other.get('only-here.txt')).toBeNull();
    });

    it('serves concurrent puts of one key as one of the written values', async () => {
      const values = ['one', 'two', 'three', 'four'];
      await Promise.all(values.map((value) => storage.put('race.txt', bytes(value.repeat(1000)))));
      const stored = text((await storage.get('race.txt'))?.body ?? new Uint8Array());
      expect(values.map((value) => value.repeat(1000))).toContain(stored);
      expect(await storage.list('')).toEqual(['race.txt']);
    });

    // Optional method: drivers without it are skipped (callers fall back to get + put).
    describe('copy (when the driver has it)', () => {
      it('stores the source bytes under the target, replacing what was there, in a new folder too', async () => {
        if (!storage.copy) return;
        await storage.put('_v/1/feed.xml', bytes('version one'));
        await storage.put('feed.xml', bytes('old route copy'));
        expect(await storage.copy('_v/1/feed.xml', 'feed.xml')).toBe(true);
        expect(await storage.copy('_v/1/feed.xml', 'deep/new/folder/feed.xml')).toBe(true);
        expect(text((await storage.get('feed.xml'))?.body ?? new Uint8Array())).toBe('version one');
        expect(text((await storage.get('deep/new/folder/feed.xml'))?.body ?? new Uint8Array())).toBe(
          'version one',
        );
        expect(await storage.list('')).toEqual(['_v/1/feed.xml', 'deep/new/folder/feed.xml', 'feed.xml']);
      });

      it('keeps the copy intact when the source is later replaced or deleted', async () => {
        if (!storage.copy) return;
        await storage.put('a.txt', bytes('first'));
        await storage.copy('a.txt', 'b.txt');
        await storage.put('a.txt', bytes('second'));
        expect(text((await storage.get('b.txt'))?.body ?? new Uint8Array())).toBe('first');
        await storage.delete('a.txt');
        expect(text((await storage.get('b.txt'))?.body ?? new Uint8Array())).toBe('first');
        // And the other way round: replacing the copy leaves the source alone.
        await storage.put('c.txt', bytes('source'));
        await storage.copy('c.txt', 'd.txt');
        await storage.put('d.txt', bytes('replaced'));
        expect(text((await storage.get('c.txt'))?.body ?? new Uint8Array())).toBe('source');
      });

      it('resolves false and writes nothing when the source is missing; validates both keys', async () => {
        if (!storage.copy) return;
        await storage.put('kept.txt', bytes('kept'));
        expect(await storage.copy('missing.txt', 'kept.txt')).toBe(false);
        expect(await storage.copy('no/such/folder.txt', 'other.txt')).toBe(false);
        expect(text((await storage.get('kept.txt'))?.body ?? new Uint8Array())).toBe('kept');
        expect(await storage.list('')).toEqual(['kept.txt']);
        await expect(storage.copy('../x', 'y.txt')).rejects.toMatchObject({ name: 'InvalidStorageKeyError' });
        await expect(storage.copy('kept.txt', '/etc/x')).rejects.toMatchObject({
          name: 'InvalidStorageKeyError',
        });
      });
    });

    // Optional method (the publish lock's lease): drivers without it are skipped.
    describe('putIfAbsent (when the driver has it)', () => {
      it('creates a missing key (in a new folder too) and leaves an existing one untouched', async () => {
        if (!storage.putIfAbsent) return;
        expect(await storage.putIfAbsent('lock.json', bytes('first'))).toBe(true);
        expect(await storage.putIfAbsent('lock.json', bytes('second'))).toBe(false);
        expect(text((await storage.get('lock.json'))?.body ?? new Uint8Array())).toBe('first');
        expect(await storage.putIfAbsent('deep/new/lock.json', bytes('deep'))).toBe(true);
        expect(await storage.list('')).toEqual(['deep/new/lock.json', 'lock.json']);
        await storage.delete('lock.json');
        expect(await storage.putIfAbsent('lock.json', bytes('again'))).toBe(true);
        await expect(storage.putIfAbsent('../x', bytes('x'))).rejects.toMatchObject({
          name: 'InvalidStorageKeyError',
        });
      });

      it('lets exactly one of several concurrent creators win', async () => {
        if (!storage.putIfAbsent || options.putIfAbsentNotAtomic) return;
        const owners = ['a', 'b', 'c', 'd', 'e', 'f'];
        const won = await Promise.all(
          owners.map((owner) => storage.putIfAbsent?.('race.json', bytes(owner))),
        );
        expect(won.filter(Boolean)).toHaveLength(1);
        const stored = text((await storage.get('race.json'))?.body ?? new Uint8Array());
        expect(stored).toBe(owners[won.indexOf(true)]);
      });
    });
  });
}
