// Runs inside workerd (vitest.workers.config.ts): the Storage contract over a real local KV
// namespace, plus what only KV does (metadata-carried `modified`, the 25 MiB limit, paging).
import { env, reset } from 'cloudflare:test';
import { afterEach, describe, expect, it } from 'vitest';
import { createKvStorage, KV_MAX_VALUE_BYTES } from '../../../src/drivers/storage/kv.ts';
import { describeStorageContract } from './contract.ts';

let run = 0;
// Each storage gets its own prefix, so two instances in one test are independent (contract) and
// `reset()` wipes the namespace between tests.
const freshKv = () => createKvStorage(env.TEST_KV, { prefix: `t${++run}/` });
afterEach(() => reset());

// KV has no conditional write: putIfAbsent is a read then a write (documented in kv.ts).
describeStorageContract('kv', freshKv, { putIfAbsentNotAtomic: true });
describeStorageContract(
  'kv without prefix',
  async () => {
    await reset();
    return createKvStorage(env.TEST_KV);
  },
  { putIfAbsentNotAtomic: true },
);

describe('kv storage specifics', () => {
  it('stores the key under its prefix and hides the prefix from callers', async () => {
    const storage = createKvStorage(env.TEST_KV, { prefix: 'state/' });
    await storage.put('items/a.json', new TextEncoder().encode('{}'));
    expect((await env.TEST_KV.list({ prefix: 'state/' })).keys.map((k) => k.name)).toEqual([
      'state/items/a.json',
    ]);
    expect(await storage.list('')).toEqual(['items/a.json']);
  });

  it('reads values written by others without metadata (no modified date)', async () => {
    await env.TEST_KV.put('raw.txt', new TextEncoder().encode('x').buffer);
    const object = await createKvStorage(env.TEST_KV).get('raw.txt');
    expect(object?.modified).toBeUndefined();
    expect(new TextDecoder().decode(object?.body)).toBe('x');
  });

  it('lists sizes from metadata, and reads a value written without it to learn its size', async () => {
    const storage = freshKv();
    await storage.put('a.txt', new TextEncoder().encode('abc'));
    await env.TEST_KV.put(`t${run}/b.txt`, new TextEncoder().encode('hello').buffer);
    const entries = (await storage.listEntries?.('')) ?? [];
    expect(entries.map((e) => [e.key, e.size, e.modified !== undefined])).toEqual([
      ['a.txt', 3, true],
      ['b.txt', 5, false],
    ]);
  });

  it('refuses a value over 25 MiB before writing, naming the key', async () => {
    const storage = freshKv();
    await expect(storage.put('big.bin', new Uint8Array(KV_MAX_VALUE_BYTES + 1))).rejects.toMatchObject({
      name: 'StorageValueTooLargeError',
      key: 'big.bin',
    });
    expect(await storage.list('')).toEqual([]);
  });

  it('lists past one page of keys (KV returns at most 1000 per call)', async () => {
    const storage = freshKv();
    const keys = Array.from({ length: 1005 }, (_, i) => `k/${String(i).padStart(4, '0')}`);
    for (let i = 0; i < keys.length; i += 100) {
      await Promise.all(keys.slice(i, i + 100).map((key) => storage.put(key, new Uint8Array([1]))));
    }
    expect(await storage.list('k/')).toEqual(keys);
  });

  it('rejects a prefix that does not end with a slash', () => {
    expect(() => createKvStorage(env.TEST_KV, { prefix: 'state' })).toThrow(/end with "\/"/);
  });
});
