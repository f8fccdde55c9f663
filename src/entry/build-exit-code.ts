/**
 * `kiosque build`'s exit status: BuildReport → one code from a small documented table, so a cron
 * job or CI step can tell "published" from "published, but something failed" from "nothing
 * published" without parsing the report. The only place the report is mapped to a code.
 *
 * Must not: print, or look at anything but the report. The table is documented in
 * docs/remote-sources.md ("Exit codes"); keep the two in step.
 */
import type { BuildReport } from '../core/orchestrate/regenerate.ts';

/** The codes `kiosque build` exits with, worst last. */
export const BUILD_EXIT = {
  /** Published; nothing failed (a source deferred by its Retry-After is not a failure). */
  published: 0,
  /** The build failed: nothing was published, the last good feeds stay. */
  failed: 1,
  /** Usage or configuration error: nothing was run (set by the CLI before building). */
  usage: 2,
  /** Published, but some remote source, entry page or content file failed (see `failed` lines). */
  partial: 3,
  /** Published, but every remote source failed: none was fetched or revalidated. */
  remoteDown: 4,
  /**
   * Not run: another build held the publish lock past the wait (core/publish/publish-lock.ts);
   * nothing was read or changed. Distinct from 1 so a cron wrapper can simply try again later.
   */
  busy: 5,
} as const;

export type BuildExitCode = (typeof BUILD_EXIT)[keyof typeof BUILD_EXIT];

/** The exit code that says what a build did. */
export function buildExitCode(report: BuildReport): BuildExitCode {
  if (!report.ok) return report.busy ? BUILD_EXIT.busy : BUILD_EXIT.failed;
  const sources = report.remote?.sources ?? [];
  const failedSources = sources.filter((s) => s.status === 'failed').length;
  const answered = sources.filter((s) => s.status === 'fetched' || s.status === 'not-modified').length;
  if (failedSources > 0 && answered === 0) return BUILD_EXIT.remoteDown;
  if (failedSources > 0 || report.failed.length > 0) return BUILD_EXIT.partial;
  return BUILD_EXIT.published;
}
