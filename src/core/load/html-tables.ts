/**
 * Data tables as one block: a results table, recipe steps or a label/value grid cut into one
 * short block per cell lost its edges to the "short line at the edge" rule. A table whose cells
 * hold only inline content becomes one list block, one item per row ("cell · cell · cell"); a
 * layout table (cells holding paragraphs, lists or other tables) is still walked as a container.
 * Input: a <table> element. Output: whether it is a data table; its rows as text.
 *
 * Must not: judge the table (the cleaner does). No tunables beyond the cell separator.
 */
import type { AnyNode, Element } from 'domhandler';
import { isElement, rawText, tidy } from './html-dom.ts';

/** Between the cells of one row. */
const CELL_SEPARATOR = ' · ';
/** Children of a cell that make the table a layout grid rather than data. */
const LAYOUT_CHILDREN = new Set([
  'p',
  'div',
  'table',
  'ul',
  'ol',
  'section',
  'article',
  'h1',
  'h2',
  'h3',
  'blockquote',
]);

function descendants(el: Element, out: Element[] = []): Element[] {
  for (const c of el.children as AnyNode[]) {
    if (!isElement(c)) continue;
    out.push(c);
    descendants(c, out);
  }
  return out;
}

const cellsOf = (row: Element): Element[] =>
  row.children.filter((c): c is Element => isElement(c) && (c.name === 'td' || c.name === 'th'));

/** The table's own rows (thead/tbody/tfoot included, nested tables not). */
function ownRows(table: Element): Element[] {
  const rows: Element[] = [];
  for (const c of table.children) {
    if (!isElement(c)) continue;
    if (c.name === 'tr') rows.push(c);
    else if (c.name === 'thead' || c.name === 'tbody' || c.name === 'tfoot')
      for (const r of c.children) if (isElement(r) && r.name === 'tr') rows.push(r);
  }
  return rows;
}

export function isDataTable(table: Element): boolean {
  const rows = ownRows(table);
  if (rows.length === 0) return false;
  return rows.every((r) =>
    cellsOf(r).every((cell) => !descendants(cell).some((d) => LAYOUT_CHILDREN.has(d.name))),
  );
}

export function tableRows(table: Element): string[] {
  return ownRows(table)
    .map((r) =>
      cellsOf(r)
        .map((cell) => tidy(rawText(cell)))
        .filter((t) => t.length > 0)
        .join(CELL_SEPARATOR),
    )
    .filter((t) => t.length > 0);
}
