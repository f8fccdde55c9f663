/**
 * Canonical URLs: the identity of a remote item. An absolute (or base-relative) URL → one
 * spelling: lower-case scheme and host, no default port, no fragment, no tracking parameters,
 * remaining query parameters sorted. Two links to the same story with different campaign tags
 * therefore map to one item.
 *
 * Must not: fetch, or drop parameters that select content (`id`, `p`, `page`…): only the
 * well-known tracking families in TRACKING_PARAMS / TRACKING_PREFIXES are removed.
 */

/** Exact parameter names added by analytics and mailing tools (lower-case). */
export const TRACKING_PARAMS: ReadonlySet<string> = new Set([
  'fbclid',
  'gclid',
  'dclid',
  'gbraid',
  'wbraid',
  'msclkid',
  'yclid',
  'twclid',
  'igshid',
  'mc_cid',
  'mc_eid',
  '_ga',
  '_gl',
  '_hsenc',
  '_hsmi',
  'mkt_tok',
  'vero_id',
  'oly_anon_id',
  'oly_enc_id',
  'rb_clickid',
  's_cid',
  'cmpid',
  'xtor', // AT Internet, ubiquitous on French news sites
  'xts',
  'ens_id',
  'ref_src',
  'ref_url',
]);

/** Parameter-name prefixes of tracking families (`utm_source`, `at_medium`, `pk_campaign`…). */
export const TRACKING_PREFIXES: readonly string[] = ['utm_', 'at_', 'pk_', 'mtm_', 'ns_', 'itm_', 'hsa_'];

function isTracking(name: string): boolean {
  const lower = name.toLowerCase();
  return TRACKING_PARAMS.has(lower) || TRACKING_PREFIXES.some((prefix) => lower.startsWith(prefix));
}

/** An error naming the URL that could not be canonicalised. */
export class InvalidUrlError extends Error {
  override readonly name = 'InvalidUrlError';
}

/**
 * The canonical spelling of `url` (resolved against `base` when relative). Throws
 * InvalidUrlError for unparsable URLs and non-http(s) schemes.
 */
export function canonicaliseUrl(url: string, base?: string): string {
  let parsed: URL;
  try {
    parsed = base === undefined ? new URL(url.trim()) : new URL(url.trim(), base);
  } catch {
    throw new InvalidUrlError(`not a valid URL: ${JSON.stringify(url)}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new InvalidUrlError(`only http(s) URLs are fetched, got ${JSON.stringify(parsed.protocol)}`);
  }
  parsed.hash = '';
  parsed.username = '';
  parsed.password = '';
  const kept = [...parsed.searchParams.entries()].filter(([name]) => !isTracking(name));
  kept.sort(([a, av], [b, bv]) => (a === b ? (av < bv ? -1 : av > bv ? 1 : 0) : a < b ? -1 : 1));
  parsed.search = kept.length ? `?${new URLSearchParams(kept).toString()}` : '';
  // URL already lower-cases the host and drops default ports.
  return parsed.href;
}

/** Like canonicaliseUrl, but null instead of throwing. */
export function tryCanonicaliseUrl(url: string, base?: string): string | null {
  try {
    return canonicaliseUrl(url, base);
  } catch {
    return null;
  }
}
