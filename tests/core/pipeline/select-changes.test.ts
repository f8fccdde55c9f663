import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SiteInfo } from '../../../src/core/model.ts';
import { planSite, type SiteSelection } from '../../../src/core/pipeline/build-documents.ts';
import type { CatalogEntry } from '../../../src/core/pipeline/item-catalog.ts';
import { orderEntries, selectChanges, sortEntries } from '../../../src/core/pipeline/select-changes.ts';
import type { ItemSource } from '../../../src/core/render/item-source.ts';

const SITE: SiteInfo = {
  title: 'Test',
  description: 'Tests',
  baseUrl: 'https://news.example',
  language: 'en',
  ttlMinutes: 15,
};
const OPTIONS = { feedSize: 3, archivePageSize: 2, feedLimits: [1, 2] };

/** Planning only: entries are never rendered here, so `load` must not be called. */
const ENTRIES: ItemSource<CatalogEntry> = {
  inputsOf: (entry) => entry.digest,
  updatedOf: (entry) => entry.updated,
  load: () => {
    throw new Error('planning must not load bodies');
  },
};

const TAGS = ['Paris', 'paris', 'Berlin', 'Climat', 'Été', 'ete'];
const PUBLISHERS = ['Le Monde', 'Reuters'];

function entry(
  n: number,
  published: number,
  tags: string[],
  publisher: string | null,
  rev: number,
): CatalogEntry {
  const date = new Date(Date.UTC(2026, 0, 1) + published * 3_600_000).toISOString();
  return {
    sourceId: `content/${n}.md`,
    id: `urn:uuid:${n}`,
    slug: `article-${n}`,
    published: date,
    updated: date,
    digest: `d${n}-${rev}`,
    tags,
    ...(publisher ? { publisher } : {}),
    warnings: 0,
  };
}

/** Route → inputs of every document planned: all of them, or the selected ones. */
function plan(entries: Iterable<CatalogEntry>, selection?: SiteSelection<CatalogEntry>): Map<string, string> {
  const items = orderEntries(entries);
  const docs = planSite(
    {
      site: SITE,
      items,
      updated: items[0]?.updated ?? '2026-01-01T00:00:00.000Z',
      source: ENTRIES,
      item: (e) => e,
    },
    OPTIONS.feedSize,
    { archivePageSize: OPTIONS.archivePageSize, feedLimits: OPTIONS.feedLimits, hubs: [] },
    selection,
  );
  return new Map(docs.map((d) => [d.path, d.inputs]));
}

function underPrefix(path: string, prefixes: readonly string[]): boolean {
  return prefixes.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
}

const entryArb = fc.record({
  published: fc.integer({ min: 0, max: 40 }),
  tags: fc.subarray(TAGS, { maxLength: 3 }),
  publisher: fc.constantFrom(...PUBLISHERS, null),
});

type Op =
  | { kind: 'add'; published: number; tags: string[]; publisher: string | null }
  | { kind: 'remove'; pick: number }
  | { kind: 'edit'; pick: number }
  | { kind: 'retag'; pick: number; tags: string[] }
  | { kind: 'hold'; pick: number }
  | { kind: 'redate'; pick: number; published: number }
  | { kind: 'alias'; pick: number; published: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  entryArb.map((e) => ({ kind: 'add' as const, ...e })),
  fc.nat().map((pick) => ({ kind: 'remove' as const, pick })),
  fc.nat().map((pick) => ({ kind: 'edit' as const, pick })),
  fc
    .record({ pick: fc.nat(), tags: fc.subarray(TAGS, { maxLength: 3 }) })
    .map((r) => ({ kind: 'retag' as const, ...r })),
  fc.nat().map((pick) => ({ kind: 'hold' as const, pick })),
  fc
    .record({ pick: fc.nat(), published: fc.integer({ min: 0, max: 40 }) })
    .map((r) => ({ kind: 'redate' as const, ...r })),
  // A second file claiming an existing item's id (same explicit id or URL): one item, one page.
  fc
    .record({ pick: fc.nat(), published: fc.integer({ min: 0, max: 40 }) })
    .map((r) => ({ kind: 'alias' as const, ...r })),
);

describe('selectChanges', () => {
  it('plans every document whose inputs change and removes every route that disappears', () => {
    fc.assert(
      fc.property(
        fc.array(entryArb, { maxLength: 14 }),
        fc.array(opArb, { minLength: 1, maxLength: 3 }),
        (initial, ops) => {
          const catalog = new Map<string, CatalogEntry>();
          initial.forEach((e, n) => {
            const made = entry(n, e.published, e.tags, e.publisher, 0);
            catalog.set(made.sourceId, made);
          });
          const beforePlan = plan(catalog.values());
          const before = new Map<string, CatalogEntry | null>();
          const touch = (sourceId: string) => {
            if (!before.has(sourceId)) before.set(sourceId, catalog.get(sourceId) ?? null);
          };
          let next = initial.length;
          for (const op of ops) {
            const ids = [...catalog.keys()];
            const picked = ids.length > 0 && op.kind !== 'add' ? ids[op.pick % ids.length] : undefined;
            const old = picked ? catalog.get(picked) : undefined;
            if (op.kind === 'add') {
              const made = entry(next++, op.published, op.tags, op.publisher, 0);
              touch(made.sourceId);
              catalog.set(made.sourceId, made);
            } else if (picked && old) {
              // An alias is a new file: the item it shares an id with is not touched.
              if (op.kind !== 'alias') touch(picked);
              if (op.kind === 'remove') catalog.delete(picked);
              else if (op.kind === 'edit') catalog.set(picked, { ...old, digest: `${old.digest}+` });
              else if (op.kind === 'retag')
                catalog.set(picked, { ...old, tags: op.tags, digest: `${old.digest}+t` });
              else if (op.kind === 'alias') {
                const made = {
                  ...entry(next++, op.published, old.tags.slice(), old.publisher ?? null, 0),
                  id: old.id,
                };
                touch(made.sourceId);
                catalog.set(made.sourceId, made);
              } else if (op.kind === 'redate') {
                const date = new Date(Date.UTC(2026, 0, 1) + op.published * 3_600_000).toISOString();
                catalog.set(picked, { ...old, published: date, updated: date, digest: `${old.digest}+d` });
              } else
                catalog.set(picked, { ...old, flag: { code: 'kept-nothing', message: 'x', heldBack: true } });
            }
          }
          const afterPlan = plan(catalog.values());
          const changes = selectChanges(
            sortEntries(catalog.values()),
            before,
            (id) => catalog.get(id),
            OPTIONS,
          );
          const planned = plan(catalog.values(), changes.selection);
          for (const [path, inputs] of afterPlan) {
            if (beforePlan.get(path) === inputs) continue;
            // Changed or new: the incremental run must plan it, with the same inputs.
            expect(planned.get(path), `planned ${path}`).toBe(inputs);
          }
          for (const [path, inputs] of planned) expect(afterPlan.get(path), `exists ${path}`).toBe(inputs);
          for (const path of beforePlan.keys()) {
            if (afterPlan.has(path)) continue;
            const gone = changes.remove.includes(path) || underPrefix(path, changes.replacePrefixes);
            expect(gone, `removed ${path}`).toBe(true);
          }
          for (const path of changes.remove) expect(afterPlan.has(path), `not live ${path}`).toBe(false);
          for (const prefix of changes.replacePrefixes) {
            expect(
              [...afterPlan.keys()].some((p) => underPrefix(p, [prefix])),
              `prefix ${prefix} empty`,
            ).toBe(false);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('plans a few documents, not the whole site, when one article of many changes', () => {
    const catalog = new Map<string, CatalogEntry>();
    for (let n = 0; n < 400; n++) {
      const made = entry(n, n, [TAGS[n % TAGS.length] ?? 'x'], PUBLISHERS[n % 2] ?? null, 0);
      catalog.set(made.sourceId, made);
    }
    const all = plan(catalog.values()).size;
    const edited = catalog.get('content/399.md');
    if (!edited) throw new Error('fixture');
    const before = new Map([[edited.sourceId, edited]]);
    catalog.set(edited.sourceId, { ...edited, digest: 'changed' });
    const changes = selectChanges(sortEntries(catalog.values()), before, (id) => catalog.get(id), OPTIONS);
    const planned = plan(catalog.values(), changes.selection);
    expect(all).toBeGreaterThan(1000);
    expect(planned.size).toBeLessThan(40);
    expect(planned.has('/articles/article-399')).toBe(true);
    expect(planned.has('/articles/article-398')).toBe(false);
    expect(changes.remove).toEqual([]);
  });

  it('removes the permalink of a deleted item and the archive pages that no longer exist', () => {
    const catalog = new Map<string, CatalogEntry>();
    for (let n = 0; n < 6; n++) {
      const made = entry(n, n, [], null, 0);
      catalog.set(made.sourceId, made);
    }
    // 6 items, 3 current, pages of 2 → pages 1 and 2; removing one leaves page 1 and 2 (2 + 1).
    const removedOld = catalog.get('content/0.md') ?? null;
    const removedNew = catalog.get('content/1.md') ?? null;
    catalog.delete('content/0.md');
    catalog.delete('content/1.md');
    const before = new Map([
      ['content/0.md', removedOld],
      ['content/1.md', removedNew],
    ]);
    const changes = selectChanges(sortEntries(catalog.values()), before, (id) => catalog.get(id), OPTIONS);
    expect(changes.remove).toContain('/articles/article-0');
    expect(changes.remove).toContain('/articles/article-1');
    expect(changes.remove).toContain('/archive/2/feed.xml');
    expect(changes.remove).toContain('/archive/2/feed.json');
  });
});
