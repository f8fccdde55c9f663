import { describe, expect, it } from 'vitest';
import { duplicateIdMessage, keepsId } from '../../../src/core/normalise/id-claims.ts';
import type { ItemRecord } from '../../../src/core/state/item-record.ts';

function record(sourceId: string, firstSeen: string): ItemRecord {
  return { sourceId, id: 'urn:uuid:x', slug: sourceId, firstSeen, contentHash: 'h', changedAt: null };
}

describe('keepsId', () => {
  it('keeps the id with the source that has a record over one that has none (a new file)', () => {
    const holder = { sourceId: 'z.md', record: record('z.md', '2026-01-01T00:00:00.000Z') };
    const newcomer = { sourceId: 'a.md', record: null };
    expect(keepsId(holder, newcomer)).toBe(true);
    expect(keepsId(newcomer, holder)).toBe(false);
  });

  it('between two records, keeps it with the earliest first-seen date, then the first source id', () => {
    const early = { sourceId: 'z.md', record: record('z.md', '2026-01-01T00:00:00.000Z') };
    const late = { sourceId: 'a.md', record: record('a.md', '2026-02-01T00:00:00.000Z') };
    expect(keepsId(early, late)).toBe(true);
    expect(keepsId(late, early)).toBe(false);
    const twinA = { sourceId: 'a.md', record: record('a.md', '2026-01-01T00:00:00.000Z') };
    expect(keepsId(twinA, early)).toBe(true);
    expect(keepsId(early, twinA)).toBe(false);
  });
});

describe('duplicateIdMessage', () => {
  it('names both sources, the field and the value, and who keeps the id', () => {
    expect(duplicateIdMessage('b.md', 'a.md', 'url', 'https://news.example/x')).toBe(
      'duplicate item id: b.md and a.md both give url "https://news.example/x"; a.md keeps the id (it was issued to it first), b.md is not published until one of them gives another url',
    );
  });
});
