/**
 * Date formatting for renderers: ISO-8601 string (from an item or `doc.updated`)
 * → RFC 822 (RSS), RFC 3339 (Atom, JSON Feed) or a calendar day (HTML pages).
 *
 * Must not: read the clock. Every date comes in as a string; `new Date(ms)` below
 * only wraps an instant already parsed from that string.
 * Specs: RSS 2.0 dates are RFC 822 with four-digit years
 * (https://www.rssboard.org/rss-specification#ltpubdategtSubelementOfLtitemgt);
 * Atom dates are RFC 3339 with uppercase T and Z (RFC 4287 §3.3).
 */

/** A date-time without offset; ECMAScript would read it as *local* time, so UTC is made explicit. */
const NO_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?$/;

function toInstant(iso: string): Date {
  const ms = Date.parse(NO_OFFSET.test(iso) ? `${iso}Z` : iso);
  if (Number.isNaN(ms)) {
    throw new RangeError(`render: expected an ISO-8601 date, got ${JSON.stringify(iso)}`);
  }
  return new Date(ms);
}

/** `Tue, 03 Jun 2025 10:00:00 GMT` — the RFC 822 form RSS readers parse everywhere. */
export function toRfc822(iso: string): string {
  return toInstant(iso).toUTCString();
}

/** `2025-06-03T10:00:00Z` — RFC 3339 in UTC; milliseconds only when non-zero. */
export function toRfc3339(iso: string): string {
  return toInstant(iso).toISOString().replace('.000Z', 'Z');
}

/**
 * `2025-06-03` — the UTC calendar day. Locale formatting (Intl) is avoided on
 * purpose: ICU data differs between Node and edge runtimes, which would break
 * byte-identical output.
 */
export function toIsoDay(iso: string): string {
  return toInstant(iso).toISOString().slice(0, 10);
}

/** The later of two ISO dates, as given. */
export function laterOf(a: string, b: string): string {
  return toInstant(b).getTime() > toInstant(a).getTime() ? b : a;
}
