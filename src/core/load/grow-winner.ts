/**
 * Winner growth: the lead (standfirst: `chapo`, `intro`, `perex`, `teaser`…) and the headline or
 * sub-headings often sit just outside the container that wins the scoring, as its siblings or
 * inside the article's <header>. They join the content roots here, in document order.
 * Input: the winner's siblings. Output: whether one belongs with the winner.
 *
 * Must not: mutate the DOM or hold a pattern (rules.ts: HTML_LEAD_HINT, WINNER_GROWTH).
 */
import type { Element } from 'domhandler';
import { HTML_LEAD_HINT, WINNER_GROWTH } from '../clean/rules.ts';
import { classAndId, isElement } from './html-dom.ts';
import { linkDensityOf, measure, type StatsCache } from './measure-html.ts';

/**
 * What opens the winner: a heading (`headline`), a lead-hinted element (`lead`), or a
 * <header>/<hgroup> holding them (`article header`); null for anything else.
 */
function openingKind(el: Element): string | null {
  if (WINNER_GROWTH.headingTags.includes(el.name)) return el.name === 'h1' ? 'headline' : 'heading';
  const hints = classAndId(el);
  if (HTML_LEAD_HINT.test(hints)) return 'lead';
  if (el.name === 'header' || el.name === 'hgroup')
    return el.children.some((c) => isElement(c) && openingKind(c) !== null) ? 'article header' : null;
  return null;
}

/**
 * What `sibling`, placed before the winner, is to it (`headline`, `heading`, `lead`, `article
 * header`), or null when it does not join: not an opening, empty, too long or too linked.
 */
export function joinsWinner(sibling: Element, cache: StatsCache): string | null {
  const kind = openingKind(sibling);
  if (kind === null) return null;
  const s = measure(sibling, cache);
  const joins =
    s.chars > 0 && s.chars <= WINNER_GROWTH.maxChars && linkDensityOf(s) < WINNER_GROWTH.maxLinkDensity;
  return joins ? kind : null;
}

/**
 * Region tags that open the article: a <header> holding a lead (standfirst), inside
 * <article>/<main> or holding the headline (h1) with no navigation, is the article's header, not
 * the site's. Bylines, kickers and dates of a header without a lead stay out (they cost precision).
 */
export function isArticleHeader(el: Element, parent: Element | null): boolean {
  if (el.name !== 'header' || !hasLead(el)) return false;
  if (parent && (parent.name === 'article' || parent.name === 'main')) return true;
  const hasH1 = (n: Element): boolean =>
    n.children.some((c) => isElement(c) && (c.name === 'h1' || hasH1(c)));
  const hasNav = (n: Element): boolean =>
    n.children.some((c) => isElement(c) && (c.name === 'nav' || c.name === 'ul' || hasNav(c)));
  return hasH1(el) && !hasNav(el);
}

/** Whether a lead-hinted element (standfirst) sits inside `el`. */
function hasLead(el: Element): boolean {
  return el.children.some((c) => isElement(c) && (HTML_LEAD_HINT.test(classAndId(c)) || hasLead(c)));
}
