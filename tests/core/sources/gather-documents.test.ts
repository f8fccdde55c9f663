import { describe, expect, it } from 'vitest';
import { createRandom, generateArticle } from '../../../scripts/generate-corpus.ts';
import { CLEANER_VERSION } from '../../../src/core/clean/rules.ts';
import { cleanCorpus } from '../../../src/core/corpus/clean-corpus.ts';
import type { CleanDocument } from '../../../src/core/model.ts';
import { collectContent } from '../../../src/core/sources/collect-content.ts';
import { INDEX_META_KEY } from '../../../src/core/sources/content-index.ts';
import { type Gathered, gatherDocuments } from '../../../src/core/sources/gather-documents.ts';
import { createMemoryStorage } from '../../../src/drivers/storage/memory.ts';
import type { Logger } from '../../../src/ports/logger.ts';
import type { Storage, StoredEntry } from '../../../src/ports/storage.ts';

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} };
/** Far from every write time, so no file counts as "racy" (re-read whatever its stat). */
const clock = { now: () => new Date(Date.UTC(2100, 0, 1)) };
const encode = (text: string) => new TextEncoder().encode(text);

/**
 * Memory storage whose modification times tick once per write: the scan must rely on them, and a
 * same-millisecond rewrite of the same size must still look different.
 */
function tickingStorage(): Storage & { writes: number } {
  const inner = createMemoryStorage();
  const stamps = new Map<string, number>();
  let tick = 0;
  const store = {
    writes: 0,
    get: async (key: string) => {
      const object = await inner.get(key);
      return object ? { body: object.body, modified: new Date((stamps.get(key) ?? 0) * 1000) } : null;
    },
    put: async (key: string, body: Uint8Array) => {
      store.writes++;
      stamps.set(key, ++tick);
      await inner.put(key, body);
    },
    delete: (key: string) => inner.delete(key),
    list: (prefix: string) => inner.list(prefix),
    listEntries: async (prefix: string): Promise<StoredEntry[]> =>
      ((await inner.listEntries?.(prefix)) ?? []).map((e) => ({
        key: e.key,
        size: e.size,
        modified: new Date((stamps.get(e.key) ?? 0) * 1000),
      })),
  };
  return store;
}

/** Counts reads, to show a hinted run reads what it was told and little else. */
function countingStorage(inner: Storage): Storage & { reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    get: (key) => {
      reads.push(key);
      return inner.get(key);
    },
    put: (key, body) => inner.put(key, body),
    delete: (key) => inner.delete(key),
    list: (prefix) => inner.list(prefix),
    ...(inner.listEntries ? { listEntries: inner.listEntries.bind(inner) } : {}),
  };
}

async function drain(gathered: Gathered): Promise<CleanDocument[]> {
  const out: CleanDocument[] = [];
  for await (const doc of gathered.changed()) out.push(doc);
  return out;
}

/** What a full clean of the content store gives, by sourceId. */
async function expected(content: Storage): Promise<Map<string, CleanDocument>> {
  const { documents } = await collectContent(content, silent);
  const cleaned = cleanCorpus(documents, 'fr');
  return new Map(cleaned.documents.map((d) => [d.raw.sourceId, d]));
}

const SEED = 11;

describe('gatherDocuments (incremental)', () => {
  it('matches cleanCorpus over the whole corpus after every random edit, add and delete', async () => {
    const content = tickingStorage();
    const state = createMemoryStorage();
    // Seeded (mulberry32): the edit sequence is the same on every run.
    const rand = createRandom(7);
    const live = new Set<number>();
    const revision = new Map<number, number>();
    const pathOf = (i: number) => generateArticle(SEED, i).path;
    // 24 sources in rotation: 72 articles give ~3 per source, so chrome keys sit right at the
    // 2-document boundary and every edit can flip them.
    for (let i = 0; i < 72; i++) {
      await content.put(pathOf(i), encode(generateArticle(SEED, i).body));
      live.add(i);
    }
    const published = new Map<string, CleanDocument>();
    const apply = async (gathered: Gathered) => {
      for (const doc of await drain(gathered)) published.set(doc.raw.sourceId, doc);
      for (const id of gathered.removed) published.delete(id);
      expect(gathered.failures).toEqual([]);
      await gathered.commit();
    };

    const first = await gatherDocuments({ content, state, clock, logger: silent }, { defaultLanguage: 'fr' });
    expect(first.complete).toBe(true);
    await apply(first);
    expect(published).toEqual(await expected(content));

    let next = 72;
    for (let step = 0; step < 40; step++) {
      const touched: string[] = [];
      const edits = 1 + Math.floor(rand() * 3);
      for (let e = 0; e < edits; e++) {
        const r = rand();
        const ids = [...live];
        const pick = ids[Math.floor(rand() * ids.length)] ?? 0;
        if (r < 0.45) {
          const rev = (revision.get(pick) ?? 0) + 1;
          revision.set(pick, rev);
          await content.put(pathOf(pick), encode(generateArticle(SEED, pick, rev).body));
          touched.push(pathOf(pick));
        } else if (r < 0.7 && live.size > 10) {
          await content.delete(pathOf(pick));
          live.delete(pick);
          touched.push(pathOf(pick));
        } else if (r < 0.85) {
          // A copy of another article's chrome and text under a new name: every line flips to chrome.
          const twin = `${pathOf(pick).replace(/\.(\w+)$/, `-copy${step}.$1`)}`;
          await content.put(twin, encode(generateArticle(SEED, pick, revision.get(pick) ?? 0).body));
          touched.push(twin);
        } else {
          await content.put(pathOf(next), encode(generateArticle(SEED, next).body));
          live.add(next);
          touched.push(pathOf(next));
          next++;
        }
      }
      // Alternate: hinted with exactly the touched keys, then a stat scan.
      const hinted = step % 2 === 0;
      const gathered = await gatherDocuments(
        { content, state, clock, logger: silent },
        { defaultLanguage: 'fr', ...(hinted ? { changedKeys: touched } : {}) },
      );
      expect(gathered.complete).toBe(false);
      await apply(gathered);
      expect([...published.keys()].sort()).toEqual([...(await expected(content)).keys()].sort());
      expect(published).toEqual(await expected(content));
    }
  }, 60_000);

  it('relearns a source when a key drops to one holder the index no longer names', async () => {
    const content = tickingStorage();
    const state = createMemoryStorage();
    const body = (n: number) =>
      `Titre numéro ${n} du jour\n\nPartager sur Facebook\n\nLe conseil municipal a débattu pendant des heures du budget numéro ${n}, et les élus se sont longuement opposés sur les investissements prévus pour les écoles de la commune.`;
    // 12 holders of the share line: more than the index tracks by id.
    for (let n = 0; n < 12; n++) await content.put(`site/${n}.txt`, encode(body(n)));
    const first = await gatherDocuments({ content, state, clock, logger: silent }, { defaultLanguage: 'fr' });
    await drain(first);
    await first.commit();
    const deleted = Array.from({ length: 11 }, (_, n) => `site/${n + 1}.txt`);
    for (const key of deleted) await content.delete(key);
    const logger = {
      ...silent,
      lines: [] as string[],
      info(message: string) {
        logger.lines.push(message);
      },
    };
    const gathered = await gatherDocuments(
      { content, state, clock, logger },
      { defaultLanguage: 'fr', changedKeys: deleted },
    );
    const docs = await drain(gathered);
    expect([...gathered.removed].sort()).toEqual([...deleted].sort());
    // The survivor's share line is no longer chrome: it is cleaned again, as a full clean would.
    expect(docs.map((d) => d.raw.sourceId)).toEqual(['site/0.txt']);
    expect(docs[0]).toEqual((await expected(content)).get('site/0.txt'));
    expect(logger.lines).toContain('chrome index relearnt for a source');
  });

  it('reads only the hinted file and a few index shards for a one-file change', async () => {
    const inner = tickingStorage();
    const state = createMemoryStorage();
    for (let i = 0; i < 48; i++)
      await inner.put(generateArticle(SEED, i).path, encode(generateArticle(SEED, i).body));
    await (
      await gatherDocuments({ content: inner, state, clock, logger: silent }, { defaultLanguage: 'fr' })
    ).commit();

    const edited = generateArticle(SEED, 5, 1);
    await inner.put(edited.path, encode(edited.body));
    const content = countingStorage(inner);
    const stateReads = countingStorage(state);
    const gathered = await gatherDocuments(
      { content, state: stateReads, clock, logger: silent },
      { defaultLanguage: 'fr', changedKeys: [edited.path] },
    );
    const docs = await drain(gathered);
    expect(docs.map((d) => d.raw.sourceId)).toContain(edited.path);
    expect(gathered.removed).toEqual([]);
    // The article, plus probes for its two possible sidecars; flipped neighbours are read too.
    expect(content.reads.filter((k) => k === edited.path).length).toBeGreaterThanOrEqual(1);
    expect(content.reads.length).toBeLessThanOrEqual(3 + 2 * docs.length);
    expect(stateReads.reads.filter((k) => k.startsWith('index/content/')).length).toBe(1);
  });

  it('a no-hint rescan with nothing changed reads no content file and yields nothing', async () => {
    const inner = tickingStorage();
    const state = createMemoryStorage();
    for (let i = 0; i < 30; i++)
      await inner.put(generateArticle(SEED, i).path, encode(generateArticle(SEED, i).body));
    await (
      await gatherDocuments({ content: inner, state, clock, logger: silent }, { defaultLanguage: 'fr' })
    ).commit();
    const content = countingStorage(inner);
    const gathered = await gatherDocuments(
      { content, state, clock, logger: silent },
      { defaultLanguage: 'fr' },
    );
    expect(await drain(gathered)).toEqual([]);
    expect(content.reads).toEqual([]);
    expect(gathered.clean).toEqual({ reused: 30, cleaned: 0 });
  });

  it('re-reads on the next scan the files written just before a run read them ("racy")', async () => {
    const inner = createMemoryStorage();
    const t0 = Date.UTC(2030, 0, 1, 0, 0, 5, 500);
    // Articles 0–3: fine mtimes 50 ms and 1,179 ms before the run; whole-second ones 1.5 s
    // (maybe a 1–2 s granularity) and 3 s before it.
    const mtimes = [t0 - 50, t0 - 1179, t0 - 1500, t0 - 3500];
    const stamp = new Map<string, number>();
    for (const [i, mtime] of mtimes.entries()) {
      const { path, body } = generateArticle(SEED, i);
      await inner.put(path, encode(body));
      stamp.set(path, mtime);
    }
    const stamped: Storage = {
      ...inner,
      get: async (key) => {
        const object = await inner.get(key);
        return object ? { body: object.body, modified: new Date(stamp.get(key) ?? 0) } : null;
      },
      listEntries: async (prefix) =>
        ((await inner.listEntries?.(prefix)) ?? []).map((e) => ({
          ...e,
          modified: new Date(stamp.get(e.key) ?? 0),
        })),
    };
    const state = createMemoryStorage();
    const at = { now: () => new Date(t0) };
    await (
      await gatherDocuments({ content: stamped, state, clock: at, logger: silent }, { defaultLanguage: 'fr' })
    ).commit();
    const content = countingStorage(stamped);
    const later = { now: () => new Date(t0 + 60_000) };
    const gathered = await gatherDocuments(
      { content, state, clock: later, logger: silent },
      { defaultLanguage: 'fr' },
    );
    expect(await drain(gathered)).toEqual([]);
    const racy = [0, 2].map((i) => generateArticle(SEED, i).path).sort();
    expect(content.reads.filter((key) => !key.endsWith('.meta.json')).sort()).toEqual(racy);
    await gathered.commit();
    // Read a minute after their mtime, they are trusted from then on.
    const settled = countingStorage(stamped);
    await drain(
      await gatherDocuments(
        { content: settled, state, clock: later, logger: silent },
        { defaultLanguage: 'fr' },
      ),
    );
    expect(settled.reads).toEqual([]);
  });

  it('leaves state untouched until commit, and rebuilds after a half-finished commit', async () => {
    const content = tickingStorage();
    const state = createMemoryStorage();
    for (let i = 0; i < 10; i++)
      await content.put(generateArticle(SEED, i).path, encode(generateArticle(SEED, i).body));
    const abandoned = await gatherDocuments(
      { content, state, clock, logger: silent },
      { defaultLanguage: 'fr' },
    );
    await drain(abandoned);
    expect(await state.list('')).toEqual([]);
    await (
      await gatherDocuments({ content, state, clock, logger: silent }, { defaultLanguage: 'fr' })
    ).commit();
    expect(JSON.parse(new TextDecoder().decode((await state.get(INDEX_META_KEY))?.body))).toMatchObject({
      cleaner: CLEANER_VERSION,
      state: 'committed',
    });
    await state.put(
      INDEX_META_KEY,
      encode(JSON.stringify({ format: 2, cleaner: CLEANER_VERSION, language: 'fr', state: 'committing' })),
    );
    const again = await gatherDocuments({ content, state, clock, logger: silent }, { defaultLanguage: 'fr' });
    expect(again.complete).toBe(true);
    expect((await drain(again)).length).toBe(10);
  });

  it('reports a failing file in failures, not removed, and removes it once deleted', async () => {
    const content = tickingStorage();
    const state = createMemoryStorage();
    const a = generateArticle(SEED, 0);
    await content.put(a.path, encode(a.body));
    await content.put('site/b.txt', encode('Un texte assez long pour être un article, avec des mots.'));
    await (
      await gatherDocuments({ content, state, clock, logger: silent }, { defaultLanguage: 'fr' })
    ).commit();
    await content.put(a.path, new Uint8Array([0, 0, 0, 1, 2]));
    const broken = await gatherDocuments(
      { content, state, clock, logger: silent },
      { defaultLanguage: 'fr' },
    );
    expect(await drain(broken)).toEqual([]);
    expect(broken.failures.map((f) => f.sourceId)).toEqual([a.path]);
    expect(broken.removed).toEqual([]);
    await broken.commit();
    // Still failing: reported again (the index keeps it as failed), still not removed.
    const still = await gatherDocuments({ content, state, clock, logger: silent }, { defaultLanguage: 'fr' });
    expect(still.failures.map((f) => f.sourceId)).toEqual([a.path]);
    await still.commit();
    await content.delete(a.path);
    const gone = await gatherDocuments({ content, state, clock, logger: silent }, { defaultLanguage: 'fr' });
    expect(gone.removed).toEqual([a.path]);
    expect(gone.failures).toEqual([]);
  });

  it('re-reads an article whose sidecar changed, and a hinted sidecar names its article', async () => {
    const content = tickingStorage();
    const state = createMemoryStorage();
    await content.put(
      'site/a.txt',
      encode('Un texte assez long pour être un article, avec des mots et des phrases.'),
    );
    await (
      await gatherDocuments({ content, state, clock, logger: silent }, { defaultLanguage: 'fr' })
    ).commit();
    await content.put('site/a.meta.json', encode(JSON.stringify({ title: 'Titre du fichier annexe' })));
    const scanned = await gatherDocuments(
      { content, state, clock, logger: silent },
      { defaultLanguage: 'fr' },
    );
    const [doc] = await drain(scanned);
    expect(doc?.raw.metadata?.title).toBe('Titre du fichier annexe');
    await scanned.commit();
    await content.put('site/a.meta.json', encode(JSON.stringify({ title: 'Autre titre' })));
    const hinted = await gatherDocuments(
      { content, state, clock, logger: silent },
      { defaultLanguage: 'fr', changedKeys: ['site/a.meta.json'] },
    );
    expect((await drain(hinted)).map((d) => d.raw.metadata?.title)).toEqual(['Autre titre']);
  });
});

describe('gatherDocuments (remote sources)', () => {
  const page = (text: string) =>
    `<!doctype html><html><head><title>Article</title></head><body><article><h1>Un titre d’article</h1><p>${text}</p><p>Le conseil municipal a débattu pendant des heures du budget, et les élus se sont longuement opposés sur les investissements prévus pour les écoles.</p></article></body></html>`;

  it('counts a remote item as changed only when its raw changed, and removed once its source is gone', async () => {
    let html = page('Première version du texte, assez longue pour faire un vrai paragraphe d’article.');
    let now = new Date('2026-01-10T12:00:00Z');
    const fetch = async () =>
      new Response(html, { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' } });
    const deps = {
      content: tickingStorage(),
      state: createMemoryStorage(),
      clock: { now: () => now },
      logger: silent,
      fetch,
    };
    const sources = [{ type: 'article' as const, url: 'https://news.example/a', name: 'news' }];
    const run = async (extra: { retentionDays?: number; sources?: typeof sources } = {}) => {
      const gathered = await gatherDocuments(deps, { defaultLanguage: 'fr', sources, ...extra });
      const docs = await drain(gathered);
      await gathered.commit();
      return { gathered, ids: docs.map((d) => d.raw.sourceId) };
    };
    expect((await run()).ids).toEqual(['https://news.example/a']);
    const same = await run();
    expect(same.ids).toEqual([]);
    expect(same.gathered.clean.reused).toBe(1);
    html = page('Deuxième version du texte, elle aussi assez longue pour faire un vrai paragraphe.');
    expect((await run()).ids).toEqual(['https://news.example/a']);
    // The source is dropped from the config: its item is no longer produced.
    now = new Date('2026-03-10T12:00:00Z');
    const expired = await run({ sources: [], retentionDays: 1 });
    expect(expired.gathered.removed).toEqual(['https://news.example/a']);
  });
});
