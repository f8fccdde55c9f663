/**
 * Wires the Node drivers into the ports: filesystem storages for content/, feeds/ and
 * state, node:zlib compression, the system clock, a stderr logger; and runs one
 * regeneration with them.
 *
 * Must not: hold pipeline logic (that is `regenerate`) or HTTP logic (that is the app).
 */
import type { KiosqueConfig } from '../config.ts';
import type { SiteInfo } from '../core/model.ts';
import { type BuildReport, type RegenerateDeps, regenerate } from '../core/pipeline/regenerate.ts';
import { createSystemClock } from '../drivers/clock/system-clock.ts';
import { createNodeCompressor } from '../drivers/compressor/node-zlib.ts';
import { createConsoleLogger } from '../drivers/logger/console-logger.ts';
import { createFsStorage } from '../drivers/storage/fs.ts';
import type { Logger } from '../ports/logger.ts';

export function siteInfoOf(config: KiosqueConfig): SiteInfo {
  return { ...config.site, ttlMinutes: config.ttlMinutes };
}

export function createNodeDeps(
  config: KiosqueConfig,
  logger: Logger = createConsoleLogger(),
): RegenerateDeps {
  return {
    content: createFsStorage(config.contentDir),
    published: createFsStorage(config.outDir),
    state: createFsStorage(config.stateDir),
    clock: createSystemClock(),
    logger,
    compressor: createNodeCompressor(),
  };
}

export function runBuild(config: KiosqueConfig, deps: RegenerateDeps): Promise<BuildReport> {
  return regenerate(deps, { site: siteInfoOf(config), feedSize: config.feedSize });
}
