import { describe, expect, it } from 'vitest';
import {
  assignIdentity,
  freeSlug,
  type IdentityLedger,
} from '../../../src/core/normalise/assign-identity.ts';
import { makeSlug, slugCandidates } from '../../../src/core/normalise/make-slug.ts';
import type { ItemRecord } from '../../../src/core/state/item-record.ts';
import { mintItemId } from '../../../src/core/state/mint-item-id.ts';

const STARTED = new Date('2026-03-01T12:00:00.000Z');

function fakeLedger(options: {
  holders?: Record<string, string[]>;
  records?: Record<string, ItemRecord>;
  taken?: string[];
}): IdentityLedger & { heldBack: string[][] } {
  const heldBack: string[][] = [];
  return {
    heldBack,
    holders: async (id) => options.holders?.[id] ?? [],
    recordOf: async (sourceId) => options.records?.[sourceId] ?? null,
    holdBack: async (loser, holder, field, value) => {
      heldBack.push([loser, holder, field, value]);
    },
    slugTaken: async (slug) => (options.taken ?? []).includes(slug),
  };
}

describe('assignIdentity', () => {
  it('mints an id, picks the slug and spaces new items one second apart', async () => {
    const clock = { started: STARTED, newInThisRun: 0 };
    const ledger = fakeLedger({});
    const request = { identityKey: 'a.md', field: 'url' as const, contentHash: 'h', previous: null };
    const first = await assignIdentity({ ...request, sourceId: 'a.md' }, ledger, clock);
    const second = await assignIdentity({ ...request, sourceId: 'b.md', identityKey: 'b.md' }, ledger, clock);
    expect(first?.id).toBe(await mintItemId('a.md'));
    expect(first?.firstSeen).toBe('2026-03-01T12:00:00.000Z');
    expect(second?.firstSeen).toBe('2026-03-01T11:59:59.000Z');
    expect(first?.slug).toBe(makeSlug('a.md'));
    expect(clock.newInThisRun).toBe(2);
  });

  it('returns the same record when nothing moved', async () => {
    const previous: ItemRecord = {
      sourceId: 'a.md',
      id: 'urn:x',
      slug: 's',
      firstSeen: '2026-01-01T00:00:00.000Z',
      contentHash: 'h',
      changedAt: null,
    };
    const clock = { started: STARTED, newInThisRun: 0 };
    const request = {
      sourceId: 'a.md',
      identityKey: 'a.md',
      field: 'url' as const,
      contentHash: 'h',
      previous,
    };
    expect(await assignIdentity(request, fakeLedger({}), clock)).toBe(previous);
    expect(clock.newInThisRun).toBe(0);
  });

  it('holds a new source back when a published one holds its id', async () => {
    const id = await mintItemId('https://example.com/x');
    const holder: ItemRecord = {
      sourceId: 'old.md',
      id,
      slug: 'old',
      firstSeen: '2026-01-01T00:00:00.000Z',
      contentHash: 'h0',
      changedAt: null,
    };
    const ledger = fakeLedger({ holders: { [id]: ['old.md'] }, records: { 'old.md': holder } });
    const request = {
      sourceId: 'new.md',
      identityKey: 'https://example.com/x',
      field: 'url' as const,
      contentHash: 'h',
      previous: null,
    };
    expect(await assignIdentity(request, ledger, { started: STARTED, newInThisRun: 0 })).toBeNull();
    expect(ledger.heldBack).toEqual([['new.md', 'old.md', 'url', 'https://example.com/x']]);
  });
});

describe('freeSlug', () => {
  it('skips taken candidates', async () => {
    const [own, next] = [...take(slugCandidates(makeSlug('post.md')), 2)];
    expect(await freeSlug('post.md', async (slug) => slug === own)).toBe(next);
  });
});

function* take<T>(items: Iterable<T>, count: number): Generator<T> {
  let n = 0;
  for (const item of items) {
    if (n++ >= count) return;
    yield item;
  }
}
