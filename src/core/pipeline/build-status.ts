/**
 * Build status: what the last regeneration attempt did, stored as JSON under STATUS_KEY so the
 * app's /healthz (on Node or the edge) can report it without sharing memory with the builder.
 *
 * Must not: throw on a missing or corrupt status (health reporting must never fail the build or
 * the app; a corrupt status reads as "unknown" = null).
 * Tunables: none.
 */
import type { Storage } from '../../ports/storage.ts';
import { parseRunSummary, type RunSummary } from './run-summary.ts';

export const STATUS_KEY = 'status.json';

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
  /** Items the cleaning quality gate flagged (issue 3); `heldBack` ones were not published. */
  readonly flagged?: readonly FlaggedItem[];
}

/** One item the quality gate flagged: kept too little (published) or nothing (held back). */
export interface FlaggedItem {
  readonly source: string;
  readonly code: string;
  readonly message: string;
  readonly heldBack: boolean;
}

function parseFlagged(value: unknown): FlaggedItem[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const out: FlaggedItem[] = [];
  for (const item of value) {
    if (typeof item !== 'object' || item === null) return undefined;
    const { source, code, message, heldBack } = item as Record<string, unknown>;
    if (typeof source !== 'string' || typeof code !== 'string' || typeof message !== 'string')
      return undefined;
    out.push({ source, code, message, heldBack: heldBack === true });
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
  return {
    lastAttemptAt: v.lastAttemptAt,
    lastSuccessAt: v.lastSuccessAt,
    itemCount: v.itemCount,
    durationMs: v.durationMs,
    errors,
    warnings: v.warnings,
    ...(report ? { report } : {}),
    ...(flagged && flagged.length > 0 ? { flagged } : {}),
  };
}

/** Writes the status as JSON under STATUS_KEY (one atomic put). */
export async function writeBuildStatus(storage: Storage, status: BuildStatus): Promise<void> {
  await storage.put(STATUS_KEY, new TextEncoder().encode(`${JSON.stringify(status, null, 2)}\n`));
}
