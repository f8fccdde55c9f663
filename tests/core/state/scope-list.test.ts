import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareEntries } from '../../../src/core/state/item-order.ts';
import {
  buildScopeList,
  CHUNK_PREFIX,
  createChunkStore,
  openScopeList,
  parseChunkRefs,
  type ScopeMember,
} from '../../../src/core/state/scope-list.ts';
import { createMemoryStorage } from '../../../src/drivers/storage/memory.ts';

const LIMITS = { max: 4, fill: 2 };

function member(n: number, published: number, rev = 0): ScopeMember {
  const date = new Date(Date.UTC(2026, 0, 1) + published * 60_000).toISOString();
  return { sourceId: `s${n}`, id: `id${n % 7}`, published: date, updated: date, digest: `d${n}-${rev}` };
}

type Op =
  | { kind: 'insert'; published: number }
  | { kind: 'remove'; pick: number }
  | { kind: 'replace'; pick: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.integer({ min: 0, max: 30 }).map((published) => ({ kind: 'insert' as const, published })),
  fc.nat().map((pick) => ({ kind: 'remove' as const, pick })),
  fc.nat().map((pick) => ({ kind: 'replace' as const, pick })),
);

describe('scope lists', () => {
  it('stay in feed order through random inserts, removals and replacements, across reloads', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 30 }), { maxLength: 12 }),
        fc.array(fc.array(opArb, { maxLength: 6 }), { minLength: 1, maxLength: 3 }),
        async (initial, runs) => {
          const state = createMemoryStorage();
          let model = initial.map((p, n) => member(n, p)).sort(compareEntries);
          let next = initial.length;
          let store = createChunkStore(state, 0, (k, b) => state.put(k, b), LIMITS);
          let list = buildScopeList(store, model);
          for (const ops of runs) {
            for (const op of ops) {
              if (op.kind === 'insert') {
                const m = member(next++, op.published);
                const position = await list.insert(m);
                model = [...model, m].sort(compareEntries);
                expect(model[position]).toEqual(m);
              } else if (model.length > 0) {
                const target = model[op.pick % model.length] as ScopeMember;
                const at = model.indexOf(target);
                if (op.kind === 'remove') {
                  expect(await list.remove(target)).toBe(at);
                  model = model.filter((m) => m !== target);
                } else {
                  const changed = { ...target, digest: `${target.digest}+` };
                  expect(await list.replace(changed)).toBe(at);
                  model = model.map((m) => (m === target ? changed : m));
                }
              }
              expect(list.count).toBe(model.length);
            }
            // Persist, reload from the stored refs, compare every range.
            const retired = await store.flush();
            for (const key of retired) await state.delete(key);
            const refs = parseChunkRefs(list.toStored());
            if (!refs) throw new Error('refs did not round-trip');
            store = createChunkStore(state, store.next, (k, b) => state.put(k, b), LIMITS);
            list = openScopeList(store, refs);
            expect(await list.range(0, list.count)).toEqual(model);
            if (model.length > 2) expect(await list.range(1, model.length - 1)).toEqual(model.slice(1, -1));
            for (const ref of list.toStored()) expect(ref[1]).toBeLessThanOrEqual(LIMITS.max);
          }
          // Exactly the named chunks remain stored: retired ones were handed back for deletion.
          const named = list.toStored().map((ref) => `${CHUNK_PREFIX}${ref[0].toString(36)}.json`);
          expect((await state.list(CHUNK_PREFIX)).sort()).toEqual(named.sort());
        },
      ),
      { numRuns: 300 },
    );
  });

  it('reads only the chunks a range covers', async () => {
    const state = createMemoryStorage();
    const store = createChunkStore(state, 0, (k, b) => state.put(k, b), LIMITS);
    const members = Array.from({ length: 20 }, (_, n) => member(n, 100 - n));
    const built = buildScopeList(store, members);
    await store.flush();
    let reads = 0;
    const counting = {
      ...state,
      get: (key: string) => {
        reads++;
        return state.get(key);
      },
    };
    const fresh = openScopeList(
      createChunkStore(counting, store.next, (k, b) => state.put(k, b), LIMITS),
      [...(parseChunkRefs(built.toStored()) ?? [])],
    );
    expect(await fresh.range(0, 3)).toEqual(members.slice(0, 3));
    expect(reads).toBe(2);
  });

  it('rejects malformed stored refs', () => {
    expect(parseChunkRefs([[1, 0, 'a', 'b', 'c']])).toBeNull();
    expect(parseChunkRefs('x')).toBeNull();
    expect(parseChunkRefs([[1, 2, 'a', 'b', 'c']])).not.toBeNull();
  });
});
