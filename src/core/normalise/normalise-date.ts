/**
 * A stated date (front matter, meta tags, an upstream entry) → an ISO-8601 UTC string every format
 * can carry, or the reason it is refused. Checked once here; renderers trust the result.
 *
 * Accepted: a parseable date from 1970-01-01T00:00:00Z up to (not including) 2100-01-01T00:00:00Z
 * (DATE_RANGE). Outside it RFC 3339 (Atom), RFC 822 (RSS) and JSON Feed readers disagree or fail:
 * `-000100-01-01` became Atom `<published>-000100-…` and RSS `Mon, 01 Jan -0100`; an epoch of
 * 99999999999999 ms became year 5138. The upper bound is fixed, not "now + 1 day": normalise never
 * reads the clock, and an item's content hash must not change with the day it is rebuilt.
 * Impossible dates (`2023-02-30T25:61:00Z`) are refused too: JavaScript's Date would roll
 * 30 February over into March, so the calendar fields are checked against what was written.
 * Refused → the caller warns (file and field) and falls back to the first-seen date.
 *
 * Must not: read the clock, or guess (a number, as YAML gives `date: 1700000000000`, is milliseconds
 * since 1970, as Date reads it; text is read by Date.parse).
 */

/** Accepted dates: [from, until). */
export const DATE_RANGE = { from: Date.UTC(1970, 0, 1), until: Date.UTC(2100, 0, 1) } as const;

/** `2023-02-30T25:61:00Z` and kin: written calendar fields, checked one by one. */
const ISO_FIELDS = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?/;

export type CheckedDate = { readonly iso: string } | { readonly refused: string };

function impossible(text: string): string | null {
  const m = ISO_FIELDS.exec(text);
  if (m === null) return null;
  const [year, month, day, hour, minute, second] = m.slice(1).map((v) => (v === undefined ? 0 : Number(v)));
  if (month === undefined || month < 1 || month > 12) return 'has no such month';
  const days = new Date(Date.UTC(year ?? 0, month, 0)).getUTCDate();
  if (day === undefined || day < 1 || day > days) return 'has no such day';
  if ((hour ?? 0) > 23 || (minute ?? 0) > 59 || (second ?? 0) > 60) return 'has no such time';
  return null;
}

/** The ISO-8601 form of a stated date (a number: milliseconds since 1970), or why it is refused. */
export function checkDate(value: string | number): CheckedDate {
  let time: number;
  if (typeof value === 'number') time = value;
  else {
    const text = value.trim();
    const why = impossible(text);
    if (why !== null) return { refused: why };
    time = Date.parse(text);
  }
  if (Number.isNaN(time)) return { refused: 'is not a date' };
  if (time < DATE_RANGE.from || time >= DATE_RANGE.until) return { refused: 'is outside 1970–2099' };
  return { iso: new Date(time).toISOString() };
}
