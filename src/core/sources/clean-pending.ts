/**
 * Pass 2 of a gather: each pending document of each source, in the sources' order, loaded from its
 * source and cleaned with its chrome group's current counts, one at a time. A document that cannot
 * be loaded, parsed or cleaned is reported as a failure, never thrown; the others go on.
 *
 * Must not: write storage, or hold more than one parsed document (sources drop what they hand out).
 */
import type { Clock } from '../../ports/clock.ts';
import { cleanDocument } from '../clean/clean-document.ts';
import type { CleanDocument } from '../model.ts';
import type { DocumentSource, SourceRun } from './source.ts';

export interface CleanPass {
  readonly run: SourceRun;
  readonly clock: Clock;
  readonly order: readonly { readonly source: DocumentSource; readonly ids: readonly string[] }[];
  readonly clean: { reused: number; cleaned: number };
  readonly timings: { collectMs: number; cleanMs: number };
}

/** Pass 2: each pending document, loaded from its source and cleaned, one at a time. */
export async function* cleanPending(pass: CleanPass): AsyncGenerator<CleanDocument> {
  const { run, clock } = pass;
  const started = clock.now().getTime();
  try {
    for (const { source, ids } of pass.order) {
      for (const id of ids) {
        if (run.signal?.aborted) throw new Error('regeneration abandoned: shutting down');
        const doc = await cleanOne(run, source, id);
        if (!doc) continue;
        pass.clean.cleaned++;
        yield doc;
      }
    }
  } finally {
    pass.timings.cleanMs = clock.now().getTime() - started;
  }
}

/** One document cleaned with its group's current chrome; a failure is reported, never thrown. */
async function cleanOne(run: SourceRun, source: DocumentSource, id: string): Promise<CleanDocument | null> {
  let loaded: Awaited<ReturnType<DocumentSource['load']>>;
  try {
    loaded = await source.load(id);
  } catch (error) {
    run.failures.push({ sourceId: id, message: `could not parse: ${(error as Error).message}` });
    return null;
  }
  if (!loaded) return null;
  const repeatedBlocks = run.chrome.repeatedBlocks(loaded.group, loaded.parsed);
  try {
    return cleanDocument(loaded.parsed, { defaultLanguage: run.language, repeatedBlocks });
  } catch (error) {
    run.failures.push({ sourceId: id, message: `could not clean: ${(error as Error).message}` });
    return null;
  }
}
