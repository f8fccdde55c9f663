/**
 * Build status: what the last regeneration attempt did, stored as JSON under STATUS_KEY (publish/reserved-keys.ts) so the
 * app's /healthz (on Node or the edge) can report it without sharing memory with the builder.
 *
 * Must not: throw on a missing or corrupt status (health reporting must never fail the build or
 * the app; a corrupt status reads as "unknown" = null).
 * Tunables: none.
 */
import type { Storage } from '../../ports/storage.ts';
import { STATUS_KEY } from '../publish/reserved-keys.ts';
import { parseRunSummary, type RunSummary } from './run-summary.ts';

export interface BuildError {
  readonly source?: string;
  readonly message: string;
}

export interface BuildStatus {
  /** ISO-8601 of the last regeneration attempt, successful or not. */
  readonly lastAttemptAt: string | null;
  /** ISO-8601 of the last regeneration that published. */
  readonly lastSuccessAt: string | null;
  readonly itemCount: number;
  readonly durationMs: number | null;
  readonly errors: readonly BuildError[];
  readonly warnings: number;
  /** What the last successful run did (counts, timings, remote sources); absent before issue 5. */
  readonly report?: RunSummary;
  /**
   * Items the cleaning quality gate flagged (issue 3) or that carry a quality warning (e.g. a
   * machine-translation artefact); `heldBack` ones were not published.
   */
  readonly flagged?: readonly FlaggedItem[];
  /** The last runs, newest first (at most MAX_RUNS), for /status. */
  readonly runs?: readonly RunRecord[];
  /** The site as the status page shows it: title, language (its wording), home URL. */
  readonly site?: StatusSite;
}

export interface RunRecord {
  readonly startedAt: string;
  readonly durationMs: number;
  readonly ok: boolean;
  readonly items: number;
}

export interface StatusSite {
  readonly title: string;
  readonly language: string;
  readonly home: string;
}

/** Runs kept in the status. */
export const MAX_RUNS = 10;

/** The new run first, then the previous ones, at most MAX_RUNS. */
export function withRun(previous: BuildStatus | null, run: RunRecord): RunRecord[] {
  return [run, ...(previous?.runs ?? [])].slice(0, MAX_RUNS);
}

function parseRuns(value: unknown): RunRecord[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const out: RunRecord[] = [];
  for (const run of value) {
    if (typeof run !== 'object' || run === null) return undefined;
    const { startedAt, durationMs, ok, items } = run as Record<string, unknown>;
    if (typeof startedAt !== 'string' || typeof durationMs !== 'number' || typeof items !== 'number')
      return undefined;
    out.push({ startedAt, durationMs, ok: ok === true, items });
  }
  return out;
}

function parseSite(value: unknown): StatusSite | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { title, language, home } = value as Record<string, unknown>;
  if (typeof title !== 'string' || typeof language !== 'string' || typeof home !== 'string') return undefined;
  return { title, language, home };
}

/** One item the quality gate flagged: kept too little (published) or nothing (held back). */
export interface FlaggedItem {
  readonly source: string;
  readonly code: string;
  readonly message: string;
  readonly heldBack: boolean;
  readonly title?: string;
}

function parseFlagged(value: unknown): FlaggedItem[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const out: FlaggedItem[] = [];
  for (const item of value) {
    if (typeof item !== 'object' || item === null) return undefined;
    const { source, code, message, heldBack, title } = item as Record<string, unknown>;
    if (typeof source !== 'string' || typeof code !== 'string' || typeof message !== 'string')
      return undefined;
    out.push({
      source,
      code,
      message,
      heldBack: heldBack === true,
      ...(typeof title === 'string' ? { title } : {}),
    });
  }
  return out;
}

function isStringOrNull(value: unknown): value is string | null {
  return value === null || typeof value === 'string';
}

function parseErrors(value: unknown): BuildError[] | null {
  if (!Array.isArray(value)) return null;
  const errors: BuildError[] = [];
  for (const item of value) {
    if (typeof item !== 'object' || item === null) return null;
    const { source, message } = item as Record<string, unknown>;
    if (typeof message !== 'string') return null;
    errors.push(typeof source === 'string' ? { source, message } : { message });
  }
  return errors;
}

/** Reads STATUS_KEY; null when absent or not a valid status. */
export async function readBuildStatus(storage: Storage): Promise<BuildStatus | null> {
  const stored = await storage.get(STATUS_KEY);
  if (!stored) return null;
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(stored.body));
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  const errors = parseErrors(v.errors);
  if (
    !isStringOrNull(v.lastAttemptAt) ||
    !isStringOrNull(v.lastSuccessAt) ||
    typeof v.itemCount !== 'number' ||
    !(v.durationMs === null || typeof v.durationMs === 'number') ||
    typeof v.warnings !== 'number' ||
    errors === null
  ) {
    return null;
  }
  const report = parseRunSummary(v.report);
  const flagged = parseFlagged(v.flagged);
  const runs = parseRuns(v.runs);
  const site = parseSite(v.site);
  return {
    lastAttemptAt: v.lastAttemptAt,
    lastSuccessAt: v.lastSuccessAt,
    itemCount: v.itemCount,
    durationMs: v.durationMs,
    errors,
    warnings: v.warnings,
    ...(report ? { report } : {}),
    ...(flagged && flagged.length > 0 ? { flagged } : {}),
    ...(runs && runs.length > 0 ? { runs } : {}),
    ...(site ? { site } : {}),
  };
}

/** Writes the status as JSON under STATUS_KEY (one atomic put). */
export async function writeBuildStatus(storage: Storage, status: BuildStatus): Promise<void> {
  await storage.put(STATUS_KEY, new TextEncoder().encode(`${JSON.stringify(status, null, 2)}\n`));
}
