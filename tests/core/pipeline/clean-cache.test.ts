import { describe, expect, it } from 'vitest';
import type { RawDocument } from '../../../src/core/model.ts';
import { CACHE_PREFIX, cleanCorpusCached } from '../../../src/core/pipeline/clean-cache.ts';
import { cleanCorpus } from '../../../src/core/pipeline/clean-corpus.ts';
import { createMemoryStorage } from '../../../src/drivers/storage/memory.ts';

const para = (n: number) =>
  `Le conseil municipal a débattu pendant des heures du budget numéro ${n}, et les élus se sont longuement opposés sur les investissements prévus pour les écoles de la commune.`;
const doc = (id: string, body: string): RawDocument => ({
  sourceId: `site/${id}.txt`,
  file: `${id}.txt`,
  source: 'site',
  format: 'text',
  body,
});
const corpus = () => [
  doc('a', `Titre A\n\nPartager sur Facebook\n\n${para(1)}\n\n${para(2)}`),
  doc('b', `Titre B\n\nPartager sur Facebook\n\n${para(3)}\n\n${para(4)}`),
];

describe('cleanCorpusCached', () => {
  it('gives the same result as cleanCorpus, then reuses it while nothing changed', async () => {
    const state = createMemoryStorage();
    const first = await cleanCorpusCached(corpus(), 'fr', state);
    expect(first).toMatchObject({ reused: 0, cleaned: 2 });
    expect(first.documents).toEqual(cleanCorpus(corpus(), 'fr').documents);
    expect((await state.list(CACHE_PREFIX)).length).toBe(2);
    const second = await cleanCorpusCached(corpus(), 'fr', state);
    expect(second).toMatchObject({ reused: 2, cleaned: 0 });
    expect(second.documents).toEqual(first.documents);
  });

  it('re-cleans only the article whose text changed', async () => {
    const state = createMemoryStorage();
    await cleanCorpusCached(corpus(), 'fr', state);
    const edited = corpus();
    edited[1] = doc('b', `Titre B\n\nPartager sur Facebook\n\n${para(3)}\n\n${para(5)}`);
    const run = await cleanCorpusCached(edited, 'fr', state);
    expect(run).toMatchObject({ reused: 1, cleaned: 1 });
    expect(run.documents[1]?.blocks.map((b) => b.text).join(' ')).toContain('budget numéro 5');
  });

  it('treats a corrupt cache entry as a miss', async () => {
    const state = createMemoryStorage();
    await cleanCorpusCached(corpus(), 'fr', state);
    for (const key of await state.list(CACHE_PREFIX)) await state.put(key, new TextEncoder().encode('{oops'));
    expect(await cleanCorpusCached(corpus(), 'fr', state)).toMatchObject({ reused: 0, cleaned: 2 });
  });
});
