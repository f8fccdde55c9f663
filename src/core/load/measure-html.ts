/**
 * Text statistics of DOM subtrees for the HTML path: characters, characters inside links, commas,
 * paragraph and list-item counts. Computed bottom-up once per element and cached, so scoring a
 * whole page stays linear in its size.
 * Input: domhandler elements. Output: ElementStats.
 *
 * Must not: decide anything (score-containers.ts and prune-html.ts do). No tunables.
 */
import type { AnyNode, Element } from 'domhandler';
import { isElement } from './html-dom.ts';

export interface ElementStats {
  /** Length of the subtree's text with white space runs counted as one character. */
  readonly chars: number;
  /** …of which inside <a>. */
  readonly linkChars: number;
  /** Commas (Latin and CJK) — a cheap sign of running prose. */
  readonly commas: number;
  /** <p> descendants and the characters they hold. */
  readonly paragraphs: number;
  readonly paragraphChars: number;
  /** <li> descendants. */
  readonly listItems: number;
}

const COMMAS = /[,，、،]/g;
const SPACE_RUN = /\s+/g;

/** A per-parse cache: stats of every element measured so far. */
export type StatsCache = Map<Element, ElementStats>;

function textLength(data: string): { chars: number; commas: number } {
  const chars = data.replace(SPACE_RUN, ' ').length;
  const commas = data.match(COMMAS)?.length ?? 0;
  return { chars, commas };
}

export function measure(el: Element, cache: StatsCache): ElementStats {
  const hit = cache.get(el);
  if (hit) return hit;
  let chars = 0;
  let linkChars = 0;
  let commas = 0;
  let paragraphs = 0;
  let paragraphChars = 0;
  let listItems = 0;
  for (const child of el.children as AnyNode[]) {
    if (child.type === 'text') {
      const t = textLength((child as unknown as { data: string }).data);
      chars += t.chars;
      commas += t.commas;
      continue;
    }
    if (!isElement(child)) continue;
    const s = measure(child, cache);
    chars += s.chars;
    commas += s.commas;
    linkChars += child.name === 'a' ? s.chars : s.linkChars;
    paragraphs += s.paragraphs + (child.name === 'p' ? 1 : 0);
    paragraphChars += s.paragraphChars + (child.name === 'p' ? s.chars : 0);
    listItems += s.listItems + (child.name === 'li' ? 1 : 0);
  }
  const stats = { chars, linkChars, commas, paragraphs, paragraphChars, listItems };
  cache.set(el, stats);
  return stats;
}

/** Share of an element's text inside links, in [0, 1]. */
export function linkDensityOf(stats: ElementStats): number {
  return stats.chars > 0 ? Math.min(1, stats.linkChars / stats.chars) : 0;
}
