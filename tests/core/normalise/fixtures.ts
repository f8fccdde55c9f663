import type { CleanDocument, SiteInfo } from '../../../src/core/model.ts';

export const SITE: SiteInfo = {
  title: 'Kiosque test',
  description: 'Test site',
  baseUrl: 'https://news.example',
  language: 'fr',
  ttlMinutes: 15,
};

export function cleanDocumentFixture(overrides: Partial<CleanDocument> = {}): CleanDocument {
  return {
    raw: { sourceId: 'a/story.txt', file: 'story.txt', source: 'a', format: 'text', body: '' },
    metadata: {},
    inferred: { title: 'Inferred title', lead: 'Inferred lead.', language: 'fr' },
    blocks: [
      { kind: 'paragraph', text: 'First paragraph <with> markup & ampersand.' },
      { kind: 'heading', text: 'A sub-heading', level: 2 },
      { kind: 'quote', text: '« A quote. »' },
      { kind: 'list', text: 'one\ntwo', items: ['one', 'two'], ordered: true },
    ],
    removed: [],
    warnings: [],
    ...overrides,
  };
}
