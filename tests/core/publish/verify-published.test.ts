/**
 * The published-files check (verify-published.ts): sizes from one listing, and the bytes of the
 * objects modified since the last check, hashed against the manifest. The store's mtimes come
 * from the test's clock (a wrapper stamps each write), so nothing here reads the wall clock.
 */
import { describe, expect, it } from 'vitest';
import { generateArticle } from '../../../scripts/generate-corpus.ts';
import { type RegenerateDeps, regenerate } from '../../../src/core/orchestrate/regenerate.ts';
import { loadManifest } from '../../../src/core/publish/manifest-store.ts';
import { checkPublished, REHASH_MARGIN_MS } from '../../../src/core/publish/verify-published.ts';
import { createNodeCompressor } from '../../../src/drivers/compressor/node-zlib.ts';
import { createMemoryStorage } from '../../../src/drivers/storage/memory.ts';
import type { Storage } from '../../../src/ports/storage.ts';
import { SITE } from '../normalise/fixtures.ts';

const silent = { debug() {}, info() {}, warn() {}, error() {} };
const OPTIONS = {
  site: SITE,
  feedSize: 4,
  syndication: { archivePageSize: 3, feedLimits: [2], hubs: [] },
  publishedCheckEveryMs: 0,
};

/** A memory store whose listing reports, as each object's mtime, the clock's time when it was written. */
function stampedStore(now: () => number): Storage {
  const inner = createMemoryStorage();
  const mtimes = new Map<string, number>();
  return {
    ...inner,
    put: async (key, body) => {
      mtimes.set(key, now());
      await inner.put(key, body);
    },
    copy: async (from, to) => {
      mtimes.set(to, now());
      return (await inner.copy?.(from, to)) ?? false;
    },
    listEntries: async (prefix) =>
      ((await inner.listEntries?.(prefix)) ?? []).map((entry) => ({
        ...entry,
        modified: new Date(mtimes.get(entry.key) ?? 0),
      })),
  };
}

async function setup() {
  let now = new Date('2026-11-20T10:00:00Z').getTime();
  const content = createMemoryStorage();
  const deps: RegenerateDeps = {
    content,
    published: stampedStore(() => now),
    state: createMemoryStorage(),
    clock: { now: () => new Date(now) },
    logger: silent,
    compressor: createNodeCompressor(),
  };
  for (let i = 0; i < 6; i++) {
    const article = generateArticle(5, i, 0);
    await content.put(article.path, new TextEncoder().encode(article.body));
  }
  const advance = (ms: number) => {
    now += ms;
    return now;
  };
  return { deps, advance };
}

/** The same number of bytes, other content. */
function sameSizeOther(bytes: Uint8Array): Uint8Array {
  return bytes.map((b) => (b === 0x78 ? 0x79 : 0x78));
}

describe('published-files check', () => {
  it('hashes only the objects modified since the last check, and finds same-size damage among them', async () => {
    const { deps, advance } = await setup();
    expect((await regenerate(deps, OPTIONS)).ok).toBe(true);
    const published = advance(900_000);
    const manifest = await loadManifest(deps.published);
    const feed = manifest?.documents['/feed.xml'];
    if (!feed) throw new Error('no /feed.xml');
    // Nothing modified since: sizes only, nothing read.
    const quiet = await checkPublished(deps.published, { since: published });
    expect(quiet).toMatchObject({ rehashed: 0, damaged: new Set() });
    // Same-size bytes written behind kiosque's back: found (and only they are read).
    advance(60_000);
    const original = (await deps.published.get(feed.key))?.body as Uint8Array;
    await deps.published.put(feed.key, sameSizeOther(original));
    const check = await checkPublished(deps.published, { since: published });
    expect(check?.rehashed).toBe(1);
    expect([...(check?.damaged ?? [])]).toEqual([feed.key]);
    // Without a known last check: sizes only (the limit, documented).
    expect((await checkPublished(deps.published))?.damaged.size).toBe(0);
    // Modified just before the check (a coarse mtime): hashed too.
    expect(
      (await checkPublished(deps.published, { since: advance(0) + REHASH_MARGIN_MS - 1 }))?.rehashed,
    ).toBe(1);
  });

  it('an unhinted build republishes a file damaged with bytes of the same size', async () => {
    const { deps, advance } = await setup();
    expect((await regenerate(deps, OPTIONS)).ok).toBe(true);
    advance(900_000);
    // A check without damage records its time (state.json checkedAt).
    expect((await regenerate(deps, OPTIONS)).ok).toBe(true);
    const feed = (await loadManifest(deps.published))?.documents['/feed.xml'];
    if (!feed) throw new Error('no /feed.xml');
    const original = (await deps.published.get('feed.xml'))?.body as Uint8Array;
    advance(300_000);
    await deps.published.put('feed.xml', sameSizeOther(original));
    await deps.published.put(feed.key, sameSizeOther(original));
    advance(600_000);
    expect((await regenerate(deps, OPTIONS)).ok).toBe(true);
    const after = (await loadManifest(deps.published))?.documents['/feed.xml'];
    expect(
      Buffer.compare((await deps.published.get(after?.key ?? ''))?.body ?? new Uint8Array(), original),
    ).toBe(0);
    expect(Buffer.compare((await deps.published.get('feed.xml'))?.body ?? new Uint8Array(), original)).toBe(
      0,
    );
  });
});
