/**
 * The title of a page that states none in JSON-LD or OpenGraph: its `<title>` without the site
 * name ("Vignes | Journal A" → "Vignes"), or its first `<h1>` when that is the fuller headline
 * (the `<title>` then named only a section or a short label).
 * Input: the `<title>` text and the first `<h1>` text. Output: the title, or undefined.
 *
 * Must not: read the DOM (html-metadata.ts collects both texts). Separators and site-name shape:
 * rules.ts through clean/title.ts.
 */
import { comparisonKey } from '../clean/normalise-text.ts';
import { TITLE_SUFFIX_SEPARATOR } from '../clean/rules.ts';
import { looksLikeTitle, stripSiteSuffix } from '../clean/title.ts';

/** A `<title>` of at most this many words, with a headline-shaped h1 beside it, is a label. */
const LABEL_MAX_WORDS = 3;

export function pageTitle(titleTag: string | undefined, h1: string | undefined): string | undefined {
  const split = titleTag ? stripSiteSuffix(titleTag) : undefined;
  const heading = h1 && looksLikeTitle(h1) && h1 !== split?.site ? h1 : undefined;
  if (!split?.title) return heading;
  if (!heading) return split.title;
  // The first segment ("Vignes" of "Vignes | Journal A", even when too short to split off a site).
  const first = (titleTag?.split(TITLE_SUFFIX_SEPARATOR)[0] ?? split.title).trim();
  const short = first.split(/\s+/u).length <= LABEL_MAX_WORDS;
  const inside = comparisonKey(heading).includes(comparisonKey(first));
  return short || inside ? heading : split.title;
}

/** The site name the `<title>` ends with ("… | Journal A" → "Journal A"), kept as the publisher. */
export function pageSite(titleTag: string | undefined): string | undefined {
  return titleTag ? stripSiteSuffix(titleTag).site : undefined;
}
