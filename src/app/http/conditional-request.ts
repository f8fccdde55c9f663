/**
 * Conditional GET evaluation (RFC 9110 §13): request validators + the representation's
 * validators → "not modified?". If-None-Match is evaluated with the weak comparison and, when
 * present, If-Modified-Since is ignored (§13.1.3, §13.2.2). An invalid If-Modified-Since date is
 * ignored (§13.1.3). https://www.rfc-editor.org/rfc/rfc9110#section-13.1
 *
 * Must not: hash or read bodies; validators come from the manifest.
 * Tunables: none.
 */

export interface RequestValidators {
  readonly ifNoneMatch?: string | undefined;
  readonly ifModifiedSince?: string | undefined;
}

export interface RepresentationValidators {
  /** Opaque tags (quoted, without `W/`) that name this resource's current bytes in any coding. */
  readonly etags: readonly string[];
  /** Milliseconds since the epoch, whole seconds. */
  readonly lastModified: number;
}

const IMF_FIXDATE =
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;
/** Obsolete forms recipients must still accept: RFC 850 and asctime. */
const RFC850_DATE = /^[A-Z][a-z]+day, \d{2}-[A-Z][a-z]{2}-\d{2} \d{2}:\d{2}:\d{2} GMT$/;
const ASCTIME_DATE = /^[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2} \d{4}$/;

/** An HTTP-date (§5.6.7) → epoch ms, or null when it is not one. */
export function parseHttpDate(value: string): number | null {
  const trimmed = value.trim();
  let candidate = trimmed;
  if (ASCTIME_DATE.test(trimmed)) candidate = `${trimmed} GMT`;
  else if (!IMF_FIXDATE.test(trimmed) && !RFC850_DATE.test(trimmed)) return null;
  const ms = Date.parse(candidate);
  return Number.isNaN(ms) ? null : ms;
}

/** The opaque tags of an If-None-Match list (`W/` dropped: weak comparison), or `*`. */
function parseEntityTags(header: string): '*' | string[] {
  if (header.trim() === '*') return '*';
  // Commas are legal inside an opaque tag, so match tags instead of splitting on commas.
  return [...header.matchAll(/(?:W\/)?("[^"]*")/g)].map((match) => match[1] ?? '');
}

/** True when the response should be 304 Not Modified. */
export function isNotModified(request: RequestValidators, current: RepresentationValidators): boolean {
  if (request.ifNoneMatch !== undefined) {
    const tags = parseEntityTags(request.ifNoneMatch);
    // `*` matches any current representation; the caller only asks for published documents.
    if (tags === '*') return true;
    return tags.some((tag) => current.etags.includes(tag));
  }
  if (request.ifModifiedSince !== undefined) {
    const since = parseHttpDate(request.ifModifiedSince);
    if (since === null) return false;
    return current.lastModified <= since;
  }
  return false;
}
