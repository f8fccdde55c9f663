/**
 * Removes what never holds article prose from a freshly parsed page (before scoring), and the
 * link-heavy widgets left inside the chosen content (after scoring): Readability's
 * "unlikely candidates" and "clean conditionally" passes, simplified.
 * Input: the private DOM of one parse (mutated in place: it is never shared or returned).
 * Output: nothing; nodes are detached from their parents' `children`.
 *
 * Must not: drop a region that wraps the article (guarded by its paragraph text), or decide
 * block by block what is boilerplate (the text classifier does). Tunables: rules.ts (HTML path).
 */
import type { AnyNode, Element, ParentNode } from 'domhandler';
import { guardedShare } from '../clean/main-prose-guard.ts';
import {
  HTML_CHROME_HINT,
  HTML_CONSENT_HINT,
  HTML_DROP_ROLES,
  HTML_DROP_TAGS,
  HTML_MAYBE_CONTENT_HINT,
  HTML_NEGATIVE_HINT,
  HTML_POSITIVE_HINT,
  HTML_REGION_TAGS,
  HTML_THRESHOLDS,
  HTML_UNLIKELY_HINT,
} from '../clean/rules.ts';
import type { Removal, StructureDecision } from '../model.ts';
import { isArticleHeader } from './grow-winner.ts';
import { classAndId, isElement, parentElement, rawText, tidy } from './html-dom.ts';
import { linkDensityOf, measure, type StatsCache } from './measure-html.ts';
import { growthDecision, guardDecision } from './structure-trace.ts';

const HIDDEN_STYLE = /display\s*:\s*none|visibility\s*:\s*hidden/i;
/** Tags never dropped for their class: the page itself, and the article's own wrappers. */
const NEVER_BY_CLASS = new Set([
  'html',
  'body',
  'article',
  'main',
  'a',
  'p',
  'span',
  'b',
  'i',
  'em',
  'strong',
]);

/** keep; drop; or `region`: chrome by tag or role, dropped unless it wraps the article. */
type Verdict = 'keep' | 'drop' | 'region';

function verdict(el: Element): Verdict {
  const name = el.name;
  if (HTML_DROP_TAGS.has(name) && !HTML_REGION_TAGS.has(name)) return 'drop';
  const a = el.attribs;
  if (a.hidden !== undefined || a['aria-hidden'] === 'true') return 'drop';
  if (a.style && HIDDEN_STYLE.test(a.style)) return 'drop';
  if (a.role && HTML_DROP_ROLES.has(a.role)) return 'region';
  if (HTML_REGION_TAGS.has(name)) return 'region';
  if (!NEVER_BY_CLASS.has(name)) {
    const hints = classAndId(el);
    // Consent overlays are never candidates, whatever rescues them.
    if (hints && HTML_CONSENT_HINT.test(hints)) return 'drop';
    if (hints && !HTML_MAYBE_CONTENT_HINT.test(hints)) {
      // Chrome hints are explicit: dropped outright. Region hints may wrap the page: guarded.
      if (HTML_CHROME_HINT.test(hints)) return 'drop';
      if (HTML_UNLIKELY_HINT.test(hints)) return 'region';
    }
  }
  return 'keep';
}

/** Whether a 'drop' verdict came from the class/id hint alone (tags, hidden nodes: never guarded). */
function byClassHint(el: Element): boolean {
  const a = el.attribs;
  if (HTML_DROP_TAGS.has(el.name) || a.hidden !== undefined || a['aria-hidden'] === 'true') return false;
  return !(a.style && HIDDEN_STYLE.test(a.style));
}

/** Characters of a subtree's text outside links, cached: nested regions would otherwise re-walk it. */
function proseChars(node: AnyNode, cache: Map<AnyNode, number>): number {
  if (node.type === 'text') return (node as unknown as { data: string }).data.trim().length;
  if (!isElement(node) || node.name === 'a' || node.type !== 'tag') return 0;
  const hit = cache.get(node);
  if (hit !== undefined) return hit;
  let n = 0;
  for (const child of node.children) n += proseChars(child, cache);
  cache.set(node, n);
  return n;
}

/**
 * Drops non-content elements, comments and hidden nodes before scoring. A chrome region
 * (header, form, a "sidebar" class…) that holds a whole article's worth of paragraphs is a
 * misnamed wrapper and stays. Guard refusals and the article's own header are pushed on `trace`.
 */
export function pruneChrome(parent: ParentNode, trace: StructureDecision[] = []): void {
  const cache = new Map<AnyNode, number>();
  const pageChars = (parent.children as AnyNode[]).reduce((n, c) => n + proseChars(c, cache), 0);
  pruneIn(parent, cache, pageChars, trace);
}

function pruneIn(
  parent: ParentNode,
  cache: Map<AnyNode, number>,
  pageChars: number,
  trace: StructureDecision[],
): void {
  const kept: AnyNode[] = [];
  for (const node of parent.children as AnyNode[]) {
    if (node.type === 'text' || node.type === 'cdata') {
      kept.push(node);
      continue;
    }
    if (!isElement(node) || node.type !== 'tag') continue;
    let v = verdict(node);
    // Main-prose guard: a class hint never drops the element holding most of the page's prose.
    if (v === 'drop' && byClassHint(node)) {
      const hints = classAndId(node);
      const share = guardedShare(proseChars(node, cache), pageChars, hints);
      if (share !== null) {
        v = 'keep';
        const why = `class or id "${hints}" names page chrome`;
        trace.push(guardDecision(node, 'chrome-class-hint', why, share, "the page's prose"));
      }
    }
    if (v === 'drop') continue;
    // The article's own <header> (headline, lead) is no page region (grow-winner.ts).
    if (v === 'region' && isArticleHeader(node, parentElement(node))) {
      v = 'keep';
      const why = "the article's own <header> (it holds a lead): kept though <header> is a page region";
      trace.push(growthDecision(node, 'article header', why));
    }
    if (v === 'region' && proseChars(node, cache) < HTML_THRESHOLDS.guardParagraphChars) continue;
    pruneIn(node, cache, pageChars, trace);
    kept.push(node);
  }
  parent.children = kept as ParentNode['children'];
}

/** +classWeight for a content hint, −classWeight for a chrome hint, on class and id. */
export function classWeight(el: Element): number {
  const T = HTML_THRESHOLDS.classWeight;
  let w = 0;
  for (const value of [el.attribs.class, el.attribs.id]) {
    if (!value) continue;
    if (HTML_NEGATIVE_HINT.test(value)) w -= T;
    if (HTML_POSITIVE_HINT.test(value)) w += T;
  }
  return w;
}

const nonLinkChars = (el: Element, cache: StatsCache): number => {
  const s = measure(el, cache);
  return s.chars - s.linkChars;
};

const WIDGET_TAGS = new Set(['div', 'section', 'ul', 'ol', 'dl', 'table', 'form', 'nav']);

/** Why an element inside the content is a widget, or null when it is content. */
function widgetReason(
  el: Element,
  cache: StatsCache,
  scores: ReadonlyMap<Element, number>,
  contentChars: number,
  trace: StructureDecision[],
): string | null {
  const stats = measure(el, cache);
  if (stats.commas >= HTML_THRESHOLDS.widgetMaxCommas) return null;
  const reason = widgetCheck(el, stats, scores);
  if (reason === null) return null;
  // Main-prose guard: the widget that holds most of the content's own text is the content.
  const share = guardedShare(stats.chars - stats.linkChars, contentChars, classAndId(el));
  if (share === null) return reason;
  trace.push(guardDecision(el, 'html-widget', reason, share, "the content's own text"));
  return null;
}

/** Why an element is a widget by its class or its links (before the guard), or null. */
function widgetCheck(
  el: Element,
  stats: ReturnType<typeof measure>,
  scores: ReadonlyMap<Element, number>,
): string | null {
  // A chrome class outweighs the votes of the paragraphs inside (Readability: weight + score < 0).
  const weight = classWeight(el);
  if (weight + (scores.get(el) ?? 0) < 0) return `<${el.name}> whose class or id names page chrome`;
  const list = el.name === 'ul' || el.name === 'ol' || el.name === 'dl';
  const ld = linkDensityOf(stats);
  const limit = list ? HTML_THRESHOLDS.widgetListMaxLinkDensity : HTML_THRESHOLDS.widgetMaxLinkDensity;
  return ld > limit
    ? `<${el.name}> inside the article that is ${Math.round(ld * 100)}% links (a link rail)`
    : null;
}

/**
 * Drops link-heavy or chrome-hinted widgets inside the chosen content (never a root itself) and
 * returns them, so the cleaner can list them in `removed` with their reason.
 */
export function pruneWidgets(
  root: Element,
  cache: StatsCache,
  scores: ReadonlyMap<Element, number>,
  dropped: Removal[] = [],
  trace: StructureDecision[] = [],
  contentChars: number = nonLinkChars(root, cache),
): Removal[] {
  const kept: AnyNode[] = [];
  for (const node of root.children as AnyNode[]) {
    if (isElement(node) && WIDGET_TAGS.has(node.name)) {
      const reason = widgetReason(node, cache, scores, contentChars, trace);
      if (reason) {
        const text = tidy(rawText(node));
        if (text) dropped.push({ text, rule: 'html-widget', reason });
        continue;
      }
    }
    if (isElement(node)) pruneWidgets(node, cache, scores, dropped, trace, contentChars);
    kept.push(node);
  }
  root.children = kept as Element['children'];
  return dropped;
}
