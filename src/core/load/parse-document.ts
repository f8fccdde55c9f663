/**
 * One dispatch from a RawDocument to its format's parser (one file per format).
 * Input: RawDocument. Output: ParsedDocument (candidate blocks + explicit metadata).
 *
 * Must not: clean or classify blocks. No tunables here; each parser documents its own.
 */
import type { ParsedDocument, RawDocument } from '../model.ts';
import { parseHtml } from './parse-html.ts';
import { parseMarkdown } from './parse-markdown.ts';
import { parseText } from './parse-text.ts';

export function parseDocument(raw: RawDocument): ParsedDocument {
  switch (raw.format) {
    case 'text':
      return parseText(raw);
    case 'markdown':
      return parseMarkdown(raw);
    case 'html':
      return parseHtml(raw);
  }
}
