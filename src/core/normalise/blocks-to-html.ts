/**
 * Blocks → HTML body (`<p>`, `<h2>`–`<h6>`, `<blockquote>`, `<ul>/<ol>`), every text escaped,
 * then passed through the allow-list sanitiser as a second line of defence.
 *
 * Must not: trust block text as markup (it is plain text by contract).
 */
import { sanitiseHtml } from '../clean/sanitise-html.ts';
import type { Block } from '../model.ts';

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML element content and attribute values. */
export function escapeHtmlText(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch] ?? ch);
}

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

/** The sanitised HTML body of an item. */
export function blocksToHtml(blocks: readonly Block[]): string {
  return sanitiseHtml(blocks.map(blockToHtml).join('\n'));
}

/** The plain-text body of an item: blocks separated by blank lines. */
export function blocksToText(blocks: readonly Block[]): string {
  return blocks.map((block) => block.text).join('\n\n');
}
