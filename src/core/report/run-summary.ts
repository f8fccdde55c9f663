/**
 * The run summary stored with the build status (status.json → `/healthz` and `/status`):
 * counts of added / updated / unchanged / retained items, incremental-cleaning hits, per-stage
 * timings and one line per remote source. Small on purpose: item lists stay in the CLI report.
 *
 * Must not: throw when reading a summary written by an older version (missing or odd → null).
 */
import type { RemoteRunReport } from '../sources/gather-documents.ts';

export interface SourceSummary {
  readonly name: string;
  readonly type: string;
  readonly url: string;
  readonly status: string;
  readonly entries: number;
  readonly items: number;
  readonly failedItems: number;
  readonly ms: number;
  readonly error?: string;
  /** ISO-8601, when the upstream asked (Retry-After) not to be fetched before then. */
  readonly deferredUntil?: string;
}

export interface RunSummary {
  readonly added: number;
  readonly updated: number;
  readonly unchanged: number;
  readonly failed: number;
  /** Items republished from their last good copy (vanished upstream or failing). */
  readonly retained: readonly { readonly sourceId: string; readonly reason: string }[];
  readonly duplicates: number;
  readonly cleanReused: number;
  readonly cleaned: number;
  readonly timings: { readonly collectMs: number; readonly cleanMs: number; readonly publishMs: number };
  readonly sources: readonly SourceSummary[];
}

export function summariseRemote(
  remote: RemoteRunReport | null | undefined,
): Pick<RunSummary, 'retained' | 'duplicates' | 'sources'> {
  return {
    retained: (remote?.retained ?? []).map((r) => ({ sourceId: r.sourceId, reason: r.reason })),
    duplicates: remote?.duplicates.length ?? 0,
    sources: (remote?.sources ?? []).map((s) => ({
      name: s.name,
      type: s.type,
      url: s.url,
      status: s.status,
      entries: s.entries,
      items: s.items,
      failedItems: s.failedItems,
      ms: s.ms,
      ...(s.error ? { error: s.error } : {}),
      ...(s.deferredUntil ? { deferredUntil: s.deferredUntil } : {}),
    })),
  };
}

/** Reads a stored summary leniently: null unless it has the numeric core fields. */
export function parseRunSummary(value: unknown): RunSummary | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  const numbers = ['added', 'updated', 'unchanged', 'failed', 'duplicates', 'cleanReused', 'cleaned'];
  if (!numbers.every((k) => typeof v[k] === 'number')) return null;
  if (
    !Array.isArray(v.retained) ||
    !Array.isArray(v.sources) ||
    typeof v.timings !== 'object' ||
    v.timings === null
  ) {
    return null;
  }
  return value as RunSummary;
}
