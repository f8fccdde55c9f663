/**
 * Month names for datelines in the languages of INTL_MONTH_LANGUAGES (rules.ts), read from the
 * runtime's `Intl.DateTimeFormat`: the standalone form ("leden") and the form used in a date
 * ("7. ledna"), lower case → month number. Built once, on first use.
 * Input: a lower-case word. Output: 1–12 or undefined.
 *
 * Must not: hold the language list (rules.ts does) or read the clock (fixed dates in 2001).
 */
import { INTL_MONTH_LANGUAGES } from './rules.ts';

let table: Map<string, number> | null = null;

function build(): Map<string, number> {
  const out = new Map<string, number>();
  for (const lang of INTL_MONTH_LANGUAGES) {
    let standalone: Intl.DateTimeFormat;
    let inDate: Intl.DateTimeFormat;
    try {
      standalone = new Intl.DateTimeFormat(lang, { month: 'long', timeZone: 'UTC' });
      inDate = new Intl.DateTimeFormat(lang, { day: 'numeric', month: 'long', timeZone: 'UTC' });
    } catch {
      continue;
    }
    for (let m = 0; m < 12; m++) {
      const date = new Date(Date.UTC(2001, m, 7));
      const names = [
        standalone.format(date),
        inDate.formatToParts(date).find((p) => p.type === 'month')?.value ?? '',
      ];
      for (const name of names) {
        const key = name.toLowerCase().replace(/\.$/u, '');
        if (key && !/\d/u.test(key) && !out.has(key)) out.set(key, m + 1);
      }
    }
  }
  return out;
}

export function intlMonth(word: string): number | undefined {
  table ??= build();
  return table.get(word);
}
