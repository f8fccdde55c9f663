/**
 * Turns the chosen content elements of an HTML page into candidate blocks, in document order:
 * headings, paragraphs, quotes and lists, each with its link density; loose inline text between
 * blocks becomes a paragraph of its own.
 * Input: content roots (domhandler elements). Output: RawBlock[]; media elements met on the way
 * (img, picture, figure, video, audio) are handed to `onMedia` with their place among the blocks,
 * without changing how the text is split.
 *
 * Must not: judge blocks (the cleaner does) or mutate the DOM. No tunables.
 */
import type { AnyNode, Element } from 'domhandler';
import { HTML_HEADING_TAGS } from '../clean/rules.ts';
import type { RawBlock } from '../model.ts';
import { isElement, linkText, rawText, tidy } from './html-dom.ts';
import { MEDIA_PLACEHOLDER, MEDIA_TAGS } from './html-media.ts';

/**
 * Receives a media element, the index of the raw block it sits before, and how many blocks were
 * emitted from inside it (a figure's caption, a player's fallback text).
 */
export type MediaSink = (el: Element, at: number, span: number) => void;

/** The outermost media elements under `el` (an <img> inside a <figure> is part of the figure). */
function outerMedia(el: Element, out: Element[] = []): Element[] {
  for (const child of el.children) {
    if (!isElement(child)) continue;
    if (MEDIA_TAGS.has(child.name)) out.push(child);
    else outerMedia(child, out);
  }
  return out;
}

import { isDataTable, tableRows } from './html-tables.ts';

const HEADING = /^h([1-6])$/;
/** Phrasing elements: their text joins the surrounding paragraph. */
const INLINE = new Set([
  'a',
  'abbr',
  'b',
  'bdi',
  'bdo',
  'big',
  'br',
  'cite',
  'code',
  'data',
  'del',
  'dfn',
  'em',
  'font',
  'i',
  'img',
  'ins',
  'kbd',
  'label',
  'mark',
  'nobr',
  'q',
  'rp',
  'rt',
  'ruby',
  's',
  'samp',
  'small',
  'span',
  'strike',
  'strong',
  'sub',
  'sup',
  'time',
  'tt',
  'u',
  'var',
  'wbr',
]);
const PARAGRAPH = new Set(['p', 'pre', 'dd', 'dt', 'li', 'address', 'summary', 'caption']);

function density(linkChars: number, text: string): number {
  return text.length > 0 ? Math.min(1, linkChars / text.length) : 0;
}

/** Elements that make a list or list item a container when found inside its items. */
const CONTAINED_BLOCKS = new Set(['p', ...HTML_HEADING_TAGS, 'blockquote', 'article', 'section']);

/** A <ul>/<ol>/<li> with paragraphs or headings inside its items (directly or one level down). */
function holdsBlocks(el: Element): boolean {
  if (el.name !== 'ul' && el.name !== 'ol' && el.name !== 'li') return false;
  const items =
    el.name === 'li' ? [el] : el.children.filter((c): c is Element => isElement(c) && c.name === 'li');
  return items.some((li) =>
    li.children.some(
      (c) =>
        isElement(c) &&
        (CONTAINED_BLOCKS.has(c.name) ||
          (c.name === 'div' && c.children.some((d) => isElement(d) && CONTAINED_BLOCKS.has(d.name)))),
    ),
  );
}

export function emitBlocks(roots: readonly Element[], onMedia?: MediaSink): RawBlock[] {
  const blocks: RawBlock[] = [];
  let buffer = '';
  let bufferLinks = '';
  /** Media met inside the paragraph being buffered: they follow it. */
  let pending: Element[] = [];
  const flush = (): void => {
    const text = tidy(buffer);
    if (text) blocks.push({ text, hint: 'paragraph', linkDensity: density(tidy(bufferLinks).length, text) });
    buffer = '';
    bufferLinks = '';
    if (pending.length > 0) {
      for (const el of pending) onMedia?.(el, blocks.length, 0);
      pending = [];
    }
  };
  /** Media inside an element emitted whole (inline run, paragraph, list) follow its text. */
  const mediaIn = (el: Element): Element[] =>
    onMedia === undefined ? [] : MEDIA_TAGS.has(el.name) ? [el] : outerMedia(el);
  const push = (el: Element, hint: RawBlock['hint'], extra: Partial<RawBlock> = {}): void => {
    const text = tidy(rawText(el));
    if (text) blocks.push({ text, hint, ...extra, linkDensity: density(tidy(linkText(el)).length, text) });
    for (const m of mediaIn(el)) onMedia?.(m, blocks.length, 0);
  };
  const visit = (node: AnyNode): void => {
    if (node.type === 'text') {
      buffer += (node as unknown as { data: string }).data;
      return;
    }
    if (!isElement(node)) return;
    const name = node.name;
    if (name === MEDIA_PLACEHOLDER) {
      // A text-less stand-in for a figure, picture or player: it never splits the text around it.
      if (onMedia !== undefined) pending.push(node);
      return;
    }
    if (INLINE.has(name)) {
      buffer += rawText(node);
      bufferLinks += name === 'a' ? rawText(node) : linkText(node);
      pending.push(...mediaIn(node));
      return;
    }
    flush();
    if (onMedia !== undefined && MEDIA_TAGS.has(name)) {
      // A figure, picture or player: its inner text (caption, fallback) is emitted as before.
      const at = blocks.length;
      const sink = onMedia;
      onMedia = undefined;
      for (const child of node.children) visit(child);
      flush();
      onMedia = sink;
      sink(node, at, blocks.length - at);
      return;
    }
    const heading = HEADING.exec(name);
    if (heading) push(node, 'heading', { level: Number(heading[1]) });
    else if (holdsBlocks(node)) {
      // A list or item that holds paragraphs (a post in <ul><li>…) is a container, not a list.
      for (const child of node.children) visit(child);
      flush();
    } else if (PARAGRAPH.has(name)) push(node, 'paragraph');
    else if (name === 'blockquote') push(node, 'quote');
    else if (name === 'ul' || name === 'ol') {
      const items = node.children
        .filter((c): c is Element => isElement(c) && c.name === 'li')
        .map((li) => tidy(rawText(li)))
        .filter((t) => t.length > 0);
      for (const m of mediaIn(node)) onMedia?.(m, blocks.length + (items.length > 0 ? 1 : 0), 0);
      if (items.length > 0) {
        const text = items.join('\n');
        blocks.push({
          text,
          hint: 'list',
          items,
          ordered: name === 'ol',
          linkDensity: density(tidy(linkText(node)).length, tidy(rawText(node))),
        });
      }
    } else if (name === 'table' && isDataTable(node)) {
      // A data table (results, recipe steps, label/value grid) is judged as one block, row by row.
      const rows = tableRows(node);
      if (rows.length > 0) {
        blocks.push({
          text: rows.join('\n'),
          hint: 'list',
          items: rows,
          linkDensity: density(tidy(linkText(node)).length, tidy(rawText(node))),
        });
      }
    } else {
      for (const child of node.children) visit(child);
      flush();
    }
  };
  for (const root of roots) visit(root);
  flush();
  return blocks;
}
