/**
 * A site language (BCP 47, e.g. `fr-CA`) → its interface wording (one table per primary
 * language, English fallback) and its date and number formatters. Dates are a UTC calendar
 * day ("7 décembre 2026", "7 December 2026"); numbers use the language's grouping.
 *
 * Determinism: every formatter names `timeZone: 'UTC'` and fixed options, so the same input
 * gives the same bytes on one runtime. Node and workerd both ship V8 with full ICU; a future
 * ICU/CLDR update may change a month name's spelling, which changes output exactly once, like
 * any renderer change (bump RENDER_VERSION with it). A tag Intl does not know falls back to
 * the table's own language, then to `en`.
 *
 * Must not: read the clock or the environment's locale (never `toLocaleString()` without a
 * locale), or hold wording (the tables do). Tunables: TABLES, DAY_FORMAT.
 */
import { EN } from './en.ts';
import { FR } from './fr.ts';
import type { Messages } from './messages.ts';

export type { Messages } from './messages.ts';

const TABLES: Readonly<Record<string, Messages>> = { en: EN, fr: FR };

const DAY_FORMAT: Intl.DateTimeFormatOptions = {
  year: 'numeric',
  month: 'long',
  day: 'numeric',
  timeZone: 'UTC',
};

const TIME_FORMAT: Intl.DateTimeFormatOptions = {
  ...DAY_FORMAT,
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
  timeZoneName: 'short',
};

/** `fr-CA` → `fr`; `` or a malformed tag → `en`. */
export function primaryLanguage(language: string): string {
  const primary = (language.split(/[-_]/)[0] ?? '').toLowerCase();
  return /^[a-z]{2,3}$/.test(primary) ? primary : 'en';
}

export interface Locale {
  /** The tag used for Intl (the site's own when Intl supports it). */
  readonly tag: string;
  /** The language the wording is in (the site's tag, or `en` when it has no table): for `lang`. */
  readonly language: string;
  readonly t: Messages;
  /** ISO-8601 → the UTC calendar day in words. */
  day(iso: string): string;
  /** ISO-8601 → day and time (UTC), for the status page. */
  dateTime(iso: string): string;
  number(value: number): string;
}

const cache = new Map<string, Locale>();

function intlTag(language: string, fallback: string): string {
  try {
    const [supported] = Intl.DateTimeFormat.supportedLocalesOf([language]);
    return supported ?? fallback;
  } catch {
    return fallback;
  }
}

/** The wording and formatters of a site language (memoised per tag). */
export function localeFor(siteLanguage: string): Locale {
  const known = cache.get(siteLanguage);
  if (known !== undefined) return known;
  const primary = primaryLanguage(siteLanguage);
  const table = TABLES[primary];
  const language = table === undefined ? 'en' : siteLanguage === primary ? primary : siteLanguage;
  // Wording and dates in one language: a site in Italian (no table yet) reads English throughout.
  const tag = table === undefined ? 'en' : intlTag(siteLanguage, primary);
  const days = new Intl.DateTimeFormat(tag, DAY_FORMAT);
  const times = new Intl.DateTimeFormat(tag, TIME_FORMAT);
  const numbers = new Intl.NumberFormat(tag, { maximumFractionDigits: 0 });
  const locale: Locale = {
    tag,
    language,
    t: table ?? EN,
    day: (iso) => days.format(toInstant(iso)),
    dateTime: (iso) => times.format(toInstant(iso)),
    number: (value) => numbers.format(value),
  };
  cache.set(siteLanguage, locale);
  return locale;
}

/** A date-time without offset is UTC (as in format-dates.ts). */
function toInstant(iso: string): Date {
  const withZone = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?$/.test(iso) ? `${iso}Z` : iso;
  const ms = Date.parse(withZone);
  if (Number.isNaN(ms)) throw new RangeError(`i18n: expected an ISO-8601 date, got ${JSON.stringify(iso)}`);
  return new Date(ms);
}
