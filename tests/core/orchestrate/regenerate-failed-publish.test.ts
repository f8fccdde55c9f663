/**
 * A build that fails after its item records were written (ENOSPC while publishing, or while writing
 * state) must not make the next successful build call its new items "unchanged": the report is
 * relative to what readers last saw.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type RegenerateDeps, regenerate } from '../../../src/core/orchestrate/regenerate.ts';
import { createNodeCompressor } from '../../../src/drivers/compressor/node-zlib.ts';
import { createMemoryStorage } from '../../../src/drivers/storage/memory.ts';
import type { Storage } from '../../../src/ports/storage.ts';
import { SITE } from '../normalise/fixtures.ts';

const CONTENT_DIR = join(import.meta.dirname, '../../../content');
const silent = { debug() {}, info() {}, warn() {}, error() {} };
const FIRST = ['000_bfecce3590181515.txt', '001_11356bb9d151c9ab.txt', '003_bf092931060377e5.txt'];
const NEW = '004_8162897e43a0860c.txt';
const EDITED = '003_bf092931060377e5.txt';

/** A storage whose writes fail with ENOSPC while `full` is set (after `allow` more writes). */
function diskThatFills(inner: Storage) {
  const disk = { full: false, allow: 0 };
  const storage: Storage = {
    ...inner,
    get: (key) => inner.get(key),
    delete: (key) => inner.delete(key),
    list: (prefix) => inner.list(prefix),
    async put(key, body) {
      if (disk.full && disk.allow-- <= 0)
        throw Object.assign(new Error(`ENOSPC: no space left on device, write '${key}'`), { code: 'ENOSPC' });
      return inner.put(key, body);
    },
  };
  return { storage, disk };
}

async function setup() {
  const content = createMemoryStorage();
  for (const name of FIRST) await content.put(name, readFileSync(join(CONTENT_DIR, name)));
  const published = diskThatFills(createMemoryStorage());
  const state = diskThatFills(createMemoryStorage());
  const deps: RegenerateDeps = {
    content,
    published: published.storage,
    state: state.storage,
    clock: { now: () => new Date('2026-11-20T10:00:00Z') },
    logger: silent,
    compressor: createNodeCompressor(),
  };
  const run = () => regenerate(deps, { site: SITE, feedSize: 50 });
  const edit = async () => {
    await content.put(NEW, readFileSync(join(CONTENT_DIR, NEW)));
    const text = readFileSync(join(CONTENT_DIR, EDITED), 'utf8');
    await content.put(
      EDITED,
      new TextEncoder().encode(text.replace('Vendredi, les Etats-Unis', 'Samedi, les Etats-Unis')),
    );
    return { added: NEW, updated: EDITED };
  };
  return { run, edit, published: published.disk, state: state.disk };
}

describe('the build after a failed build reports what readers have not seen yet', () => {
  it('ENOSPC while publishing: the next build reports the new item added and the edit updated', async () => {
    const { run, edit, published } = await setup();
    expect((await run()).ok).toBe(true);
    const changes = await edit();
    published.full = true;
    const failed = await run();
    expect(failed.ok).toBe(false);
    expect(failed.error).toMatch(/ENOSPC/);
    published.full = false;
    const next = await run();
    expect(next.ok).toBe(true);
    expect(next.added).toEqual([changes.added]);
    expect(next.updated).toEqual([changes.updated]);
    expect(next.unchanged).toBe(2);
    // And the one after that has nothing new to say.
    const quiet = await run();
    expect([quiet.added, quiet.updated, quiet.unchanged]).toEqual([[], [], 4]);
  });

  it('ENOSPC while writing state (after some records), twice in a row: still reported once published', async () => {
    const { run, edit, state } = await setup();
    expect((await run()).ok).toBe(true);
    const changes = await edit();
    state.full = true;
    state.allow = 2; // the first writes land, then the disk is full
    expect((await run()).ok).toBe(false);
    state.allow = 4;
    expect((await run()).ok).toBe(false);
    state.full = false;
    const next = await run();
    expect(next.ok).toBe(true);
    expect(next.added).toEqual([changes.added]);
    expect(next.updated).toEqual([changes.updated]);
    expect(next.unchanged).toBe(2);
  });
});
