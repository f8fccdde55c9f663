/**
 * How a bench child sets a build up, the way `kiosque build` does: the default config (an empty
 * folder has no kiosque.config.json, and no environment override is passed) pointed at a content
 * and an output folder, with Node's drivers and a silent logger.
 *
 * Must not: read the real environment or the working directory's config file.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KiosqueConfig } from '../../src/config.ts';
import { loadConfig } from '../../src/entry/load-config.ts';
import { createNodeDeps } from '../../src/entry/node-runtime.ts';
import type { Logger } from '../../src/ports/logger.ts';

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/** Defaults with `contentDir`, `outDir` and `stateDir` (`<out>/.state`); absolute paths expected. */
export function benchBuild(
  contentDir: string,
  outDir: string,
  /** Settings changed from the defaults (bench/settings-change.ts). */
  overrides: Partial<KiosqueConfig> = {},
): {
  config: KiosqueConfig;
  deps: ReturnType<typeof createNodeDeps>;
} {
  const { config: defaults } = loadConfig(undefined, {}, mkdtempSync(join(tmpdir(), 'kiosque-cfg-')));
  const config = { ...defaults, ...overrides, contentDir, outDir, stateDir: join(outDir, '.state') };
  return { config, deps: createNodeDeps(config, silent) };
}
