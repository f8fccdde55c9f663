import { describe, expect, it } from 'vitest';
import type { FeedItem } from '../../../src/core/model.ts';
import { buildDocuments, CONTENT_TYPES, planDocuments } from '../../../src/core/plan/build-documents.ts';
import { renderPlanned } from '../../../src/core/render/planned-document.ts';
import { SITE } from '../normalise/fixtures.ts';
import { makeItem as item } from '../syndicate/items.ts';

describe('buildDocuments', () => {
  const items = [3, 2, 1].map((n) => item(n));
  const docs = buildDocuments({ site: SITE, items, updated: items[0]?.updated ?? '' }, 2);

  it('renders the feeds, the index and one page per item with exact content types', () => {
    const byPath = new Map(docs.map((d) => [d.path, d]));
    expect(byPath.get('/feed.xml')?.contentType).toBe(CONTENT_TYPES.rss);
    expect(byPath.get('/atom.xml')?.contentType).toBe(CONTENT_TYPES.atom);
    expect(byPath.get('/feed.json')?.contentType).toBe(CONTENT_TYPES.json);
    expect(byPath.get('/')?.contentType).toBe(CONTENT_TYPES.html);
    for (const n of [1, 2, 3]) expect(byPath.get(`/articles/story-${n}`)?.body).toContain(`Story ${n}`);
  });

  it('limits the feeds to feedSize items, newest first', () => {
    const json = JSON.parse(docs.find((d) => d.path === '/feed.json')?.body ?? '{}') as {
      items: { title: string }[];
    };
    expect(json.items.map((i) => i.title)).toEqual(['Story 3', 'Story 2']);
  });

  it('is deterministic', () => {
    expect(buildDocuments({ site: SITE, items, updated: items[0]?.updated ?? '' }, 2)).toEqual(docs);
  });
});

describe('planDocuments (what an incremental run re-renders)', () => {
  // 7 items, feedSize 2, archive pages of 2: pages 1 (items 1-2, full), 2 (3-4, full), 3 (5).
  const items = [7, 6, 5, 4, 3, 2, 1].map((n) => item(n));
  const plan = (list: FeedItem[]) =>
    new Map(
      planDocuments({ site: SITE, items: list, updated: list[0]?.updated ?? '' }, 2, {
        archivePageSize: 2,
        feedLimits: [],
      }).map((d) => [d.path, d]),
    );

  it('renders exactly what buildDocuments renders', () => {
    const built = buildDocuments({ site: SITE, items, updated: items[0]?.updated ?? '' }, 2, {
      archivePageSize: 2,
      feedLimits: [],
    });
    const planned = [...plan(items).values()].map(renderPlanned);
    expect(planned).toEqual(built);
  });

  const changedPaths = (edit: (list: FeedItem[]) => FeedItem[]): string[] => {
    const before = plan(items);
    const after = plan(edit(items));
    return [...after.keys()].filter((path) => after.get(path)?.inputs !== before.get(path)?.inputs).sort();
  };
  const editContent = (slug: string) => (list: FeedItem[]) =>
    list.map((i) => (i.slug === slug ? { ...i, contentHash: 'edited', updated: '2026-12-01T00:00:00Z' } : i));

  it('changes the inputs only of documents that show the edited item', () => {
    // Story 5 (page 3, the newest archive page) edited in place: same id, dates, slug; new content.
    expect(changedPaths(editContent('story-5'))).toEqual(
      [
        '/archive/3/atom.xml',
        '/archive/3/feed.json',
        '/archive/3/feed.xml',
        '/archive/3/feed.html',
        '/articles/story-5',
      ].sort(),
    );
  });

  it('leaves a frozen archive page out of an edit to one of its items', () => {
    // Story 3 is on page 2, full and followed by page 3: frozen, its inputs name items by place.
    expect(changedPaths(editContent('story-3'))).toEqual(['/articles/story-3']);
    expect(plan(items).get('/archive/2/feed.xml')?.immutable).toBe(true);
  });

  it('re-plans a frozen page whose members change', () => {
    // Story 1 gone: every page shifts by one item; page 2 (frozen) now holds stories 4 and 5.
    const changed = changedPaths((list) => list.filter((i) => i.slug !== 'story-1'));
    expect(changed).toEqual(expect.arrayContaining(['/archive/1/feed.xml', '/archive/2/feed.xml']));
  });
});
