/**
 * Recognisers for the lines around an article that name who wrote or supplied it and when:
 * bylines ("By Jane Doe"), lone author names before a bio, trailing agency credits ("AFP",
 * "Source: Reuters", "RT"), and date lines ("Publié le 29 septembre 2023").
 * Input: one block's text. Output: the extracted value, or null when the line is not of that kind.
 *
 * Must not: decide positions (clean-document.ts only asks about head/tail blocks).
 * Patterns, agency names and month names live in rules.ts.
 */

import { intlMonth } from './intl-months.ts';
import {
  AGENCY_NAMES,
  ALL_CAPS_CREDIT_PATTERN,
  AUTHOR_BIO_HEADER_PATTERN,
  BYLINE_NAME_PATTERN,
  BYLINE_PREFIX_PATTERN,
  CREDIT_PREFIX_PATTERN,
  DATE_LINE_PREFIX_PATTERN,
  MONTH_NAMES,
  PERSON_NAME_PATTERN,
  THRESHOLDS,
} from './rules.ts';

const AGENCIES = new Set(AGENCY_NAMES.map((n) => n.toLowerCase()));
const CREDIT_SPLIT = /\s*(?:\/|,|&|\+|\band\b|\bet\b|\bund\b|\by\b|\be\b|\bi\b|\bи\b)\s*/iu;

/** "By Jane Doe" → "Jane Doe"; null when the line is not a byline. */
export function matchByline(text: string): string | null {
  if (text.length > 120) return null;
  const prefix = BYLINE_PREFIX_PATTERN.exec(text);
  if (!prefix) return null;
  const m = BYLINE_NAME_PATTERN.exec(text.slice(prefix[0].length));
  return m?.[1] ? m[1].trim() : null;
}

/** Whether the line is a bare person name (1–4 capitalised words). */
export function isPersonName(text: string): boolean {
  return PERSON_NAME_PATTERN.test(text) && text.split(/\s+/).length <= THRESHOLDS.authorNameMaxWords;
}

/** "About the author" and its translations. */
export function isAuthorBioHeader(text: string): boolean {
  return text.length <= 60 && AUTHOR_BIO_HEADER_PATTERN.test(text);
}

/**
 * A trailing credit line → the credited name(s), e.g. "Source: AFP / Reuters" → "AFP / Reuters",
 * "RT" → "RT". Null for anything longer or not shaped like a credit.
 */
export function matchCredit(text: string): string | null {
  if (text.length > THRESHOLDS.creditMaxChars) return null;
  const body = text
    .replace(CREDIT_PREFIX_PATTERN, '')
    .replace(/^[\s(]+|[\s).]+$/gu, '')
    .trim();
  if (!body) return null;
  const parts = body.split(CREDIT_SPLIT).filter((p) => p.length > 0);
  const ok = parts.every((p) => AGENCIES.has(p.toLowerCase()) || ALL_CAPS_CREDIT_PATTERN.test(p));
  return ok && parts.length > 0 ? body : null;
}

function iso(year: number, month: number, day: number): string | null {
  if (month < 1 || month > 12 || day < 1 || day > 31 || year < 1900 || year > 2200) return null;
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCDate() === day ? d.toISOString() : null;
}

const ISO_DATE = /\b(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?(Z|[+-]\d{2}:?\d{2})?)?/u;
const NUMERIC_DATE = /\b(\d{1,2})[./](\d{1,2})[./](\d{4})\b/u;
const DAY_MONTH_YEAR = /\b(\d{1,2})(?:er|\.)?\s+(?:de\s+)?(\p{L}+)\.?,?\s+(?:de\s+)?(\d{4})\b/u;
const MONTH_DAY_YEAR = /\b(\p{L}+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b/u;
const CJK_DATE = /(\d{4})\s*[年년]\s*(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일]/u;

/** A month name in the hand-written table (rules.ts) or in the runtime's Intl data. */
const monthOf = (word: string | undefined): number | undefined => {
  const key = (word ?? '').toLowerCase();
  return MONTH_NAMES[key] ?? intlMonth(key);
};

/** A time right after a written date: "à 08h15", "19:58", "um 8.15 Uhr", "a las 10:30", "в 14:00". */
const TIME_AFTER = /^,?\s*(?:at|à|a las|alle|às|um|o|godz\.?|в|kl\.?|-|–)?\s*(\d{1,2})[:h.](\d{2})(?![\d])/iu;

/**
 * The date found by `match`, with the time written right after it when there is one. The page's
 * time zone is unknown: the time is read as UTC, like the date.
 */
function withTime(dayIso: string, text: string, match: RegExpExecArray): FoundDate {
  const end = match.index + match[0].length;
  const t = TIME_AFTER.exec(text.slice(end));
  const hours = Number(t?.[1]);
  const minutes = Number(t?.[2]);
  if (!t || hours > 23 || minutes > 59) return { iso: dayIso, length: match[0].length };
  const d = new Date(dayIso);
  d.setUTCHours(hours, minutes);
  return { iso: d.toISOString(), length: match[0].length + t[0].length };
}

export interface FoundDate {
  readonly iso: string;
  /** How many characters of the input the date itself took (to tell a date line from prose). */
  readonly length: number;
}

/** The first date written in `text` (ISO, numeric day-first, or with a month name), as ISO-8601 UTC. */
export function findDate(text: string): FoundDate | null {
  const isoMatch = ISO_DATE.exec(text);
  if (isoMatch) {
    const d = new Date(isoMatch[0].replace(' ', 'T'));
    const value = Number.isNaN(d.getTime())
      ? iso(Number(isoMatch[1]), Number(isoMatch[2]), Number(isoMatch[3]))
      : d.toISOString();
    if (value) return { iso: value, length: isoMatch[0].length };
  }
  const cjk = CJK_DATE.exec(text);
  if (cjk) {
    const value = iso(Number(cjk[1]), Number(cjk[2]), Number(cjk[3]));
    if (value) return { iso: value, length: cjk[0].length };
  }
  const dmy = DAY_MONTH_YEAR.exec(text);
  if (dmy) {
    const month = monthOf(dmy[2]);
    const value = month ? iso(Number(dmy[3]), month, Number(dmy[1])) : null;
    if (value) return withTime(value, text, dmy);
  }
  const mdy = MONTH_DAY_YEAR.exec(text);
  if (mdy) {
    const month = monthOf(mdy[1]);
    const value = month ? iso(Number(mdy[3]), month, Number(mdy[2])) : null;
    if (value) return withTime(value, text, mdy);
  }
  const num = NUMERIC_DATE.exec(text);
  if (num) {
    const a = Number(num[1]);
    const b = Number(num[2]);
    // Day first (most of the world); month first only when the second number cannot be a month.
    const value = b > 12 ? iso(Number(num[3]), a, b) : iso(Number(num[3]), b, a);
    if (value) return { iso: value, length: num[0].length };
  }
  return null;
}

/** A short line that is essentially a date ("29 septembre 2023", "Published: 2023-09-29 10:00"). */
export function matchDateLine(text: string): string | null {
  if (text.length > 80) return null;
  const found = findDate(text);
  if (!found) return null;
  const rest = text.replace(DATE_LINE_PREFIX_PATTERN, '');
  return found.length >= rest.length * 0.5 ? found.iso : null;
}

/** A dateline opening the lead: "PARIS, 29 September 2023 (AFP) — …" → the date. */
export function matchDateline(text: string): string | null {
  const m = /^\p{Lu}[\p{L} .'’-]{1,40},\s*(.{6,40})/u.exec(text);
  if (!m?.[1]) return null;
  return findDate(m[1])?.iso ?? null;
}
