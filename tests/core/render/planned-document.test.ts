import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createFeedLinks } from '../../../src/core/render/feed-links.ts';
import {
  itemInputs,
  planDocument,
  RENDER_VERSION,
  renderPlanned,
} from '../../../src/core/render/planned-document.ts';
import { renderAtom } from '../../../src/core/render/render-atom.ts';
import { renderArticlePage, renderIndexPage } from '../../../src/core/render/render-html-pages.ts';
import { renderJsonFeed } from '../../../src/core/render/render-json-feed.ts';
import { renderRss } from '../../../src/core/render/render-rss.ts';
import { createDocument, createItem } from './fixtures.ts';

/**
 * The render cache trusts RENDER_VERSION: same inputs + same version → same bytes. This pins the
 * renderers' output for a fixed document; when it fails, a renderer's output changed: bump
 * RENDER_VERSION in src/core/render/planned-document.ts, then update both pinned values here.
 */
const PINNED = {
  version: 3,
  digest: 'fd1e64797a7089a0',
};

describe('planned documents (render cache seam)', () => {
  it(`pins every renderer's output to RENDER_VERSION ${RENDER_VERSION} (bump it when this changes)`, () => {
    const doc = createDocument();
    const links = createFeedLinks(doc.site);
    const first = doc.items[0];
    if (!first) throw new Error('fixture has no item');
    const outputs = [
      renderRss(doc, links),
      renderAtom(doc, links),
      renderJsonFeed(doc, links),
      renderIndexPage(doc, links),
      renderArticlePage(first, doc.site, links),
    ];
    const digest = createHash('sha256').update(outputs.join('\u0000')).digest('hex').slice(0, 16);
    expect({ version: RENDER_VERSION, digest }).toEqual(PINNED);
  });

  it('names what a renderer reads of an item: a change to any of it changes the inputs', () => {
    const item = createItem();
    const base = itemInputs(item);
    for (const change of [
      { contentHash: 'other' },
      { updated: '2030-01-01T00:00:00.000Z' },
      { published: '2001-01-01T00:00:00.000Z' },
      { slug: 'moved' },
      { id: 'urn:other' },
      { url: 'https://elsewhere.example/x' },
      { contentText: `${item.contentText} more` },
    ]) {
      expect(itemInputs({ ...item, ...change }), JSON.stringify(change)).not.toBe(base);
    }
  });

  it('renders lazily: nothing runs until the document is rendered', () => {
    let calls = 0;
    const planned = planDocument('/x', 'text/plain', ['a', 1], () => {
      calls++;
      return 'body';
    });
    expect(calls).toBe(0);
    expect(planned.inputs).toBe('["a",1]');
    expect(renderPlanned(planned)).toEqual({ path: '/x', contentType: 'text/plain', body: 'body' });
    expect(calls).toBe(1);
    expect(renderPlanned(planDocument('/y', 'text/plain', [], () => '', true)).immutable).toBe(true);
  });
});
