/**
 * The removal guard: a run that would unpublish every item or more than half of them is refused
 * and changes nothing published; a few deletions, or `allowRemovals`, go through.
 */
import { describe, expect, it } from 'vitest';
import { generateArticle } from '../../../scripts/generate-corpus.ts';
import { regenerate } from '../../../src/core/orchestrate/regenerate.ts';
import { guardRemovals, RemovalRefusedError } from '../../../src/core/publish/removal-guard.ts';
import { STATUS_KEY } from '../../../src/core/publish/reserved-keys.ts';
import type { Storage } from '../../../src/ports/storage.ts';
import { memoryRun } from '../../support/memory-run.ts';
import { SITE } from '../normalise/fixtures.ts';

const OPTIONS = { site: SITE, feedSize: 4, syndication: { archivePageSize: 3, feedLimits: [2], hubs: [] } };

async function snapshot(storage: Storage): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const key of await storage.list('')) {
    if (key === STATUS_KEY) continue; // the failed attempt is recorded for /healthz
    out.set(key, new TextDecoder().decode((await storage.get(key))?.body));
  }
  return out;
}

async function setup(count: number) {
  const run = memoryRun();
  const { deps } = run;
  const { content } = deps;
  const paths: string[] = [];
  for (let i = 0; i < count; i++) {
    const article = generateArticle(3, i, 0);
    await content.put(article.path, new TextEncoder().encode(article.body));
    paths.push(article.path);
  }
  expect((await regenerate(deps, OPTIONS)).ok).toBe(true);
  const advance = () => run.advance(900_000);
  return { deps, content, paths, advance };
}

describe('guardRemovals', () => {
  it('refuses every item or more than half, allows half or fewer', () => {
    expect(() => guardRemovals(10, 10, false)).toThrow(RemovalRefusedError);
    expect(() => guardRemovals(6, 10, false)).toThrow(/refusing to unpublish 6 of 10 published items/);
    expect(() => guardRemovals(1, 1, false)).toThrow(/every item/);
    expect(() => guardRemovals(5, 10, false)).not.toThrow();
    expect(() => guardRemovals(10, 10, true)).not.toThrow();
    expect(() => guardRemovals(0, 0, false)).not.toThrow();
  });
});

describe('regenerate with the removal guard', () => {
  it('refuses to empty the site (an empty content store), changing nothing published', async () => {
    const { deps, content, paths, advance } = await setup(6);
    const before = await snapshot(deps.published);
    for (const path of paths) await content.delete(path);
    advance();
    const report = await regenerate(deps, OPTIONS);
    expect(report.ok).toBe(false);
    expect(report.error).toMatch(/refusing to unpublish 6 of 6 published items \(every item\)/);
    expect(report.error).toMatch(/--allow-removals/);
    expect(await snapshot(deps.published)).toEqual(before);
    // Hinted or not, the same answer; and the refusal leaves nothing half-done.
    const hinted = await regenerate(deps, { ...OPTIONS, changedKeys: paths });
    expect(hinted.ok).toBe(false);
    expect(await snapshot(deps.published)).toEqual(before);
    // Allowed: the site empties.
    const allowed = await regenerate(deps, { ...OPTIONS, allowRemovals: true });
    expect(allowed.ok, allowed.error).toBe(true);
    expect(allowed.itemCount).toBe(0);
  });

  it('refuses more than half, lets a few deletions through', async () => {
    const { deps, content, paths, advance } = await setup(6);
    const before = await snapshot(deps.published);
    for (const path of paths.slice(0, 4)) await content.delete(path);
    advance();
    const refused = await regenerate(deps, { ...OPTIONS, changedKeys: paths.slice(0, 4) });
    expect(refused.error).toMatch(/refusing to unpublish 4 of 6 published items \(more than half/);
    expect(await snapshot(deps.published)).toEqual(before);
    // Put two back: deleting two of six is a deliberate delete and goes through.
    for (const [i, path] of paths.slice(0, 2).entries()) {
      const article = generateArticle(3, i, 0);
      await content.put(path, new TextEncoder().encode(article.body));
    }
    const ok = await regenerate(deps, { ...OPTIONS, changedKeys: paths.slice(0, 4) });
    expect(ok.ok, ok.error).toBe(true);
    expect(ok.itemCount).toBe(4);
  });
});
