/**
 * The contract every document source passes (src/core/sources/source.ts): local files, upstream
 * feeds, article URLs. Call `describeSourceContract(name, makeWorld)` from an implementation's
 * test file; `makeWorld` returns fresh inputs and a fresh memory state on every call.
 */
import { describe, expect, it } from 'vitest';
import { createChromeIndex } from '../../../src/core/sources/chrome-index.ts';
import { createCorpusChrome } from '../../../src/core/sources/corpus-chrome.ts';
import type { DocumentSource, SourceRun } from '../../../src/core/sources/source.ts';
import type { Storage } from '../../../src/ports/storage.ts';

/** Far from every write time, so no input counts as "racy". */
export const RUN_STARTED_AT = Date.UTC(2100, 0, 1);

export interface SourceWorld {
  readonly state: Storage;
  /** A source over the current inputs, for a run that follows the last commit. */
  open(run: SourceRun): DocumentSource;
  /** The state keys whose content decides what the next run sees as changed (written by commit). */
  owns(key: string): boolean;
  /** Makes one input fail to load (an unreadable file, a page that answers 500); returns its id. */
  breakOne(): Promise<string>;
  /** Edits one input's text; returns its id. */
  editOne(): Promise<string>;
  /** Takes one input away for good (deleted, or gone upstream past retention); returns its id. */
  removeOne(): Promise<string>;
}

interface SourcePass {
  readonly source: DocumentSource;
  readonly run: SourceRun;
  readonly ids: readonly string[];
  readonly loaded: readonly string[];
}

/** One run of a source on its own: open, scan, load every pending document (nothing committed). */
export async function passOver(world: SourceWorld, full: boolean): Promise<SourcePass> {
  const chrome = createChromeIndex(world.state, { fresh: true });
  const run: SourceRun = {
    full,
    language: 'fr',
    startedAt: RUN_STARTED_AT,
    chrome: createCorpusChrome(chrome, full),
    failures: [],
    removed: [],
  };
  const source = world.open(run);
  await source.open();
  await source.scan();
  const ids = source.pendingIds();
  const loaded: string[] = [];
  for (const id of ids) {
    const doc = await source.load(id);
    if (doc) loaded.push(doc.parsed.raw.sourceId);
  }
  return { source, run, ids, loaded };
}

async function snapshot(world: SourceWorld): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const key of (await world.state.list('')).filter((k) => world.owns(k)).sort()) {
    out[key] = new TextDecoder().decode((await world.state.get(key))?.body ?? new Uint8Array());
  }
  return out;
}

export function describeSourceContract(name: string, makeWorld: () => Promise<SourceWorld>): void {
  describe(`Source contract: ${name}`, () => {
    it('yields every document of a first run, each loadable, in a deterministic order', async () => {
      const first = await passOver(await makeWorld(), true);
      const again = await passOver(await makeWorld(), true);
      expect(first.ids.length).toBeGreaterThan(1);
      expect(first.ids).toEqual(again.ids);
      expect(first.loaded).toEqual(first.ids);
      expect(first.run.failures).toEqual([]);
    });

    it('reports a failing input instead of throwing, and still yields the others', async () => {
      const world = await makeWorld();
      const healthy = await passOver(await makeWorld(), true);
      const broken = await world.breakOne();
      const pass = await passOver(world, true);
      expect(pass.run.failures.map((f) => f.sourceId)).toContain(broken);
      expect(pass.ids).toEqual(healthy.ids.filter((id) => id !== broken));
    });

    it('writes nothing it owns before commit, and its state after', async () => {
      const world = await makeWorld();
      const before = await snapshot(world);
      const pass = await passOver(world, true);
      expect(await snapshot(world)).toEqual(before);
      await pass.source.commit();
      expect(Object.keys(await snapshot(world)).length).toBeGreaterThan(0);
    });

    it('commits what the next run needs: an unchanged second run yields no changes', async () => {
      const world = await makeWorld();
      const first = await passOver(world, true);
      await first.source.commit();
      const second = await passOver(world, false);
      expect(second.ids).toEqual([]);
      expect(second.run.removed).toEqual([]);
      expect(second.run.failures).toEqual([]);
      expect(second.source.unchanged()).toBe(first.ids.length);
    });

    it('yields exactly the edited document on the run after an edit', async () => {
      const world = await makeWorld();
      await (await passOver(world, true)).source.commit();
      const edited = await world.editOne();
      const next = await passOver(world, false);
      expect(next.ids).toEqual([edited]);
      expect(next.loaded).toEqual([edited]);
    });

    it('reports an input taken away as gone, not as a failure', async () => {
      const world = await makeWorld();
      await (await passOver(world, true)).source.commit();
      const gone = await world.removeOne();
      const next = await passOver(world, false);
      expect(next.run.removed).toEqual([gone]);
      expect(next.run.failures).toEqual([]);
      expect(next.ids).toEqual([]);
    });
  });
}
