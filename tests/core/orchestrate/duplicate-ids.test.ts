import { describe, expect, it } from 'vitest';
import { regenerate } from '../../../src/core/orchestrate/regenerate.ts';
import { readBuildStatus } from '../../../src/core/report/build-status.ts';
import { BUILD_EXIT, buildExitCode } from '../../../src/entry/build-exit-code.ts';
import type { Storage } from '../../../src/ports/storage.ts';
import { markdownArticle } from '../../support/markdown-article.ts';
import { memoryRun } from '../../support/memory-run.ts';
import { SITE } from '../normalise/fixtures.ts';

const encode = (text: string) => new TextEncoder().encode(text);
const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

/** The shared two-paragraph article with one front-matter line besides its title. */
const article = (front: string, title: string): string => markdownArticle(title, [front]);

function setup() {
  const { deps, advance } = memoryRun();
  const later = (minutes: number) => advance(minutes * 60_000);
  return { deps, later, options: { site: SITE, feedSize: 50 } };
}

async function feedTitles(published: Storage): Promise<string[]> {
  const object = await published.get('feed.json');
  const feed = JSON.parse(decode(object?.body ?? new Uint8Array())) as { items: { title: string }[] };
  return feed.items.map((item) => item.title).sort();
}

describe('two files claiming one item id', () => {
  it('publishes the first by content path, fails the second naming both files, the field and the value', async () => {
    const { deps, options } = setup();
    await deps.content.put('a.md', encode(article('id: tag:news.example,2026:1', 'Alpha')));
    await deps.content.put('b.md', encode(article('id: tag:news.example,2026:1', 'Bravo')));
    await deps.content.put('c.md', encode(article('id: tag:news.example,2026:3', 'Charlie')));
    const report = await regenerate(deps, options);
    expect(report.ok).toBe(true);
    expect(await feedTitles(deps.published)).toEqual(['Alpha', 'Charlie']);
    expect(report.itemCount).toBe(2);
    expect(report.added).toEqual(['a.md', 'c.md']);
    expect(report.failed).toHaveLength(1);
    const message = report.failed[0]?.message ?? '';
    expect(report.failed[0]?.sourceId).toBe('b.md');
    expect(message).toContain('a.md');
    expect(message).toContain('b.md');
    expect(message).toContain('id "tag:news.example,2026:1"');
    expect(buildExitCode(report)).toBe(BUILD_EXIT.partial);
    const status = await readBuildStatus(deps.published);
    expect(status?.errors).toEqual([{ source: 'b.md', message }]);
  });

  it('names the holder in the failure of each of three files giving one id', async () => {
    const { deps, options } = setup();
    for (const name of ['c', 'a', 'b'])
      await deps.content.put(`${name}.md`, encode(article('id: triple', name)));
    await deps.content.put('d.md', encode(article('id: single', 'd')));
    const report = await regenerate(deps, options);
    expect(await feedTitles(deps.published)).toEqual(['a', 'd']);
    expect(report.failed.map((f) => [f.sourceId, f.message.includes('a.md keeps the id')])).toEqual([
      ['b.md', true],
      ['c.md', true],
    ]);
  });

  it('keeps reporting it on every run, and publishes it once the holder gives the id up', async () => {
    const { deps, later, options } = setup();
    await deps.content.put('a.md', encode(article('url: https://news.example/x', 'Alpha')));
    await deps.content.put('b.md', encode(article('url: https://news.example/x', 'Bravo')));
    await deps.content.put('c.md', encode(article('url: https://news.example/c', 'Charlie')));
    await regenerate(deps, options);
    later(5);
    const again = await regenerate(deps, options);
    expect(again.failed.map((f) => f.sourceId)).toEqual(['b.md']);
    expect(again.failed[0]?.message).toContain('url "https://news.example/x"');
    expect(await feedTitles(deps.published)).toEqual(['Alpha', 'Charlie']);
    later(5);
    await deps.content.delete('a.md');
    const freed = await regenerate(deps, options);
    expect(freed.ok).toBe(true);
    expect(freed.failed).toEqual([]);
    expect(freed.added).toEqual(['b.md']);
    expect(await feedTitles(deps.published)).toEqual(['Bravo', 'Charlie']);
  });

  it('re-reads a held file in runs given a change hint too (a watcher names only the holder)', async () => {
    const { deps, later, options } = setup();
    await deps.content.put('a.md', encode(article('id: shared', 'Alpha')));
    await deps.content.put('b.md', encode(article('id: shared', 'Bravo')));
    await deps.content.put('c.md', encode(article('id: other', 'Charlie')));
    await regenerate(deps, options);
    later(5);
    await deps.content.put('c.md', encode(article('id: other', 'Charlie 2')));
    const hinted = await regenerate(deps, { ...options, changedKeys: ['c.md'] });
    expect(hinted.failed.map((f) => f.sourceId)).toEqual(['b.md']);
    later(5);
    await deps.content.delete('a.md');
    const freed = await regenerate(deps, { ...options, changedKeys: ['a.md'] });
    expect(freed.failed).toEqual([]);
    expect(await feedTitles(deps.published)).toEqual(['Bravo', 'Charlie 2']);
  });

  it('never hands a published id to a new file that sorts first, in an incremental or a full run', async () => {
    const { deps, later, options } = setup();
    await deps.content.put('m.md', encode(article('id: shared', 'Mike')));
    await regenerate(deps, options);
    const firstId = await feedIds(deps.published);
    later(5);
    await deps.content.put('a.md', encode(article('id: shared', 'Alpha')));
    const incremental = await regenerate(deps, options);
    expect(incremental.failed.map((f) => f.sourceId)).toEqual(['a.md']);
    expect(await feedTitles(deps.published)).toEqual(['Mike']);
    later(5);
    const full = await regenerate(deps, { ...options, full: true });
    expect(full.failed.map((f) => f.sourceId)).toEqual(['a.md']);
    expect(await feedTitles(deps.published)).toEqual(['Mike']);
    expect(await feedIds(deps.published)).toEqual(firstId);
  });

  it('settles ids two files already share in the state (built before this rule): the one issued first keeps it', async () => {
    const { deps, later, options } = setup();
    await deps.content.put('z.md', encode(article('id: legacy', 'Zulu')));
    await regenerate(deps, options);
    later(5);
    // Same id minted for a second file (as a build before the rule did): copy the record aside.
    await deps.content.put('b.md', encode(article('id: other', 'Bravo')));
    await regenerate(deps, options);
    const state = deps.state;
    const keys = await state.list('items/');
    const records = await Promise.all(
      keys.map(async (k) => [k, JSON.parse(decode((await state.get(k))?.body ?? new Uint8Array()))] as const),
    );
    const zulu = records.find(([, r]) => r.sourceId === 'z.md')?.[1];
    const [bravoKey, bravo] = records.find(([, r]) => r.sourceId === 'b.md') ?? [];
    await state.put(bravoKey as string, encode(JSON.stringify({ ...bravo, id: zulu.id })));
    later(5);
    const full = await regenerate(deps, { ...options, full: true });
    expect(full.failed.map((f) => f.sourceId)).toEqual(['b.md']);
    expect(full.failed[0]?.message).toContain('z.md');
    expect(await feedTitles(deps.published)).toEqual(['Zulu']);
  });

  it('fails an upstream item whose URL gives the id a content file holds', async () => {
    const { deps, options } = setup();
    await deps.content.put('a.md', encode(article('url: https://upstream.example/post', 'Alpha')));
    const feed = `<?xml version="1.0"?><rss version="2.0"><channel><title>Up</title><link>https://upstream.example/</link><description>d</description>
<item><title>Upstream post</title><link>https://upstream.example/post</link><guid>https://upstream.example/post</guid><pubDate>Mon, 16 Nov 2026 08:00:00 GMT</pubDate>
<description>Le conseil municipal a voté mardi soir un budget pour la rénovation des écoles du quartier nord. Les travaux commenceront au printemps.</description></item>
</channel></rss>`;
    const page = `<!doctype html><html lang="fr"><head><title>Upstream post</title></head><body><article><h1>Upstream post</h1>
<p>Le conseil municipal a voté mardi soir un budget pour la rénovation des écoles du quartier nord, a annoncé la mairie.</p>
<p>Les travaux commenceront au printemps et dureront deux ans, selon la mairie, qui promet des classes neuves.</p></article></body></html>`;
    const fetch = async (url: string) =>
      url.endsWith('/feed.xml')
        ? new Response(feed, { status: 200, headers: { 'content-type': 'application/rss+xml' } })
        : new Response(page, { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' } });
    const report = await regenerate(
      { ...deps, fetch },
      { ...options, sources: [{ type: 'feed', url: 'https://upstream.example/feed.xml' }] },
    );
    expect(report.ok).toBe(true);
    expect(await feedTitles(deps.published)).toEqual(['Alpha']);
    expect(report.failed).toHaveLength(1);
    expect(report.failed[0]?.message).toContain('a.md');
    expect(report.failed[0]?.message).toContain('https://upstream.example/post');
  });
});

async function feedIds(published: Storage): Promise<string[]> {
  const object = await published.get('feed.json');
  const feed = JSON.parse(decode(object?.body ?? new Uint8Array())) as { items: { id: string }[] };
  return feed.items.map((item) => item.id);
}
