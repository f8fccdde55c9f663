/**
 * URL serialisation for rendered documents: a URL string → its WHATWG serialisation
 * (`new URL(x).href`), so every format writes the same valid URI: `<`, `>`, spaces
 * and non-ASCII path characters percent-encoded, hosts in punycode.
 *
 * Must not: resolve relative URLs (the normalise stage makes item URLs absolute) or
 * fetch anything. Spec: https://url.spec.whatwg.org/#concept-url-serializer
 * Tunables: HREF_CACHE_SIZE.
 */

/**
 * Serialisations remembered: every feed of a run writes the same site, scope and item URLs
 * again (a URL parse costs a few microseconds, thousands of times per run). A pure function of
 * its input, so a cache cannot change output; cleared when full to stay bounded.
 */
const HREF_CACHE_SIZE = 4096;
const hrefCache = new Map<string, string>();

/** The serialised URL, or the input unchanged when it does not parse. */
export function toHref(url: string): string {
  const cached = hrefCache.get(url);
  if (cached !== undefined) return cached;
  const href = URL.canParse(url) ? new URL(url).href : url;
  if (hrefCache.size >= HREF_CACHE_SIZE) hrefCache.clear();
  hrefCache.set(url, href);
  return href;
}

/**
 * The serialised URL when it is absolute http(s), else `undefined`: optional links
 * from source metadata (an external URL, an image) are dropped rather than emitted
 * as `javascript:` or unparseable values.
 */
export function toHttpHref(url: string | undefined): string | undefined {
  if (url === undefined || !URL.canParse(url)) return undefined;
  const parsed = new URL(url);
  return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : undefined;
}
