/**
 * Blocks → HTML body (`<p>`, `<h2>`–`<h6>`, `<blockquote>`, `<ul>/<ol>`), every text escaped, with
 * the kept images and players (media-to-html.ts) each before the block it preceded in the source,
 * then passed through the allow-list sanitiser as a second line of defence.
 *
 * Must not: trust block text as markup (it is plain text by contract).
 */
import { sanitiseHtml } from '../clean/sanitise-html.ts';
import type { Block, MediaBlock } from '../model.ts';

import { escapeHtmlText } from './escape-html.ts';
import { mediaToHtml } from './media-to-html.ts';

export { escapeHtmlText } from './escape-html.ts';

function blockToHtml(block: Block): string {
  switch (block.kind) {
    case 'heading': {
      const level = Math.min(6, Math.max(2, block.level ?? 2));
      return `<h${level}>${escapeHtmlText(block.text)}</h${level}>`;
    }
    case 'quote':
      return `<blockquote><p>${escapeHtmlText(block.text)}</p></blockquote>`;
    case 'list': {
      const tag = block.ordered ? 'ol' : 'ul';
      const items = block.items ?? block.text.split('\n');
      return `<${tag}>${items.map((item) => `<li>${escapeHtmlText(item)}</li>`).join('')}</${tag}>`;
    }
    case 'paragraph':
      return `<p>${escapeHtmlText(block.text)}</p>`;
  }
}

/** The sanitised HTML body of an item; without media, byte for byte what it was before media. */
export function blocksToHtml(blocks: readonly Block[], media: readonly MediaBlock[] = []): string {
  if (media.length === 0) return sanitiseHtml(blocks.map(blockToHtml).join('\n'));
  const parts: string[] = [];
  let m = 0;
  blocks.forEach((block, i) => {
    for (; m < media.length && (media[m]?.before ?? 0) <= i; m++)
      parts.push(mediaToHtml(media[m] as MediaBlock));
    parts.push(blockToHtml(block));
  });
  for (; m < media.length; m++) parts.push(mediaToHtml(media[m] as MediaBlock));
  return sanitiseHtml(parts.join('\n'));
}

/** The plain-text body of an item: blocks separated by blank lines. */
export function blocksToText(blocks: readonly Block[]): string {
  return blocks.map((block) => block.text).join('\n\n');
}
