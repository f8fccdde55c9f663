/**
 * Wires the Node drivers into the ports: filesystem storages for content/, feeds/ and
 * state, node:zlib compression, the system clock, a stderr logger; and runs one
 * regeneration with them.
 *
 * Must not: hold pipeline logic (that is `regenerate`) or HTTP logic (that is the app).
 */

import { randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import type { KiosqueConfig } from '../config.ts';
import type { SiteInfo } from '../core/model.ts';
import { type BuildReport, type RegenerateDeps, regenerate } from '../core/orchestrate/regenerate.ts';
import { type LockOptions, PublishLockBusyError, withPublishLock } from '../core/publish/publish-lock.ts';
import type { RemoteProgress } from '../core/remote/collect-remote.ts';
import { createSystemClock, createSystemSleep } from '../drivers/clock/system-clock.ts';
import { createNodeCompressor } from '../drivers/compressor/node-zlib.ts';
import { createUndiciFetch, type FetchDriver, kiosqueUserAgent } from '../drivers/fetch/undici-fetch.ts';
import { createConsoleLogger } from '../drivers/logger/console-logger.ts';
import { createFsStorage } from '../drivers/storage/fs.ts';
import { createHubPinger, type HubPinger } from '../drivers/websub/undici-hub-pinger.ts';
import type { Sleep } from '../ports/clock.ts';
import type { Logger } from '../ports/logger.ts';
import { notStartedReport } from './not-started-report.ts';
import { KIOSQUE_VERSION } from './package-version.ts';

// The cleaner's chrome lexicon is a few dozen large case-insensitive Unicode regexes. V8 compiles
// a regex twice by default (bytecode first, native code once it is hot): for a build that cleans
// one changed file that is ~30 ms of compiling the same patterns twice. Native code from the first
// match compiles them once (regexes are compiled on first use, so this module's imports are early
// enough). Measured in bench/diagnosis.md.
setFlagsFromString('--no-regexp-tier-up');

/** The undici fetch driver for remote sources, or undefined when none is configured. */
export function createNodeFetch(config: KiosqueConfig, logger: Logger): FetchDriver | undefined {
  if (config.remote.sources.length === 0) return undefined;
  return createUndiciFetch({
    ...config.remote.fetch,
    userAgent: kiosqueUserAgent(KIOSQUE_VERSION, config.site.baseUrl),
    logger,
  });
}

export function siteInfoOf(config: KiosqueConfig): SiteInfo {
  return { ...config.site, ttlMinutes: config.ttlMinutes };
}

/** The WebSub pinger for the configured hubs, or undefined when none is configured. */
export function createNodeNotifier(config: KiosqueConfig, logger: Logger): HubPinger | undefined {
  return config.hubs.length > 0 ? createHubPinger({ hubs: config.hubs, logger }) : undefined;
}

export function createNodeDeps(
  config: KiosqueConfig,
  logger: Logger = createConsoleLogger(),
  notifier: HubPinger | undefined = createNodeNotifier(config, logger),
  fetchDriver: FetchDriver | undefined = createNodeFetch(config, logger),
): RegenerateDeps {
  return {
    ...(notifier ? { notifier } : {}),
    ...(fetchDriver ? { fetch: fetchDriver.fetch } : {}),
    content: createFsStorage(config.contentDir),
    published: createFsStorage(config.outDir),
    state: createFsStorage(config.stateDir),
    clock: createSystemClock(),
    logger,
    compressor: createNodeCompressor(),
  };
}

export interface RunBuildExtras {
  /** Aborted on shutdown: the run is abandoned before publishing. */
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: RemoteProgress) => void;
  /** Content keys that may have changed (`kiosque build --changed`); others are trusted unchanged. */
  readonly changedKeys?: readonly string[];
  /** Rebuild everything, ignoring the indexes (`kiosque build --full`). */
  readonly full?: boolean;
  /** Publish-lock timings (core/publish/publish-lock.ts LOCK_TIMINGS by default) and waiting; for tests. */
  readonly lock?: Omit<LockOptions, 'owner'>;
  readonly sleep?: Sleep;
}

/** This run's lock owner: host, process and a random part (two runs of one process differ too). */
function lockOwner(): string {
  return `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

/**
 * Whether a lease's owner is a process of this host that no longer runs (a `kiosque build` killed
 * with SIGKILL): its lease need not be waited out. Another host's owner is never judged gone.
 */
export function lockOwnerGone(owner: string): boolean {
  const [host, pid] = owner.split(':');
  if (host !== hostname() || pid === undefined || !/^\d+$/.test(pid)) return false;
  if (Number(pid) === process.pid) return false;
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * Why the content folder cannot be read, or null when it can. A missing folder is not an empty
 * site: building from it would unpublish everything (docs/derived-state.md, guards).
 */
export async function contentFolderProblem(contentDir: string): Promise<string | null> {
  try {
    const info = await stat(contentDir);
    if (!info.isDirectory()) return `the content folder ${contentDir} is not a folder`;
    await access(contentDir, constants.R_OK | constants.X_OK);
    return null;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return `the content folder ${contentDir} does not exist`;
    return `the content folder ${contentDir} cannot be read (${code ?? (error as Error).message})`;
  }
}

export async function runBuild(
  config: KiosqueConfig,
  deps: RegenerateDeps,
  extras: RunBuildExtras = {},
): Promise<BuildReport> {
  const problem = await contentFolderProblem(config.contentDir);
  if (problem !== null) {
    deps.logger.error('build refused; the last good feeds stay published', { error: problem });
    return notStartedReport(
      `${problem}; nothing was changed (check --content or contentDir)`,
      deps.clock.now().toISOString(),
    );
  }
  // One build at a time per state store (cron, a manual build, a second replica): the publish lock.
  const lockDeps = {
    state: deps.state,
    clock: deps.clock,
    logger: deps.logger,
    sleep: extras.sleep ?? createSystemSleep(),
    ownerGone: lockOwnerGone,
  };
  try {
    return await withPublishLock(lockDeps, { owner: lockOwner(), ...extras.lock }, (lost) =>
      regenerate(deps, {
        ...(config.allowRemovals ? { allowRemovals: true } : {}),
        documentsPerBuild: config.limits.documentsPerBuild,
        sources: config.remote.sources,
        retentionDays: config.remote.retentionDays,
        signal: extras.signal ? AbortSignal.any([extras.signal, lost]) : lost,
        ...(extras.onProgress ? { onProgress: extras.onProgress } : {}),
        ...(extras.changedKeys ? { changedKeys: extras.changedKeys } : {}),
        ...(extras.full ? { full: true } : {}),
        site: siteInfoOf(config),
        feedSize: config.feedSize,
        syndication: {
          archivePageSize: config.archivePageSize,
          feedLimits: config.feedLimits,
          hubs: config.hubs,
        },
      }),
    );
  } catch (error) {
    if (!(error instanceof PublishLockBusyError)) throw error;
    deps.logger.warn('build refused: another build is publishing', { error: error.message });
    return { ...notStartedReport(error.message, deps.clock.now().toISOString()), busy: true };
  }
}
