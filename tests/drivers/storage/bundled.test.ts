import { describe, expect, it } from 'vitest';
import { createBundledStorage, ReadOnlyStorageError } from '../../../src/drivers/storage/bundled.ts';

const text = (body: Uint8Array | undefined): string => new TextDecoder().decode(body);

describe('bundled storage', () => {
  const storage = createBundledStorage([
    { key: 'b/second.md', text: '# Deux\n' },
    { key: 'a.txt', text: 'Première ligne — é\n' },
    // "café" in Windows-1252: not UTF-8, so it travels as base64 and must come back byte-exact.
    { key: 'legacy.txt', base64: Buffer.from([0x63, 0x61, 0x66, 0xe9]).toString('base64') },
  ]);

  it('serves text files as their UTF-8 bytes and base64 files byte-exact', async () => {
    expect(text((await storage.get('a.txt'))?.body)).toBe('Première ligne — é\n');
    expect([...((await storage.get('legacy.txt'))?.body ?? [])]).toEqual([0x63, 0x61, 0x66, 0xe9]);
    expect(await storage.get('missing.txt')).toBeNull();
  });

  it('lists keys sorted, by string prefix', async () => {
    expect(await storage.list('')).toEqual(['a.txt', 'b/second.md', 'legacy.txt']);
    expect(await storage.list('b/')).toEqual(['b/second.md']);
    await expect(storage.list('../')).rejects.toMatchObject({ name: 'InvalidStorageKeyError' });
  });

  it('lists entries with byte sizes and a content etag (a bundle has no modification time)', async () => {
    const entries = (await storage.listEntries?.('')) ?? [];
    expect(entries.map((e) => [e.key, e.size, e.modified])).toEqual([
      ['a.txt', new TextEncoder().encode('Première ligne — é\n').byteLength, undefined],
      ['b/second.md', 7, undefined],
      ['legacy.txt', 4, undefined],
    ]);
    const other = createBundledStorage([{ key: 'b/second.md', text: '# Deuz\n' }]);
    const etagOf = async (s: typeof storage) => (await s.listEntries?.('b/'))?.[0]?.etag;
    expect(await etagOf(storage)).toMatch(/^[0-9a-f]{16}$/);
    expect(await etagOf(other)).not.toBe(await etagOf(storage));
  });

  it('hands out copies: mutating a returned body does not change the store', async () => {
    const first = await storage.get('a.txt');
    first?.body.fill(0);
    expect(text((await storage.get('a.txt'))?.body)).toBe('Première ligne — é\n');
  });

  it('refuses writes and deletes with a ReadOnlyStorageError naming the key', async () => {
    await expect(storage.put('a.txt', new Uint8Array([1]))).rejects.toBeInstanceOf(ReadOnlyStorageError);
    await expect(storage.delete('a.txt')).rejects.toThrow(/"a\.txt".*read-only/);
    expect(text((await storage.get('a.txt'))?.body)).toBe('Première ligne — é\n');
  });

  it('rejects a bundle with an invalid or duplicated key when it is built', () => {
    expect(() => createBundledStorage([{ key: '../x.txt', text: 'x' }])).toThrow(/Invalid storage key/);
    expect(() =>
      createBundledStorage([
        { key: 'x.txt', text: 'a' },
        { key: 'x.txt', text: 'b' },
      ]),
    ).toThrow(/twice/);
  });
});
