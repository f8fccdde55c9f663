/**
 * Where the shared feedcheck harness is, and whether it can run: tests that need it call
 * findFeedcheck() and skip with its one-line reason when it cannot.
 *
 * Found at $FEEDCHECK, else at ../shared/feedcheck/feedcheck beside the repository (resolved from
 * this file, never from the working directory or a machine path). It can run when its entry
 * point answers `--help` (its npm dependencies are installed) and its Debian tools are on PATH;
 * `bash ../shared/feedcheck/install.sh` installs both.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The repository root: this file is tests/support/feedcheck.ts. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

const DEFAULT_PATH = fileURLToPath(new URL('../../../shared/feedcheck/feedcheck', import.meta.url));
const INSTALL_HINT =
  'install it with `bash ../shared/feedcheck/install.sh` or point FEEDCHECK at its entry point';
/** Debian tools install.sh adds; without them feedcheck's XML checks cannot run. */
const TOOLS = ['xmllint', 'jing'] as const;

export type FeedcheckLookup =
  | { readonly ready: true; readonly path: string }
  | { readonly ready: false; readonly path: string; readonly reason: string };

export function findFeedcheck(env: NodeJS.ProcessEnv = process.env): FeedcheckLookup {
  const path = env.FEEDCHECK || DEFAULT_PATH;
  const from = env.FEEDCHECK ? 'FEEDCHECK' : '../shared/feedcheck/feedcheck';
  if (!existsSync(path))
    return { ready: false, path, reason: `feedcheck not found at ${from}; ${INSTALL_HINT}` };
  const help = spawnSync(path, ['--help'], { encoding: 'utf8', timeout: 30_000 });
  if (help.error !== undefined || help.status !== 0) {
    return {
      ready: false,
      path,
      reason: `feedcheck at ${from} is not installed (its dependencies are missing); ${INSTALL_HINT}`,
    };
  }
  const missing = TOOLS.filter((tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0);
  if (missing.length > 0) {
    return {
      ready: false,
      path,
      reason: `feedcheck needs ${missing.join(' and ')} on PATH; ${INSTALL_HINT}`,
    };
  }
  return { ready: true, path };
}
