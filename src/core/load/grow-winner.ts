/**
 * Winner growth: the lead (standfirst: `chapo`, `intro`, `perex`, `teaser`…) and the headline or
 * sub-headings often sit just outside the container that wins the scoring, as its siblings or
 * inside the article's <header>; so does the lead image's <figure> with its caption. They join the
 * content roots here, in document order.
 * Input: the winner's siblings (and the media stash, for figures). Output: whether one belongs
 * with the winner, and as what.
 *
 * Must not: mutate the DOM or hold a pattern (rules.ts: HTML_LEAD_HINT, WINNER_GROWTH).
 */
import type { AnyNode, Element } from 'domhandler';
import { HTML_LEAD_HINT, WINNER_GROWTH } from '../clean/rules.ts';
import { classAndId, isElement, linkText, rawText, tidy } from './html-dom.ts';
import type { MediaStash } from './html-media.ts';
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

/** The figure stand-in `el` is, or wraps alone with no text of its own (`<div class="img"><figure>`). */
export function soleFigure(el: Element, stash: MediaStash): Element | null {
  for (let n: Element | undefined = el; n; ) {
    if (stash.has(n)) return n;
    const kids: Element[] = n.children.filter(isElement);
    const text = (n.children as AnyNode[]).some(
      (c) => c.type === 'text' && tidy((c as unknown as { data: string }).data) !== '',
    );
    if (kids.length !== 1 || text) return null;
    n = kids[0];
  }
  return null;
}

/** Whether a stashed figure is the article's: it holds an image, is no link, its caption no link list. */
function isArticleFigure(figure: Element, stash: MediaStash): boolean {
  const saved = stash.get(figure);
  if (!saved) return false;
  const nodes = saved.children as AnyNode[];
  let image = saved.name === 'picture';
  let linked = false;
  const walk = (n: AnyNode): void => {
    if (!isElement(n)) return;
    if (n.name === 'img' || n.name === 'picture') image = true;
    if (n.name === 'a' && n.attribs.href && n.children.some((c) => isElement(c) && hasImage(c)))
      linked = true;
    for (const c of n.children) walk(c);
  };
  for (const n of nodes) walk(n);
  const caption = tidy(nodes.map(rawText).join(' '));
  const links = tidy(nodes.map((n) => linkText(n)).join(' '));
  if (!image || linked || caption.length > WINNER_GROWTH.figureMaxCaptionChars) return false;
  return caption.length === 0 || links.length / caption.length < WINNER_GROWTH.maxLinkDensity;
}

const hasImage = (el: Element): boolean =>
  el.name === 'img' || el.name === 'picture' || el.children.some((c) => isElement(c) && hasImage(c));

/**
 * The article's figures among `siblings` (the element children of one parent, in order): a figure
 * right before or after one of `anchors` (the winner, its parent, a joined headline or lead), that
 * is no link and whose neighbours are not figures too (two side by side are a rail or a gallery).
 */
export function adjacentFigures(
  siblings: readonly Element[],
  anchors: ReadonlySet<Element>,
  stash: MediaStash,
): { figure: Element; anchor: Element }[] {
  const figureAt = (i: number): Element | null => {
    const el = siblings[i];
    return el && !anchors.has(el) ? soleFigure(el, stash) : null;
  };
  const out: { figure: Element; anchor: Element }[] = [];
  siblings.forEach((el, i) => {
    const figure = figureAt(i);
    if (!figure) return;
    const prev = siblings[i - 1];
    const next = siblings[i + 1];
    const anchor = prev && anchors.has(prev) ? prev : next && anchors.has(next) ? next : undefined;
    if (!anchor || figureAt(i - 1) || figureAt(i + 1)) return;
    if (isArticleFigure(figure, stash)) out.push({ figure: el, anchor });
  });
  return out;
}

/** The element as the page wrote it (a stand-in's own name and class), for the explain trace. */
export function stashedView(el: Element, stash: MediaStash): Element {
  const figure = soleFigure(el, stash);
  const saved = figure ? stash.get(figure) : undefined;
  if (!saved) return el;
  return {
    type: 'tag',
    name: saved.name,
    attribs: saved.attribs,
    children: saved.children,
  } as unknown as Element;
}
