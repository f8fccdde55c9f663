/**
 * Local same-story folding through `regenerate` (rules.ts STORY_FOLD): two content files with the
 * same article text publish one item, the copy with more metadata (then the first path); the other
 * is reported as folded, not failed. Incremental runs fold and unfold exactly as a `--full` build
 * from the same state: deleting or editing the winner publishes the copy again, and a file edited
 * into a copy folds. Fixtures: tests/fixtures/fold (French and German, written for these tests).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type RegenerateDeps, regenerate } from '../../../src/core/orchestrate/regenerate.ts';
import { loadManifest } from '../../../src/core/publish/manifest-store.ts';
import { BUILD_EXIT, buildExitCode } from '../../../src/entry/build-exit-code.ts';
import type { Storage } from '../../../src/ports/storage.ts';
import { copyStore, memoryRun } from '../../support/memory-run.ts';
import { SITE } from '../normalise/fixtures.ts';

const encode = (text: string) => new TextEncoder().encode(text);
const decode = (bytes: Uint8Array | undefined) => new TextDecoder().decode(bytes ?? new Uint8Array());
const fixture = (name: string) =>
  readFileSync(new URL(`../../fixtures/fold/${name}`, import.meta.url), 'utf8');
const OPTIONS = { site: SITE, feedSize: 20 };

interface FeedItem {
  readonly title: string;
  readonly content_html?: string;
  readonly url: string;
}

async function feedItems(published: Storage): Promise<FeedItem[]> {
  const feed = JSON.parse(decode((await published.get('feed.json'))?.body)) as { items: FeedItem[] };
  return feed.items;
}

/** Route → etag of what the manifest publishes. */
async function published(storage: Storage): Promise<Record<string, string>> {
  const manifest = await loadManifest(storage);
  return Object.fromEntries(Object.entries(manifest?.documents ?? {}).map(([route, e]) => [route, e.etag]));
}

/** An incremental run, then a `--full` one from a copy of the state before it: the same bytes. */
async function buildAndCompare(deps: RegenerateDeps, changedKeys?: string[]) {
  const complete = {
    ...deps,
    state: await copyStore(deps.state),
    published: await copyStore(deps.published),
  };
  const report = await regenerate(deps, { ...OPTIONS, ...(changedKeys ? { changedKeys } : {}) });
  expect(report.ok, report.error).toBe(true);
  const full = await regenerate(complete, { ...OPTIONS, full: true });
  expect(full.ok, full.error).toBe(true);
  expect(await published(deps.published)).toEqual(await published(complete.published));
  return { report, full };
}

describe('the same story in two local files', () => {
  it('publishes one item, from the copy with more metadata, and reports the other as folded (fr)', async () => {
    const { deps } = memoryRun();
    await deps.content.put('archives/halle.md', encode(fixture('fr-story.md')));
    await deps.content.put('lyon/halle.html', encode(fixture('fr-story.html')));
    const report = await regenerate(deps, OPTIONS);
    expect(report.ok).toBe(true);
    expect(report.itemCount).toBe(1);
    expect(report.added).toEqual(['lyon/halle.html']);
    expect(report.failed).toEqual([]);
    expect(report.folded).toEqual([{ file: 'archives/halle.md', into: 'lyon/halle.html' }]);
    expect(buildExitCode(report)).toBe(BUILD_EXIT.published);
    const [item] = await feedItems(deps.published);
    expect(item?.title).toBe('À Lyon, la halle de la Martinière rouvre après trois ans de travaux');
  });

  it('folds and unfolds in incremental runs exactly as a full build does (de)', async () => {
    const { deps, advance } = memoryRun();
    await deps.content.put('nachrichten/nachtbus.txt', encode(fixture('de-story.txt')));
    await deps.content.put('other.md', encode(fixture('fr-story.md')));
    await buildAndCompare(deps);
    expect((await feedItems(deps.published)).length).toBe(2);

    // A second copy with front matter arrives: it wins (more metadata), the text file goes.
    advance(60_000);
    await deps.content.put('nachrichten/nachtbus.md', encode(fixture('de-story.md')));
    const added = await buildAndCompare(deps, ['nachrichten/nachtbus.md']);
    expect(added.report.folded).toEqual([
      { file: 'nachrichten/nachtbus.txt', into: 'nachrichten/nachtbus.md' },
    ]);
    expect(added.report.added).toEqual(['nachrichten/nachtbus.md']);
    expect((await feedItems(deps.published)).map((i) => i.title).sort()).toEqual([
      'Freiburg testet Nachtbusse ohne Fahrplan',
      'À Lyon, la halle de la Martinière rouvre après trois ans de travaux',
    ]);

    // The winner is edited into another story: the copy is published again (a stat scan).
    advance(60_000);
    const edited = fixture('de-story.md').replace('drei Kleinbusse', 'vier Kleinbusse');
    await deps.content.put('nachrichten/nachtbus.md', encode(edited));
    const unfolded = await buildAndCompare(deps);
    expect(unfolded.report.folded ?? []).toEqual([]);
    expect((await feedItems(deps.published)).length).toBe(3);

    // The text file is edited into a copy of the edited winner: it folds again (hinted).
    advance(60_000);
    const copy = fixture('de-story.txt').replace('drei Kleinbusse', 'vier Kleinbusse');
    await deps.content.put('nachrichten/nachtbus.txt', encode(copy));
    const refolded = await buildAndCompare(deps, ['nachrichten/nachtbus.txt']);
    expect(refolded.report.folded).toEqual([
      { file: 'nachrichten/nachtbus.txt', into: 'nachrichten/nachtbus.md' },
    ]);
    expect((await feedItems(deps.published)).length).toBe(2);

    // The winner is deleted: the copy it hid is published again, under the id it had.
    advance(60_000);
    await deps.content.delete('nachrichten/nachtbus.md');
    await buildAndCompare(deps, ['nachrichten/nachtbus.md']);
    const titles = (await feedItems(deps.published)).map((i) => i.title);
    expect(titles).toHaveLength(2);
    expect(titles).toContain('Freiburg testet Nachtbusse ohne Fahrplan');
  });

  it('does not count a published file that becomes a copy as a removal (the guard lets it pass)', async () => {
    const { deps, advance } = memoryRun();
    await deps.content.put('lyon/halle.md', encode(fixture('fr-story.md')));
    expect((await regenerate(deps, OPTIONS)).added).toEqual(['lyon/halle.md']);
    advance(60_000);
    // The only published item is folded into a richer copy: 1 of 1 items goes, and that is fine.
    await deps.content.put('lyon/halle.html', encode(fixture('fr-story.html')));
    const report = await regenerate(deps, { ...OPTIONS, changedKeys: ['lyon/halle.html'] });
    expect(report.ok, report.error).toBe(true);
    expect(report.folded).toEqual([{ file: 'lyon/halle.md', into: 'lyon/halle.html' }]);
    expect((await feedItems(deps.published)).length).toBe(1);
  });

  it('does not judge a story saved twice as chrome of its source', async () => {
    const { deps } = memoryRun();
    // Short paragraphs (under the chrome rule's 200 characters) in two files of one folder.
    const story = fixture('de-story.txt');
    await deps.content.put('nachrichten/a.txt', encode(story));
    await deps.content.put('nachrichten/b.txt', encode(story));
    const report = await regenerate(deps, OPTIONS);
    expect(report.folded).toEqual([{ file: 'nachrichten/b.txt', into: 'nachrichten/a.txt' }]);
    const [item] = await feedItems(deps.published);
    const html = item?.content_html ?? '';
    expect(html).toContain('Seit Montag fahren in Freiburg drei Kleinbusse');
    expect(html).toContain('Der Test läuft zunächst bis zum Sommer.');
  });
});
