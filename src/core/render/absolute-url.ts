/**
 * URL serialisation for rendered documents: a URL string → its WHATWG serialisation
 * (`new URL(x).href`), so every format writes the same valid URI: `<`, `>`, spaces
 * and non-ASCII path characters percent-encoded, hosts in punycode.
 *
 * Must not: resolve relative URLs (the normalise stage makes item URLs absolute) or
 * fetch anything. Spec: https://url.spec.whatwg.org/#concept-url-serializer
 */

/** The serialised URL, or the input unchanged when it does not parse. */
export function toHref(url: string): string {
  return URL.canParse(url) ? new URL(url).href : url;
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
