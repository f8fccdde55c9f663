/**
 * Small, allocation-light helpers over the htmlparser2 DOM (domhandler nodes) that the HTML path
 * walks directly: cheerio selectors are convenient for metadata, but a hand-written walk over
 * 100 kB pages is several times faster for scoring and block emission.
 * Input: domhandler nodes. Output: predicates, text, class/id hints.
 *
 * Must not: mutate nodes (prune-html.ts does, on the private DOM of one parse). No tunables.
 */
import type { AnyNode, Element, ParentNode } from 'domhandler';
import { HTML_BLOCK_TAGS } from '../clean/rules.ts';

/** Element nodes (htmlparser2 types <script> and <style> apart; they are elements too). */
export function isElement(node: AnyNode): node is Element {
  return node.type === 'tag' || node.type === 'script' || node.type === 'style';
}

export function hasChildren(node: AnyNode): node is ParentNode & AnyNode {
  return 'children' in node && Array.isArray((node as ParentNode).children);
}

/** The parent element, or null at the document root. */
export function parentElement(node: AnyNode): Element | null {
  const p = node.parent;
  return p && isElement(p as AnyNode) ? (p as Element) : null;
}

/** "class id" of an element, for hint patterns. */
export function classAndId(el: Element): string {
  const c = el.attribs.class;
  const id = el.attribs.id;
  if (c && id) return `${c} ${id}`;
  return c ?? id ?? '';
}

const WHITESPACE_RUN = /\s+/gu;

/** Collapse white space runs and trim. */
export function tidy(text: string): string {
  return text.replace(WHITESPACE_RUN, ' ').trim();
}

/** Raw text of a subtree; <br> and block boundaries become spaces so words never glue. */
export function rawText(node: AnyNode): string {
  if (node.type === 'text') return (node as unknown as { data: string }).data;
  if (!isElement(node)) return '';
  if (node.name === 'br') return ' ';
  let out = '';
  for (const child of node.children) out += rawText(child);
  return HTML_BLOCK_TAGS.has(node.name) ? ` ${out} ` : out;
}

/** Text of a subtree inside <a> elements (for link density). */
export function linkText(node: AnyNode, inLink = false): string {
  if (node.type === 'text') return inLink ? (node as unknown as { data: string }).data : '';
  if (!isElement(node)) return '';
  const nowInLink = inLink || node.name === 'a';
  let out = '';
  for (const child of node.children) out += linkText(child, nowInLink);
  return out;
}

/** Every descendant element of `root` with one of `names`, in document order. */
export function descendants(root: Element, names: ReadonlySet<string>, out: Element[] = []): Element[] {
  for (const child of root.children) {
    if (!isElement(child)) continue;
    if (names.has(child.name)) out.push(child);
    descendants(child, names, out);
  }
  return out;
}
