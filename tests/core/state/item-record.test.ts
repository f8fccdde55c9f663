import { describe, expect, it } from 'vitest';
import { advanceItemRecord, parseItemRecord } from '../../../src/core/state/item-record.ts';

const observed = { sourceId: 'a.txt', identityKey: 'a.txt', slug: 'a', contentHash: 'h1' };

describe('advanceItemRecord', () => {
  it('issues an id and a first-seen date, truncated to the second, for a new item', async () => {
    const record = await advanceItemRecord(null, observed, new Date('2026-01-02T03:04:05.678Z'));
    expect(record.id).toMatch(/^urn:uuid:/);
    expect(record.firstSeen).toBe('2026-01-02T03:04:05.000Z');
    expect(record.changedAt).toBeNull();
  });

  it('returns the same record when the content is unchanged', async () => {
    const first = await advanceItemRecord(null, observed, new Date('2026-01-01T00:00:00Z'));
    expect(await advanceItemRecord(first, observed, new Date('2026-02-01T00:00:00Z'))).toBe(first);
  });

  it('keeps id and first-seen but moves changedAt when the content changes', async () => {
    const first = await advanceItemRecord(null, observed, new Date('2026-01-01T00:00:00Z'));
    const next = await advanceItemRecord(
      first,
      { ...observed, contentHash: 'h2' },
      new Date('2026-02-01T00:00:00Z'),
    );
    expect(next.id).toBe(first.id);
    expect(next.firstSeen).toBe(first.firstSeen);
    expect(next.changedAt).toBe('2026-02-01T00:00:00.000Z');
  });
});

describe('parseItemRecord', () => {
  it('round-trips a record and refuses garbage', async () => {
    const record = await advanceItemRecord(null, observed, new Date('2026-01-01T00:00:00Z'));
    expect(parseItemRecord(JSON.stringify(record))).toEqual(record);
    expect(parseItemRecord('{"id": 3}')).toBeNull();
    expect(parseItemRecord('not json')).toBeNull();
  });
});
