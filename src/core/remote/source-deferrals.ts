/**
 * Remote sources an upstream asked us to leave alone for a while: a 429 or 503 answer with a
 * `Retry-After` (seconds or an HTTP date) → "source S deferred until T", kept in the state store
 * (`remote/deferred.json`, same Storage on Node and the Worker) so the next runs skip S until T
 * instead of forgetting the request. Keyed by the source's canonical URL: a feed whose entry page
 * answers 429 is deferred as a whole (it is the same site asking); other sources on the host are not.
 *
 * Must not: fetch, read the clock (callers pass `now`), or throw on a corrupt record (read as none).
 * Spec: RFC 9110 §10.2.3 (Retry-After), RFC 6585 §4 (429).
 */
import type { Storage } from '../../ports/storage.ts';

export const DEFERRALS_KEY = 'remote/deferred.json';

export interface SourceDeferral {
  /** ISO-8601: the source is not fetched before this instant. */
  readonly until: string;
  /** The status that asked for it (429 or 503). */
  readonly status: number;
  /** The URL that answered (the feed, an entry page or the article). */
  readonly url: string;
}

/** Source URL (canonical) → its deferral. */
export type SourceDeferrals = Readonly<Record<string, SourceDeferral>>;

/** A fetch not made, or given up, because the upstream asked to wait until `until`. */
export class DeferredError extends Error {
  override readonly name = 'DeferredError';
  constructor(
    readonly until: string,
    /** The status that asked for it, when this fetch got the answer (absent: deferred earlier). */
    readonly status?: number,
  ) {
    super(`deferred until ${until}`);
  }
}

/** Milliseconds a `Retry-After` value asks for, or null when absent or unreadable. */
export function parseRetryAfter(value: string | null, nowMs: number): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? null : Math.max(0, date - nowMs);
}

/** The instant a 429/503 response asks to wait until, or null (other status, no Retry-After). */
export function deferredUntil(status: number, retryAfter: string | null, now: Date): string | null {
  if (status !== 429 && status !== 503) return null;
  const ms = parseRetryAfter(retryAfter, now.getTime());
  return ms === null ? null : new Date(now.getTime() + ms).toISOString();
}

/** The deferrals still in force at `now` (expired ones dropped). */
export async function loadDeferrals(state: Storage, now: Date): Promise<SourceDeferrals> {
  const stored = await state.get(DEFERRALS_KEY);
  if (!stored) return {};
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(stored.body));
  } catch {
    return {};
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  const out: Record<string, SourceDeferral> = {};
  for (const [source, d] of Object.entries(value as Record<string, Partial<SourceDeferral>>)) {
    if (typeof d?.until !== 'string' || typeof d.status !== 'number' || typeof d.url !== 'string') continue;
    if (Date.parse(d.until) > now.getTime()) out[source] = { until: d.until, status: d.status, url: d.url };
  }
  return out;
}

/** Stores the deferrals, or removes the record when none is left; writes only when the bytes differ. */
export async function saveDeferrals(state: Storage, deferrals: SourceDeferrals): Promise<void> {
  const entries = Object.entries(deferrals).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const stored = await state.get(DEFERRALS_KEY);
  if (entries.length === 0) {
    if (stored) await state.delete(DEFERRALS_KEY);
    return;
  }
  const text = `${JSON.stringify(Object.fromEntries(entries))}\n`;
  if (stored && new TextDecoder().decode(stored.body) === text) return;
  await state.put(DEFERRALS_KEY, new TextEncoder().encode(text));
}
