/**
 * `kiosque build` output: BuildReport → plain text (one summary line, timings, one line per remote
 * source, then added / updated / retained / duplicate / folded / failed / skipped items), and a progress bar
 * for terminals (redrawn in place on stderr, at most every PROGRESS_REDRAW_MS).
 *
 * Must not: decide anything about the build, write outside the given sinks, or print untrusted
 * text raw: every line goes through escapeControl (a file name with a newline or an ANSI escape
 * cannot forge a line or clear the terminal; each line's own template has no control character).
 */

import type { BuildReport } from '../core/orchestrate/regenerate.ts';
import type { RemoteProgress } from '../core/remote/collect-remote.ts';
import { escapeControl } from '../core/report/escape-control.ts';

const PROGRESS_REDRAW_MS = 100;
const BAR_WIDTH = 24;

export function formatBuildReport(report: BuildReport, outDir: string): string {
  if (!report.ok) {
    const lines = [`${report.busy ? 'build not run' : 'build failed'}: ${report.error}`];
    for (const f of report.failed) lines.push(`  failed    ${f.sourceId}: ${f.message}`);
    return `${lines.map(escapeControl).join('\n')}\n`;
  }
  const remote = report.remote;
  const s = report.summary;
  const lines = [
    `built ${report.itemCount} items in ${report.durationMs} ms: ${report.added.length} added, ${report.updated.length} updated, ${report.unchanged} unchanged, ${remote?.retained.length ?? 0} retained, ${report.failed.length} failed, ${report.skipped.length} skipped; ${report.changedDocuments.length} documents changed → ${outDir}`,
  ];
  if (s) {
    lines.push(
      `  timings   collect ${s.timings.collectMs} ms, clean ${s.timings.cleanMs} ms (${s.cleanReused} reused, ${s.cleaned} cleaned), publish ${s.timings.publishMs} ms`,
    );
  }
  for (const src of remote?.sources ?? []) {
    const detail =
      src.error ??
      (src.deferredUntil ? `deferred until ${src.deferredUntil} (upstream Retry-After)` : undefined) ??
      `${src.entries} entries, ${src.items} items${src.failedItems ? `, ${src.failedItems} failed` : ''}${src.reusedPages ? `, ${src.reusedPages} pages reused (feed unchanged)` : ''}`;
    lines.push(`  source    ${src.name} [${src.type}] ${src.status} in ${src.ms} ms: ${detail}`);
  }
  for (const id of report.added) lines.push(`  added     ${id}`);
  for (const id of report.updated) lines.push(`  updated   ${id}`);
  for (const r of remote?.retained ?? []) lines.push(`  retained  ${r.sourceId}: ${r.reason}`);
  for (const d of remote?.duplicates ?? []) lines.push(`  duplicate ${d.url} = ${d.sameAs}`);
  for (const e of remote?.expired ?? []) lines.push(`  expired   ${e}`);
  for (const f of report.folded ?? []) lines.push(`  folded    ${f.file} → ${f.into} (same story)`);
  for (const f of report.failed) lines.push(`  failed    ${f.sourceId}: ${f.message}`);
  for (const k of report.skipped) lines.push(`  skipped   ${k.sourceId}: ${k.message}`);
  return `${lines.map(escapeControl).join('\n')}\n`;
}

export interface ProgressBar {
  update(progress: RemoteProgress): void;
  done(): void;
}

/** A one-line progress bar redrawn with `\r`; `now` is injectable for tests. */
export function createProgressBar(write: (text: string) => void, now: () => number = Date.now): ProgressBar {
  let last = Number.NEGATIVE_INFINITY;
  let drawn = false;
  return {
    update({ done, total, label }) {
      const t = now();
      if (t - last < PROGRESS_REDRAW_MS && done < total) return;
      last = t;
      const filled = total > 0 ? Math.round((done / total) * BAR_WIDTH) : 0;
      const bar = `${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}`;
      write(`\r\x1b[2K[${bar}] ${done}/${total} ${escapeControl(label.slice(0, 60))}`);
      drawn = true;
    },
    done() {
      if (drawn) write('\r\x1b[2K');
    },
  };
}
