/**
 * Finds an HTML page's main content the way mozilla/readability does: every paragraph votes for
 * its ancestors (1 + commas + a point per 100 characters; parent in full, grandparent half, then
 * 1/(3·level)); candidates start from a tag score and class/id hints and are discounted by their
 * link density; the winner climbs to a shared or higher-scoring ancestor; good siblings join it.
 * Winner growth (grow-winner.ts) then adds the headline, lead and the article's own figure just
 * outside it, one level up at most, each recorded on the explain trace.
 * Input: the pruned <body> (or document root), the media stash. Output: the content roots, in
 * document order.
 *
 * Must not: mutate the DOM or classify blocks. Tunables: rules.ts (HTML path).
 */
import type { AnyNode, Element } from 'domhandler';
import { HTML_BLOCK_TAGS, HTML_EMBED_HINT, HTML_TAG_SCORES, HTML_THRESHOLDS as T } from '../clean/rules.ts';
import type { StructureDecision } from '../model.ts';
import { adjacentFigures, joinsWinner, stashedView } from './grow-winner.ts';
import { isElement, parentElement } from './html-dom.ts';
import type { MediaStash } from './html-media.ts';
import { linkDensityOf, measure, type StatsCache } from './measure-html.ts';
import { classWeight } from './prune-html.ts';
import { describeElement, growthDecision } from './structure-trace.ts';

/** Elements whose own text counts as one paragraph. */
const PARAGRAPH_TAGS = new Set(['p', 'pre', 'td', 'blockquote']);
const COMMAS = /[,，、،]/g;
const SPACE_RUN = /\s+/g;

interface Run {
  chars: number;
  commas: number;
}

/** Characters and commas of an element's inline content (text and inline children, no blocks). */
function inlineRun(el: Element, cache: StatsCache): { run: Run; hasBlock: boolean } {
  const run: Run = { chars: 0, commas: 0 };
  let hasBlock = false;
  for (const child of el.children as AnyNode[]) {
    if (child.type === 'text') {
      const data = (child as unknown as { data: string }).data;
      run.chars += data.replace(SPACE_RUN, ' ').trim().length;
      run.commas += data.match(COMMAS)?.length ?? 0;
    } else if (isElement(child)) {
      if (HTML_BLOCK_TAGS.has(child.name)) hasBlock = true;
      else {
        const s = measure(child, cache);
        run.chars += s.chars;
        run.commas += s.commas;
      }
    }
  }
  return { run, hasBlock };
}

class Scores {
  readonly map = new Map<Element, number>();
  add(el: Element, score: number): void {
    const current = this.map.get(el) ?? (HTML_TAG_SCORES[el.name] ?? 0) + classWeight(el);
    this.map.set(el, current + score);
  }
}

/** One paragraph's vote, given to `from` and its ancestors. */
function vote(scores: Scores, from: Element | null, run: Run): void {
  if (run.chars < T.minParagraphChars) return;
  const score = 1 + run.commas + Math.min(T.maxLengthPoints, Math.floor(run.chars / T.charsPerPoint));
  let el = from;
  for (let level = 0; el && level < T.ancestorLevels; level++) {
    if (el.name === 'html') break;
    const divider = level === 0 ? 1 : level === 1 ? 2 : level * 3;
    scores.add(el, score / divider);
    el = parentElement(el);
  }
}

/** Containers whose loose text (outside any <p>) reads as paragraphs, as on many older templates. */
const TEXT_CONTAINERS = new Set(['div', 'section', 'article', 'main', 'body', 'center', 'font']);

function collectVotes(el: Element, scores: Scores, cache: StatsCache): void {
  // Embedded social posts never vote: an embed cannot win the page.
  if (el.attribs.class && HTML_EMBED_HINT.test(el.attribs.class)) return;
  if (PARAGRAPH_TAGS.has(el.name)) {
    const s = measure(el, cache);
    vote(scores, parentElement(el), { chars: s.chars, commas: s.commas });
    return;
  }
  if (TEXT_CONTAINERS.has(el.name)) {
    const { run, hasBlock } = inlineRun(el, cache);
    if (!hasBlock && el.name !== 'body') {
      // A <div> used as a paragraph votes for its parent, like a <p>.
      vote(scores, parentElement(el), run);
      return;
    }
    // Loose text between blocks is a paragraph Readability would wrap in <p>; its parent is `el`.
    vote(scores, el, run);
  }
  for (const child of el.children) if (isElement(child)) collectVotes(child, scores, cache);
}

function ancestors(el: Element): Element[] {
  const out: Element[] = [];
  for (let p = parentElement(el); p; p = parentElement(p)) out.push(p);
  return out;
}

/** Picks the best candidate and lets it climb to an ancestor that holds more of the article. */
function pickTop(final: Map<Element, number>, body: Element): Element | null {
  const ranked = [...final.entries()].sort((a, b) => b[1] - a[1]);
  const first = ranked[0];
  if (!first) return null;
  let [top, topScore] = first;

  // Several strong candidates under one ancestor: the article is split in sections; take the ancestor.
  const strong = ranked
    .slice(1, T.topCandidates)
    .filter(([, s]) => s >= topScore * T.sharedAncestorShare)
    .map(([el]) => ancestors(el));
  if (strong.length >= T.sharedAncestorCandidates - 1) {
    for (const anc of ancestors(top)) {
      if (anc === body || anc.name === 'html') break;
      if (strong.filter((list) => list.includes(anc)).length >= T.sharedAncestorCandidates - 1) {
        top = anc;
        topScore = final.get(anc) ?? topScore;
        break;
      }
    }
  }

  // Climb while the parent keeps a good share of the score, and take it when it scores higher.
  let last = topScore;
  const threshold = last / 3;
  for (let p = parentElement(top); p && p !== body && p.name !== 'html'; p = parentElement(p)) {
    const s = final.get(p);
    if (s === undefined) continue;
    if (s < threshold) break;
    if (s > last) {
      top = p;
      break;
    }
    last = s;
  }
  // An only child adds nothing: its parent is the container.
  for (let p = parentElement(top); p && p !== body && p.name !== 'html'; p = parentElement(p)) {
    if (p.children.filter(isElement).length !== 1) break;
    top = p;
  }
  return top;
}

export interface MainContent {
  /** The winning container and the siblings that belong with it, in document order. */
  readonly roots: readonly Element[];
  /** Every candidate's final score (votes × (1 − link density)), for pruning widgets inside. */
  readonly scores: ReadonlyMap<Element, number>;
}

/**
 * The main content roots: the winning container and the siblings that belong with it. What
 * winner growth added is pushed on `trace` (explain); `stash` holds the figures (html-media.ts).
 */
export function findMainContent(
  body: Element,
  cache: StatsCache,
  trace: StructureDecision[] = [],
  stash: MediaStash = new Map(),
): MainContent {
  const scores = new Scores();
  collectVotes(body, scores, cache);
  const final = new Map<Element, number>();
  for (const [el, score] of scores.map) final.set(el, score * (1 - linkDensityOf(measure(el, cache))));
  const top = pickTop(final, body);
  if (!top) return { roots: [body], scores: final };
  const parent = parentElement(top);
  if (!parent) return { roots: [top], scores: final };
  const inner = siblingsOf(top, parent, final, cache, trace);
  const withFigures = addFigures(parent, inner, stash, trace);
  return { roots: aroundParent(parent, withFigures, cache, stash, trace), scores: final };
}

/** The winner and its siblings that join it: openings before it, good-scoring and prose siblings. */
function siblingsOf(
  top: Element,
  parent: Element,
  final: ReadonlyMap<Element, number>,
  cache: StatsCache,
  trace: StructureDecision[],
): Element[] {
  const topScore = final.get(top) ?? 0;
  const threshold = Math.max(T.siblingMinScore, topScore * T.siblingScoreShare);
  const topClass = top.attribs.class ?? '';
  const roots: Element[] = [];
  let beforeTop = true;
  for (const sibling of parent.children) {
    if (!isElement(sibling)) continue;
    if (sibling === top) {
      roots.push(sibling);
      beforeTop = false;
      continue;
    }
    // Winner growth (grow-winner.ts): the headline, lead or header just before the winner.
    const kind = beforeTop ? joinsWinner(sibling, cache) : null;
    if (kind !== null) {
      roots.push(sibling);
      trace.push(growthDecision(sibling, kind, `${kind} right before the winning container`));
      continue;
    }
    const bonus = topClass && sibling.attribs.class === topClass ? topScore * 0.2 : 0;
    const score = final.get(sibling);
    if (score !== undefined && score + bonus >= threshold) {
      roots.push(sibling);
      continue;
    }
    if (sibling.name === 'p') {
      const s = measure(sibling, cache);
      const ld = linkDensityOf(s);
      if (s.chars > T.siblingParagraphChars && ld < T.siblingMaxLinkDensity) roots.push(sibling);
      else if (
        s.chars > 0 &&
        s.chars <= T.siblingParagraphChars &&
        ld === 0 &&
        /\.( |$)/.test(rawTextOf(sibling))
      )
        roots.push(sibling);
    }
  }
  return roots;
}

/**
 * Winner growth: `roots` (children of `parent`, in order) plus the article's figure right next to
 * one of them (grow-winner.ts adjacentFigures), in document order.
 */
function addFigures(
  parent: Element,
  roots: readonly Element[],
  stash: MediaStash,
  trace: StructureDecision[],
): Element[] {
  if (stash.size === 0) return [...roots];
  const kids = parent.children.filter(isElement);
  const figures = adjacentFigures(kids, new Set(roots), stash);
  if (figures.length === 0) return [...roots];
  const joined = new Set<Element>(roots);
  for (const { figure, anchor } of figures) {
    joined.add(figure);
    trace.push(growthDecision(stashedView(figure, stash), 'figure', figureReason(anchor)));
  }
  return kids.filter((k) => joined.has(k));
}

const figureReason = (anchor: Element): string =>
  `the article's figure (image and caption, no link) right next to ${describeElement(anchor)}, which is in the article`;

/**
 * The roots one level up: the headline, lead or header right before the winner's parent, and the
 * article's figure next to the parent or to them (winner growth), around `inner`, in document order.
 */
function aroundParent(
  parent: Element,
  inner: Element[],
  cache: StatsCache,
  stash: MediaStash,
  trace: StructureDecision[],
): Element[] {
  const grand = parentElement(parent);
  if (!grand || parent.name === 'body' || grand.name === 'body' || grand.name === 'html') return inner;
  const kids = grand.children.filter(isElement);
  const openings: Element[] = [];
  for (const sibling of kids) {
    if (sibling === parent) break;
    const kind = joinsWinner(sibling, cache);
    if (kind === null) continue;
    openings.push(sibling);
    trace.push(growthDecision(sibling, kind, `${kind} right before the winner's parent (one level up)`));
  }
  const withFigures = addFigures(grand, [...openings, parent], stash, trace);
  return withFigures.flatMap((k) => (k === parent ? inner : [k]));
}

function rawTextOf(el: Element): string {
  let out = '';
  for (const c of el.children as AnyNode[]) {
    if (c.type === 'text') out += (c as unknown as { data: string }).data;
    else if (isElement(c)) out += rawTextOf(c);
  }
  return out;
}
