/**
 * Remote state lost or damaged (issue 19): the remote item ledger, the last good copies of items,
 * the fetch caches and the remote index. An item retained from its last good copy (no longer
 * listed upstream) must not silently leave the site; what can be rebuilt is rebuilt; an
 * incremental run still publishes what `--full` publishes.
 */
import { describe, expect, it } from 'vitest';
import { regenerate } from '../../../src/core/orchestrate/regenerate.ts';
import { loadManifest } from '../../../src/core/publish/manifest-store.ts';
import { LEDGER_KEY, loadLedger } from '../../../src/core/remote/item-ledger.ts';
import { ITEM_PREFIX } from '../../../src/core/remote/remote-state.ts';
import { REMOTE_INDEX_KEY } from '../../../src/core/sources/content-index.ts';
import { createMemoryStorage } from '../../../src/drivers/storage/memory.ts';
import type { Storage } from '../../../src/ports/storage.ts';
import { fakeUpstream } from '../../support/fake-upstream.ts';
import { copyStore, memoryRun } from '../../support/memory-run.ts';
import { SITE } from '../normalise/fixtures.ts';

const DAY_MS = 86_400_000;
const PATHS = ['/alpha', '/beta', '/gamma', '/delta'];

async function feedItems(published: Storage): Promise<string[]> {
  const stored = await published.get('feed.json');
  const feed = JSON.parse(new TextDecoder().decode(stored?.body)) as {
    items: { id: string; url: string; date_published: string }[];
  };
  return feed.items.map((item) => `${item.id} ${item.url} ${item.date_published}`).sort();
}

/** A site of four upstream items, one of which (`/delta`) is no longer listed: retained. */
async function retainedSite() {
  const run = memoryRun('2026-11-20T10:00:00Z');
  const upstream = fakeUpstream(PATHS);
  const deps = { ...run.deps, fetch: upstream.fetch };
  const options = { site: SITE, feedSize: 50, sources: upstream.sources, retentionDays: 30 };
  const build = async (extra: { full?: boolean } = {}) => {
    run.advance(3_600_000);
    const report = await regenerate(deps, { ...options, ...extra });
    expect(report.error).toBeUndefined();
    return report;
  };
  await build();
  upstream.listed.delete('/delta');
  const second = await build();
  expect(second.remote?.retained.map((r) => r.sourceId)).toEqual([upstream.url('/delta')]);
  const before = await feedItems(deps.published);
  expect(before).toHaveLength(4);
  /** What a `--full` build from a copy of the state publishes now. */
  const fullBuild = async () => {
    const full = { ...deps, state: await copyStore(deps.state), published: createMemoryStorage() };
    const report = await regenerate(full, { ...options, full: true });
    expect(report.error).toBeUndefined();
    return { report, items: await feedItems(full.published), manifest: await loadManifest(full.published) };
  };
  return { run, deps, upstream, build, before, fullBuild };
}

async function deletePrefix(state: Storage, prefix: string): Promise<void> {
  for (const key of await state.list(prefix)) await state.delete(key);
}

describe('remote state lost or damaged', () => {
  it('a lost remote item ledger is rebuilt from the stored copies: the retained item stays', async () => {
    const { deps, build, before, upstream } = await retainedSite();
    await deps.state.delete(LEDGER_KEY);
    const report = await build();
    expect(await feedItems(deps.published)).toEqual(before);
    expect(report.remote?.retained.map((r) => r.sourceId)).toEqual([upstream.url('/delta')]);
    expect(report.failed).toEqual([]);
    expect(Object.keys((await loadLedger(deps.state)).items)).toHaveLength(4);
  });

  it('an unreadable remote item ledger is rebuilt the same way', async () => {
    const { deps, build, before } = await retainedSite();
    await deps.state.put(LEDGER_KEY, new TextEncoder().encode('{"version":1,"items":{"x'));
    await build();
    expect(await feedItems(deps.published)).toEqual(before);
  });

  it('a retained item whose last good copy is lost stays published and the run says so', async () => {
    const { deps, build, before, upstream, fullBuild } = await retainedSite();
    await deletePrefix(deps.state, ITEM_PREFIX);
    const report = await build();
    expect(await feedItems(deps.published)).toEqual(before);
    expect(report.failed).toEqual([
      { sourceId: upstream.url('/delta'), message: expect.stringMatching(/last good copy .* lost/) },
    ]);
    expect((await fullBuild()).items).toEqual(before);
  });

  it('the whole remote/ folder lost: items listed upstream are fetched again, the retained one is kept and reported', async () => {
    const { deps, run, build, before, upstream } = await retainedSite();
    await deletePrefix(deps.state, 'remote/');
    const report = await build();
    expect(await feedItems(deps.published)).toEqual(before);
    expect(report.failed.map((f) => f.sourceId)).toEqual([upstream.url('/delta')]);
    // Retention still ends: the recovered ledger entry (seen at the recovery) expires like any other.
    run.advance(31 * DAY_MS);
    const later = await build();
    expect(later.remote?.expired).toEqual([upstream.url('/delta')]);
    expect(later.failed).toEqual([]);
    expect(await feedItems(deps.published)).toHaveLength(3);
  });

  it('a lost remote index makes the run a complete one: an item expiring then leaves as under --full', async () => {
    const { deps, run, build, upstream, fullBuild } = await retainedSite();
    run.advance(31 * DAY_MS);
    await deps.state.delete(REMOTE_INDEX_KEY);
    const report = await build();
    expect(report.remote?.expired).toEqual([upstream.url('/delta')]);
    const items = await feedItems(deps.published);
    expect(items).toHaveLength(3);
    expect((await fullBuild()).items).toEqual(items);
  });

  it('a remote index holding other bytes is found by its census', async () => {
    const { deps, run, build, fullBuild } = await retainedSite();
    run.advance(31 * DAY_MS);
    await deps.state.put(REMOTE_INDEX_KEY, new TextEncoder().encode('{}'));
    await build();
    expect(await feedItems(deps.published)).toEqual((await fullBuild()).items);
  });
});
