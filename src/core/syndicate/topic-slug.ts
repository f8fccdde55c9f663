/**
 * Topic slugs: a tag or publisher label → the URL path segment of its feeds
 * (`/tags/<slug>/feed.xml`). Stable (same label → same slug, whatever the run), URL-safe
 * and case/accent-insensitive, so "Été", "été" and "ete" share one feed.
 *
 * How: NFKD, drop combining marks (accents), lowercase, every run of characters other
 * than Unicode letters and digits → one `-`, trimmed, at most MAX_TOPIC_SLUG_LENGTH.
 * Non-Latin letters are kept (`москва`) and percent-encoded in URLs by the renderers.
 * A label with no letter or digit at all gets `t-<fnv1a hex>` so it still has a feed.
 *
 * Must not: contain `.` or `/` (route keys use the last segment's extension), or read
 * anything but its argument.
 */

export const MAX_TOPIC_SLUG_LENGTH = 60;

/** FNV-1a, 32 bits: a tiny, dependency-free, synchronous stable hash for the fallback slug. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

export function topicSlug(label: string): string {
  const slug = label
    .normalize('NFKD')
    .replace(/\p{Mn}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '');
  // Cut by code point (never inside a surrogate pair), then drop a dangling dash.
  const cut = [...slug].slice(0, MAX_TOPIC_SLUG_LENGTH).join('').replace(/-+$/, '');
  return cut === '' ? `t-${fnv1a(label.trim())}` : cut;
}
