import { describe, expect, it } from 'vitest';
import type { FeedItem } from '../../../src/core/model.ts';
import { buildDocuments, CONTENT_TYPES, planDocuments } from '../../../src/core/pipeline/build-documents.ts';
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

  it('changes the inputs only of documents that show the edited item', () => {
    const before = plan(items);
    // Story 3 (archive page 2) edited in place: same id, dates, slug; new content hash.
    const after = plan(items.map((i) => (i.slug === 'story-3' ? { ...i, contentHash: 'edited' } : i)));
    const changed = [...after.keys()].filter((path) => after.get(path)?.inputs !== before.get(path)?.inputs);
    expect(changed.sort()).toEqual(
      ['/archive/2/atom.xml', '/archive/2/feed.json', '/archive/2/feed.xml', '/articles/story-3'].sort(),
    );
  });
});
