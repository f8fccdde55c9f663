/**
 * The item's stated fields → values every format can carry, each checked once, with a warning
 * naming the source, the field and the rule for anything cut, dropped or refused:
 * - text fields (title, summary, author, publisher, tags) become plain text (plain-text.ts) and are
 *   bounded by INPUT_LIMITS (input-limits.ts): cut at a word, or dropped past the count;
 * - dates must be real calendar dates within DATE_RANGE (normalise-date.ts), else the item falls
 *   back to its first-seen date;
 * - the language must be a BCP 47 tag (normalise-language.ts), else the detected or site language.
 *
 * Must not: read the clock or storage; warn twice about one field (each rule runs once here).
 */
import type { Warning } from '../model.ts';
import { canonicalLanguage, statedLanguage } from '../text/normalise-language.ts';
import { FIELD_LIMIT, INPUT_LIMITS } from './input-limits.ts';
import { checkDate } from './normalise-date.ts';
import { toPlainText } from './plain-text.ts';

/** Warning codes of refused values (FIELD_LIMIT is for values cut to a limit). */
export const INVALID_DATE = 'invalid-date';
export const INVALID_LANGUAGE = 'invalid-language';
/** Every warning code this module emits (the build logs these, naming the file). */
export const FIELD_WARNINGS: ReadonlySet<string> = new Set([FIELD_LIMIT, INVALID_DATE, INVALID_LANGUAGE]);

/** Cuts text at a word boundary before `max` characters, adding an ellipsis when cut. */
export function shortenAtWord(text: string, max: number): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (clean.length <= max) return clean;
  const cut = clean.slice(0, max - 1);
  const lastSpace = cut.lastIndexOf(' ');
  return `${(lastSpace > max / 2 ? cut.slice(0, lastSpace) : cut).replace(/[\s,;:.–—-]+$/, '')}…`;
}

/** Checks the fields of one item (named `source` in warnings), collecting warnings. */
export function createFieldChecker(source: string, warnings: Warning[]) {
  const limited = (field: string, detail: string): void => {
    warnings.push({ code: FIELD_LIMIT, message: `${source}: ${field} ${detail}` });
  };
  return {
    /** Plain text, cut at a word to `max` characters. */
    text(field: string, value: string | undefined, max: number): string | undefined {
      if (value === undefined) return undefined;
      const plain = toPlainText(value);
      if (plain.length <= max) return plain;
      limited(field, `is ${plain.length} characters, over the ${max}-character limit: cut`);
      return shortenAtWord(plain, max);
    },

    /**
     * Plain, de-duplicated tags (first spelling wins), each ≤ tagChars, at most tagsPerItem: the
     * stated ones first, then the derived ones while room is left (only stated ones are warned of).
     */
    tags(stated: readonly string[], derived: readonly string[]): string[] {
      const { tagsPerItem, tagChars } = INPUT_LIMITS;
      const seen = new Map<string, string>();
      let tooLong = 0;
      const add = (value: string, counted: boolean): void => {
        const label = toPlainText(value);
        if (label.length > tagChars) tooLong += counted ? 1 : 0;
        else if (label && !seen.has(label.toLowerCase())) seen.set(label.toLowerCase(), label);
      };
      for (const value of stated) add(value, true);
      if (tooLong > 0) limited('tags', `has ${tooLong} tag(s) over the ${tagChars}-character limit: dropped`);
      if (seen.size > tagsPerItem) {
        limited(
          'tags',
          `has ${seen.size} tags, over the limit of ${tagsPerItem}: the first ${tagsPerItem} kept`,
        );
      }
      for (const value of derived) add(value, false);
      return [...seen.values()].slice(0, tagsPerItem);
    },

    /** The ISO form of a stated date; undefined (with a warning) when refused. */
    date(field: string, value: string | undefined): string | undefined {
      if (value === undefined) return undefined;
      const checked = checkDate(value);
      if ('iso' in checked) return checked.iso;
      warnings.push({
        code: INVALID_DATE,
        message: `${source}: ${field} ${JSON.stringify(value.slice(0, 40))} ${checked.refused}: ignored (first-seen date used)`,
      });
      return undefined;
    },

    /** The first candidate that is a BCP 47 tag; a stated one that is not is warned about. */
    language(stated: string | undefined, ...fallbacks: readonly (string | undefined)[]): string | undefined {
      if (stated !== undefined) {
        const tag = statedLanguage(stated);
        if (tag !== null) return tag;
        warnings.push({
          code: INVALID_LANGUAGE,
          message: `${source}: lang ${JSON.stringify(stated.slice(0, 40))} is not a BCP 47 language tag: ignored`,
        });
      }
      for (const fallback of fallbacks) {
        const tag = fallback === undefined ? null : canonicalLanguage(fallback);
        if (tag !== null) return tag;
      }
      return undefined;
    },
  };
}
