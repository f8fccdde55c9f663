// Runs inside workerd (vitest.workers.config.ts): the Storage contract over a real local R2
// bucket (the FEEDS and STATE bindings from wrangler.toml), plus what only R2 does.
import { env, reset } from 'cloudflare:test';
import { afterEach, describe, expect, it } from 'vitest';
import { createR2Storage } from '../../../src/drivers/storage/r2.ts';
import { describeStorageContract } from './contract.ts';

let run = 0;
// Each storage gets its own prefix, so two instances in one test are independent (contract) and
// `reset()` empties the buckets between tests.
const freshR2 = () => createR2Storage(env.STATE, { prefix: `t${++run}/` });
afterEach(() => reset());

describeStorageContract('r2', freshR2);
describeStorageContract('r2 without prefix', async () => {
  await reset();
  return createR2Storage(env.FEEDS);
});

describe('r2 storage specifics', () => {
  it('takes modified from the object upload time', async () => {
    const storage = freshR2();
    await storage.put('a.txt', new TextEncoder().encode('x'));
    const object = await storage.get('a.txt');
    expect(object?.modified?.getTime()).toBe((await env.STATE.get(`t${run}/a.txt`))?.uploaded.getTime());
  });

  it('stores the key under its prefix and hides the prefix from callers', async () => {
    const storage = createR2Storage(env.FEEDS, { prefix: 'feeds/' });
    await storage.put('articles/x.html', new TextEncoder().encode('<p>x</p>'));
    expect((await env.FEEDS.list({ prefix: 'feeds/' })).objects.map((o) => o.key)).toEqual([
      'feeds/articles/x.html',
    ]);
    expect(await storage.list('')).toEqual(['articles/x.html']);
  });

  it('lists past one page of objects (R2 returns at most 1000 per call)', async () => {
    const storage = freshR2();
    const keys = Array.from({ length: 1003 }, (_, i) => `k/${String(i).padStart(4, '0')}`);
    for (let i = 0; i < keys.length; i += 100) {
      await Promise.all(keys.slice(i, i + 100).map((key) => storage.put(key, new Uint8Array([1]))));
    }
    expect(await storage.list('k/')).toEqual(keys);
  });
});
