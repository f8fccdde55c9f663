/**
 * The build report of a run that never started (content folder missing, another build holding
 * the publish lock): nothing read, written or published. Shared by the Node and Worker entries so
 * both report a refused run the same way.
 *
 * Must not: import a driver or anything runtime-specific (the Worker's pipeline module bundles it).
 */
import type { BuildReport } from '../core/orchestrate/regenerate.ts';

export function notStartedReport(error: string, startedAt: string): BuildReport {
  return {
    ok: false,
    startedAt,
    durationMs: 0,
    itemCount: 0,
    added: [],
    updated: [],
    unchanged: 0,
    failed: [],
    skipped: [],
    changedDocuments: [],
    removedDocuments: [],
    warnings: 0,
    error,
  };
}
