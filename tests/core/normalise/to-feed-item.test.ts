import { describe, expect, it } from 'vitest';
import {
  composeItemContent,
  hashItemContent,
  shortenAtWord,
  toFeedItem,
} from '../../../src/core/normalise/to-feed-item.ts';
import type { ItemRecord } from '../../../src/core/state/item-record.ts';
import { cleanDocumentFixture, SITE } from './fixtures.ts';

const RECORD: ItemRecord = {
  sourceId: 'a/story.txt',
  id: 'urn:uuid:00000000-0000-8000-8000-000000000000',
  slug: 'story',
  firstSeen: '2026-03-01T10:00:00.000Z',
  contentHash: 'h',
  changedAt: null,
};

describe('composeItemContent', () => {
  it('takes inferred values when nothing is explicit', () => {
    const content = composeItemContent(cleanDocumentFixture(), SITE);
    expect(content.title).toBe('Inferred title');
    expect(content.lead).toBe('Inferred lead.');
    expect(content.language).toBe('fr');
    expect(content.contentText.split('\n\n')).toHaveLength(4);
  });

  it('lets explicit metadata override every inferred value', () => {
    const content = composeItemContent(
      cleanDocumentFixture({
        metadata: {
          title: 'Explicit',
          summary: 'Explicit lead',
          author: 'Ana',
          publisher: 'AFP',
          lang: 'pt',
          tags: ['Kosovo', 'kosovo', ' OTAN '],
          date: '2024-05-01',
          url: 'https://origin.example/a',
        },
        inferred: { title: 'Inferred', author: 'Bob', publisher: 'RT', language: 'fr' },
      }),
      SITE,
    );
    expect(content).toMatchObject({
      title: 'Explicit',
      lead: 'Explicit lead',
      author: 'Ana',
      publisher: 'AFP',
      language: 'pt',
      tags: ['Kosovo', 'OTAN'],
      date: '2024-05-01T00:00:00.000Z',
      externalUrl: 'https://origin.example/a',
    });
  });

  it('falls back to the first paragraph for the lead and warns when there is no title', () => {
    const content = composeItemContent(cleanDocumentFixture({ inferred: {} }), SITE);
    expect(content.title).toBe('Untitled');
    expect(content.lead).toBe('First paragraph <with> markup & ampersand.');
    expect(content.warnings.map((w) => w.code)).toContain('no-title');
    expect(content.language).toBe('fr');
  });

  it('warns when no block survived', () => {
    const content = composeItemContent(cleanDocumentFixture({ blocks: [] }), SITE);
    expect(content.warnings.map((w) => w.code)).toContain('empty-body');
  });
});

describe('hashItemContent', () => {
  it('changes with the text and not otherwise', async () => {
    const a = composeItemContent(cleanDocumentFixture(), SITE);
    const b = composeItemContent(cleanDocumentFixture(), SITE);
    const c = composeItemContent(
      cleanDocumentFixture({ blocks: [{ kind: 'paragraph', text: 'other' }] }),
      SITE,
    );
    expect(await hashItemContent(a)).toBe(await hashItemContent(b));
    expect(await hashItemContent(a)).not.toBe(await hashItemContent(c));
  });
});

describe('toFeedItem', () => {
  it('publishes at first-seen when no date is explicit, and updated equals published until a change', () => {
    const item = toFeedItem(composeItemContent(cleanDocumentFixture(), SITE), RECORD, SITE);
    expect(item.id).toBe(RECORD.id);
    expect(item.url).toBe('https://news.example/articles/story');
    expect(item.published).toBe(RECORD.firstSeen);
    expect(item.updated).toBe(RECORD.firstSeen);
  });

  it('moves updated to the ledger change date', () => {
    const item = toFeedItem(
      composeItemContent(cleanDocumentFixture(), SITE),
      { ...RECORD, changedAt: '2026-04-01T00:00:00.000Z' },
      SITE,
    );
    expect(item.published).toBe(RECORD.firstSeen);
    expect(item.updated).toBe('2026-04-01T00:00:00.000Z');
  });

  it('uses the explicit date as published', () => {
    const content = composeItemContent(
      cleanDocumentFixture({ metadata: { date: '2023-09-29T08:00:00Z' } }),
      SITE,
    );
    const item = toFeedItem(content, RECORD, SITE);
    expect(item.published).toBe('2023-09-29T08:00:00.000Z');
    expect(item.updated).toBe('2023-09-29T08:00:00.000Z');
  });
});

describe('shortenAtWord', () => {
  it('cuts at a word boundary and marks the cut', () => {
    expect(shortenAtWord('one two three four', 10)).toBe('one two…');
    expect(shortenAtWord('short', 10)).toBe('short');
  });
});
