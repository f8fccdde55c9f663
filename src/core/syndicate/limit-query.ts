/**
 * `?limit=N` on feeds, kept a lookup: a few limits are published as documents of their own
 * under the route `<feed path>?limit=<L>` (the query is part of the route, hence of the
 * manifest key and of every cache key), and a request maps to one of them.
 *
 * Request rules (decided here, applied by the app):
 * - no `limit` → the feed itself;
 * - `limit` exactly one of the published L (canonical spelling) → that document;
 * - any other positive integer N → a redirect to the smallest published L ≥ N, or to the
 *   feed itself when none is (the feed holds at most feedSize items, so "N or more" is
 *   honoured as far as it can be; a reader never gets fewer items than it asked for when
 *   more exist);
 * - anything else (`0`, `-1`, `abc`, `1.5`, repeated `limit`) → 400: a client bug that a
 *   silent clamp would hide. Other query parameters are ignored (cache-busters are common).
 *
 * Must not: render anything (the app never renders); limits come from configuration.
 */

export const LIMIT_PARAM = 'limit';

/** The route path of a limit variant: `/feed.xml` + 10 → `/feed.xml?limit=10`. */
export function limitVariantPath(path: string, limit: number): string {
  return `${path}?${LIMIT_PARAM}=${limit}`;
}

export type LimitRequest =
  | { readonly kind: 'none' }
  | { readonly kind: 'limit'; readonly value: number; readonly canonical: boolean }
  | { readonly kind: 'invalid'; readonly message: string };

/** Reads `limit` from a query string (with or without its `?`). */
export function parseLimitQuery(search: string): LimitRequest {
  const values = new URLSearchParams(search).getAll(LIMIT_PARAM);
  if (values.length === 0) return { kind: 'none' };
  if (values.length > 1) return { kind: 'invalid', message: 'limit may be given only once' };
  const raw = values[0] ?? '';
  if (!/^\d{1,9}$/.test(raw) || Number(raw) < 1) {
    return { kind: 'invalid', message: `limit must be a positive integer, got ${JSON.stringify(raw)}` };
  }
  const value = Number(raw);
  return { kind: 'limit', value, canonical: String(value) === raw };
}

/**
 * The published limit to redirect N to: the smallest L ≥ N among `published`, or null for
 * "the feed itself".
 */
export function nearestLimit(requested: number, published: readonly number[]): number | null {
  let best: number | null = null;
  for (const limit of published) {
    if (limit >= requested && (best === null || limit < best)) best = limit;
  }
  return best;
}
