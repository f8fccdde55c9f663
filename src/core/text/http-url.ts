/**
 * A link as written → its absolute http(s) form against a base, or undefined when it does not
 * parse or names another scheme (javascript:, data:, mailto: …). Shared by the HTML loader (image
 * and media addresses) and the upstream feed parser (item links, images, enclosures).
 *
 * Must not: fetch, canonicalise (remote/canonical-url.ts does) or clean the text first: callers
 * that must drop control characters do so before (load/html-media.ts).
 */
export function resolveHttpUrl(link: string, base: string | undefined): string | undefined {
  try {
    const url = new URL(link, base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}
