/**
 * An emptied site's `updated` (issue 19): the run that empties it stamps its own time, recorded in
 * state.json; later runs, incremental or `--full`, publish that instant; a lost state.json takes it
 * back from the published Atom feed.
 */
import { describe, expect, it } from 'vitest';
import { regenerate } from '../../../src/core/orchestrate/regenerate.ts';
import { loadManifest } from '../../../src/core/publish/manifest-store.ts';
import { emptySiteUpdated, publishedEmptyUpdated } from '../../../src/core/state/emptied-at.ts';
import { readStateRecord, STATE_RECORD_KEY } from '../../../src/core/state/state-record.ts';
import { createMemoryStorage } from '../../../src/drivers/storage/memory.ts';
import type { Storage } from '../../../src/ports/storage.ts';
import { markdownArticle } from '../../support/markdown-article.ts';
import { copyStore, memoryRun } from '../../support/memory-run.ts';
import { SITE } from '../normalise/fixtures.ts';

const OPTIONS = { site: SITE, feedSize: 5, allowRemovals: true };
const encode = (text: string) => new TextEncoder().encode(text);

async function atomUpdated(published: Storage): Promise<string | undefined> {
  const key = (await loadManifest(published))?.documents['/atom.xml']?.key ?? '';
  const text = new TextDecoder().decode((await published.get(key))?.body);
  return /<updated>([^<]+)<\/updated>/.exec(text)?.[1];
}

/** A site of two articles, then both deleted at 2026-11-20T11:00:00.250Z. */
async function emptiedSite() {
  const run = memoryRun('2026-11-20T10:00:00Z');
  const { deps } = run;
  await deps.content.put('a.md', encode(markdownArticle('Alpha', ['date: 2026-10-01T08:00:00Z'])));
  await deps.content.put('b.md', encode(markdownArticle('Bravo', ['date: 2026-10-02T08:00:00Z'])));
  expect((await regenerate(deps, OPTIONS)).ok).toBe(true);
  await deps.content.delete('a.md');
  await deps.content.delete('b.md');
  run.advance(3_600_250);
  expect((await regenerate(deps, { ...OPTIONS, changedKeys: ['a.md', 'b.md'] })).itemCount).toBe(0);
  return { run, deps };
}

describe("an emptied site's updated", () => {
  it('is the time of the run that emptied it, in whole seconds, recorded in state.json', async () => {
    const { deps } = await emptiedSite();
    expect(await atomUpdated(deps.published)).toBe('2026-11-20T11:00:00Z');
    expect((await readStateRecord(deps.state))?.emptiedAt).toBe('2026-11-20T11:00:00.000Z');
  });

  it('stays that instant on later runs and under --full', async () => {
    const { deps, run } = await emptiedSite();
    run.advance(86_400_000);
    expect((await regenerate(deps, OPTIONS)).ok).toBe(true);
    expect(await atomUpdated(deps.published)).toBe('2026-11-20T11:00:00Z');
    const full = { ...deps, state: await copyStore(deps.state), published: createMemoryStorage() };
    expect((await regenerate(full, { ...OPTIONS, full: true })).ok).toBe(true);
    expect(await atomUpdated(full.published)).toBe('2026-11-20T11:00:00Z');
  });

  it('is taken back from the published feed when state.json is lost', async () => {
    const { deps, run } = await emptiedSite();
    await deps.state.delete(STATE_RECORD_KEY);
    run.advance(86_400_000);
    expect(await publishedEmptyUpdated(deps.published)).toBe('2026-11-20T11:00:00.000Z');
    expect((await regenerate(deps, OPTIONS)).ok).toBe(true);
    expect(await atomUpdated(deps.published)).toBe('2026-11-20T11:00:00Z');
    expect((await readStateRecord(deps.state))?.emptiedAt).toBe('2026-11-20T11:00:00.000Z');
  });

  it('is forgotten once the site has items again', async () => {
    const { deps, run } = await emptiedSite();
    await deps.content.put('c.md', encode(markdownArticle('Charlie', ['date: 2026-10-03T08:00:00Z'])));
    run.advance(60_000);
    expect((await regenerate(deps, { ...OPTIONS, changedKeys: ['c.md'] })).itemCount).toBe(1);
    expect((await readStateRecord(deps.state))?.emptiedAt).toBeNull();
    expect(await publishedEmptyUpdated(deps.published)).toBeNull();
  });

  it('falls back to the run time when nothing records or shows it', async () => {
    const started = new Date('2026-11-21T09:30:15.900Z');
    expect(await emptySiteUpdated(null, createMemoryStorage(), started)).toBe('2026-11-21T09:30:15.000Z');
    expect(await emptySiteUpdated('2026-01-01T00:00:00.000Z', createMemoryStorage(), started)).toBe(
      '2026-01-01T00:00:00.000Z',
    );
  });
});
