/**
 * Plain-text parser: optional YAML front matter, then blocks separated by blank lines.
 * Input: RawDocument (format `text`). Output: ParsedDocument with `paragraph` hints only.
 *
 * - Inner line breaks of a paragraph become spaces (hard-wrapped prose is one block).
 * - Near the head and tail of the file, a block whose lines are NOT hard-wrapped prose is split
 *   into one block per line: scraped pages often glue a kicker, a title and a "related" label
 *   together, or a disclaimer and a "back to top" link, without blank lines between them.
 * - Anywhere, a block whose lines are all `Label : value` lines (a recipe's times, a match sheet)
 *   is split the same way, so the cleaner judges the grid as a run and never as one glued line.
 *
 * Must not: classify blocks (the cleaner does). Tunables: the constants below (loader-only).
 */
import { isLabelValueLine } from '../clean/text-zones.ts';
import type { ParsedDocument, RawBlock, RawDocument } from '../model.ts';
import { splitFrontMatter } from './front-matter.ts';
import { mergeMetadata, normaliseMetadata } from './normalise-metadata.ts';

/** How many blocks at each end of the file are checked for glued single-line items. */
const EDGE_BLOCKS = 3;
/** Hard-wrapped prose has lines no longer than this (typical wrap columns are 72–100). */
const WRAP_MAX_LINE = 100;
/** …and every line but the last fills at least this share of the longest line. */
const WRAP_MIN_FILL = 0.6;

const BLANK_LINE = /\n[ \t\u00A0\u3000]*\n/;
const WHITESPACE_RUN = /\s+/gu;
/** Whether folding WHITESPACE_RUN to single spaces would change the text (most lines: no). */
const FOLDABLE_SPACE = /\s\s|[^\S ]/u;
const foldSpaces = (text: string): string =>
  FOLDABLE_SPACE.test(text) ? text.replace(WHITESPACE_RUN, ' ') : text;

/** A short last line under this length after an unpunctuated line is a glued item ("By Jane Doe"). */
const GLUED_LAST_LINE = 40;
const ENDS_UNPUNCTUATED = /[\p{L}\p{N}]$/u;
const STARTS_CAPITAL = /^[\p{Lu}\p{Lo}\p{N}«"“(]/u;

/**
 * True when `lines` look like one paragraph wrapped at a fixed column: no line longer than a
 * wrap column, every line but the last filling most of it, and no short capitalised last line
 * hanging off an unpunctuated one (a headline followed by its byline).
 */
function isHardWrapped(lines: readonly string[]): boolean {
  const lengths = lines.map((l) => l.length);
  const longest = Math.max(...lengths);
  if (longest > WRAP_MAX_LINE) return false;
  if (!lengths.slice(0, -1).every((n) => n >= longest * WRAP_MIN_FILL)) return false;
  const last = lines[lines.length - 1] ?? '';
  const beforeLast = lines[lines.length - 2] ?? '';
  const glued =
    last.length < GLUED_LAST_LINE && ENDS_UNPUNCTUATED.test(beforeLast) && STARTS_CAPITAL.test(last);
  return !glued;
}

/** Split a plain-text body into candidate blocks. Exported for tests and the Markdown fallback. */
export function splitTextBlocks(body: string): RawBlock[] {
  const chunks = body
    .replace(/\r\n?/g, '\n')
    .split(BLANK_LINE)
    .map((chunk) =>
      chunk
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l.length > 0),
    )
    .filter((lines) => lines.length > 0);

  const blocks: RawBlock[] = [];
  chunks.forEach((lines, i) => {
    const atEdge = i < EDGE_BLOCKS || i >= chunks.length - EDGE_BLOCKS;
    // A grid of `Label : value` lines is one line per block anywhere: the cleaner judges the run.
    const grid = lines.length > 1 && lines.every(isLabelValueLine);
    if (grid || (lines.length > 1 && atEdge && !isHardWrapped(lines))) {
      for (const line of lines) blocks.push({ text: foldSpaces(line), hint: 'paragraph' });
    } else {
      blocks.push({
        text: foldSpaces(lines.length === 1 ? (lines[0] ?? '') : lines.join(' ')),
        hint: 'paragraph',
      });
    }
  });
  return blocks;
}

export function parseText(raw: RawDocument): ParsedDocument {
  const { data, body } = splitFrontMatter(raw.body);
  return {
    raw,
    metadata: mergeMetadata(raw.metadata, normaliseMetadata(data)),
    blocks: splitTextBlocks(body),
  };
}
