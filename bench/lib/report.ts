/**
 * Shared shapes for bench results, and number formatting for the console table and RESULTS.md.
 * Must not: measure anything.
 */

/** One line of the summary: a goal, the figure measured, pass or miss. */
export interface GoalResult {
  readonly goal: string;
  readonly target: string;
  readonly measured: string;
  /** null when not measured in this run; 'reported' for a figure the issue asks to report, with no bound. */
  readonly pass: boolean | null | 'reported';
  readonly note?: string;
}

export interface SectionResult {
  readonly title: string;
  /** Markdown body (tables, notes). */
  readonly markdown: string;
  readonly goals: readonly GoalResult[];
  /** Exact command lines used, for the Commands section. */
  readonly commands: readonly string[];
}

export function fmt(value: number, digits = 1): string {
  if (!Number.isFinite(value)) return '—';
  if (Math.abs(value) >= 1000) return Math.round(value).toLocaleString('en-US');
  return value.toFixed(digits);
}

export function ms(value: number): string {
  if (!Number.isFinite(value)) return '—';
  if (value >= 10_000) return `${(value / 1000).toFixed(1)} s`;
  return `${value >= 100 ? Math.round(value) : value.toFixed(1)} ms`;
}

export function mb(value: number): string {
  return Number.isFinite(value) ? `${Math.round(value).toLocaleString('en-US')} MB` : '—';
}

export function passMark(pass: GoalResult['pass']): string {
  if (pass === 'reported') return 'reported';
  return pass === null ? 'not measured' : pass ? 'PASS' : 'MISS';
}

export function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}

/** Plain-text table for the console (column widths from content). */
export function consoleTable(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}
