/**
 * The publish lock: one build at a time per state store (cron and a manual `kiosque build`, two
 * replicas, two Worker invocations), as a lease in Storage. A run takes the lease before it reads
 * any state and gives it back after its last write; a long run renews it; a run that finds a live
 * lease held by another owner waits up to `waitMs`, then refuses with PublishLockBusyError having
 * changed nothing; an expired lease (its holder was killed) is taken over, with a log line; so is
 * a live one whose owner the entry knows is gone (`ownerGone`: same host, process not running).
 *
 * The lease is `lock.json` in the state store: `{ owner, acquiredAt, expiresAt }`. Taking it is a
 * create-if-absent (`Storage.putIfAbsent`; atomic on memory, fs and R2; a read then a write on KV
 * and on drivers without it). Taking over an expired lease first creates
 * `lock-takeover/<digest of the expired lease's bytes>.json` (create-if-absent again, so of the
 * runs that saw the same expired lease exactly one goes on), checks that `lock.json` still holds
 * those bytes, then overwrites it (a marker whose taker died outlives its lease and is deleted;
 * that second-order takeover is a read then a delete, not atomic). Renewing and releasing check that the lease is still this
 * run's (owner and acquiredAt) before writing: a run whose lease was taken over (it stalled past
 * expiry) stops renewing and its run is aborted before it publishes (the signal given to `run`).
 *
 * Must not: read the clock or wait other than through `clock` and `sleep`, or import a driver.
 * Tunables: LOCK_TIMINGS below. Documented in docs/hardening.md ("Publish lock").
 */
import type { Clock, Sleep } from '../../ports/clock.ts';
import type { Logger } from '../../ports/logger.ts';
import type { Storage } from '../../ports/storage.ts';
import { sha256Hex } from '../digest/hash.ts';

/** The lease key in the state store. */
export const LOCK_KEY = 'lock.json';
/** Markers of expired leases being taken over (one per expired lease, deleted on release). */
export const LOCK_TAKEOVER_PREFIX = 'lock-takeover/';

export const LOCK_TIMINGS = {
  /**
   * How long a lease lasts without renewal: how long a killed holder blocks the next build. Two
   * minutes: far more than a storage call, far less than the 15-minute default schedule.
   */
  leaseMs: 120_000,
  /** A live run renews its lease this often: three renewals fit in one lease. */
  renewEveryMs: 30_000,
  /** How long a build waits for another holder before refusing (a manual build meeting the cron). */
  waitMs: 30_000,
  /** How often a waiting build looks at the lease again. */
  pollMs: 1_000,
} as const;

export interface Lease {
  readonly owner: string;
  readonly acquiredAt: string;
  readonly expiresAt: string;
}

export interface LockDeps {
  /** The state store: one lock per state store. */
  readonly state: Storage;
  readonly clock: Clock;
  readonly sleep: Sleep;
  readonly logger: Logger;
  /**
   * True when the owner named in a lease is known to be gone (Node: same host, its process is not
   * running): its lease is taken over at once instead of after its expiry. Absent: expiry only.
   */
  readonly ownerGone?: (owner: string) => boolean;
}

export interface LockOptions {
  /** Unique per run (the entry makes it: host, process, a random part). */
  readonly owner: string;
  readonly leaseMs?: number;
  readonly renewEveryMs?: number;
  readonly waitMs?: number;
  readonly pollMs?: number;
}

/** Another build holds the lease; this one changed nothing. */
export class PublishLockBusyError extends Error {
  override readonly name = 'PublishLockBusyError';
  constructor(
    readonly holder: Lease,
    waitedMs: number,
  ) {
    super(
      `another build holds the publish lock (owner ${holder.owner}, since ${holder.acquiredAt}, ` +
        `lease until ${holder.expiresAt}); waited ${Math.round(waitedMs / 1000)} s, nothing was changed. ` +
        'Run again once it is done (a killed build frees the lock when its lease expires)',
    );
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function leaseBytes(lease: Lease): Uint8Array {
  return encoder.encode(`${JSON.stringify(lease)}\n`);
}

/** The stored lease; an unreadable one counts as expired (its bytes still name the takeover). */
function parseLease(bytes: Uint8Array): Lease | null {
  try {
    const value = JSON.parse(decoder.decode(bytes)) as Partial<Lease>;
    if (
      typeof value.owner === 'string' &&
      typeof value.acquiredAt === 'string' &&
      typeof value.expiresAt === 'string'
    )
      return { owner: value.owner, acquiredAt: value.acquiredAt, expiresAt: value.expiresAt };
  } catch {
    // fall through
  }
  return null;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && a.every((byte, i) => byte === b[i]);
}

async function createIfAbsent(state: Storage, key: string, body: Uint8Array): Promise<boolean> {
  if (state.putIfAbsent) return state.putIfAbsent(key, body);
  if ((await state.get(key)) !== null) return false;
  await state.put(key, body);
  return true;
}

function newLease(owner: string, clock: Clock, leaseMs: number): Lease {
  const now = clock.now().getTime();
  return {
    owner,
    acquiredAt: new Date(now).toISOString(),
    expiresAt: new Date(now + leaseMs).toISOString(),
  };
}

type Attempt =
  | { readonly lease: Lease; readonly takeover: string | null }
  | { readonly holder: Lease; readonly lease?: undefined };

/** One try: the lease taken (fresh, or over an expired one), or the live holder. */
export async function tryAcquireLease(deps: LockDeps, owner: string, leaseMs: number): Promise<Attempt> {
  const { state, clock, logger } = deps;
  for (;;) {
    const mine = newLease(owner, clock, leaseMs);
    if (await createIfAbsent(state, LOCK_KEY, leaseBytes(mine))) return { lease: mine, takeover: null };
    const stored = await state.get(LOCK_KEY);
    if (stored === null) continue; // released meanwhile: try again
    const current = parseLease(stored.body);
    const live = current !== null && Date.parse(current.expiresAt) > clock.now().getTime();
    if (current && live && !deps.ownerGone?.(current.owner)) return { holder: current };
    // Expired (or unreadable): of the runs that saw these bytes, the one that makes the marker goes on.
    const takeover = `${LOCK_TAKEOVER_PREFIX}${(await sha256Hex(decoder.decode(stored.body))).slice(0, 32)}.json`;
    const holder = current ?? { owner: 'unknown (unreadable lease)', acquiredAt: '', expiresAt: '' };
    if (!(await createIfAbsent(state, takeover, leaseBytes(mine)))) {
      // Another run is taking it over; unless that run died too (its marker outlived a lease).
      const marker = await state.get(takeover);
      const taker = marker ? parseLease(marker.body) : null;
      if (taker && Date.parse(taker.expiresAt) > clock.now().getTime()) return { holder: taker };
      await state.delete(takeover);
      continue;
    }
    const again = await state.get(LOCK_KEY);
    if (again === null || !sameBytes(again.body, stored.body)) {
      await state.delete(takeover);
      continue;
    }
    const taken = newLease(owner, clock, leaseMs);
    await state.put(LOCK_KEY, leaseBytes(taken));
    logger.warn('publish lock: took over an expired lease (its build was killed or stalled)', {
      previousOwner: holder.owner,
      ...(live ? { reason: 'its process is gone' } : {}),
      acquiredAt: holder.acquiredAt,
      expiredAt: holder.expiresAt,
    });
    return { lease: taken, takeover };
  }
}

/** Whether the stored lease is still `lease` (same owner and acquisition). */
async function stillMine(state: Storage, lease: Lease): Promise<boolean> {
  const stored = await state.get(LOCK_KEY);
  const current = stored ? parseLease(stored.body) : null;
  return current?.owner === lease.owner && current.acquiredAt === lease.acquiredAt;
}

export interface HeldLock {
  readonly lease: Lease;
  /** Pushes the expiry out by a lease; false when the lease is no longer this run's. */
  renew(): Promise<boolean>;
  /** Gives the lease back (only if it is still this run's). */
  release(): Promise<void>;
}

/** Takes the lease, waiting up to `waitMs` for a live holder; throws PublishLockBusyError after. */
export async function acquirePublishLock(deps: LockDeps, options: LockOptions): Promise<HeldLock> {
  const leaseMs = options.leaseMs ?? LOCK_TIMINGS.leaseMs;
  const waitMs = options.waitMs ?? LOCK_TIMINGS.waitMs;
  const pollMs = options.pollMs ?? LOCK_TIMINGS.pollMs;
  const start = deps.clock.now().getTime();
  let logged = false;
  for (;;) {
    const attempt = await tryAcquireLease(deps, options.owner, leaseMs);
    if (attempt.lease) return held(deps, attempt.lease, attempt.takeover, leaseMs);
    const waited = deps.clock.now().getTime() - start;
    if (waited >= waitMs) throw new PublishLockBusyError(attempt.holder, waited);
    if (!logged) {
      deps.logger.info('publish lock held by another build; waiting', {
        owner: attempt.holder.owner,
        expiresAt: attempt.holder.expiresAt,
        waitMs,
      });
      logged = true;
    }
    await deps.sleep(Math.min(pollMs, waitMs - waited));
  }
}

function held(deps: LockDeps, first: Lease, takeover: string | null, leaseMs: number): HeldLock {
  let lease = first;
  return {
    get lease() {
      return lease;
    },
    async renew() {
      if (!(await stillMine(deps.state, lease))) return false;
      const expiresAt = new Date(deps.clock.now().getTime() + leaseMs).toISOString();
      lease = { ...lease, expiresAt };
      await deps.state.put(LOCK_KEY, leaseBytes(lease));
      return true;
    },
    async release() {
      if (await stillMine(deps.state, lease)) await deps.state.delete(LOCK_KEY);
      if (takeover !== null) await deps.state.delete(takeover);
    },
  };
}

/**
 * Runs `run` holding the lease, renewing it every `renewEveryMs`; `run`'s signal aborts when the
 * lease is lost (regenerate then stops before publishing). The lease is released however `run` ends.
 */
export async function withPublishLock<T>(
  deps: LockDeps,
  options: LockOptions,
  run: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const lock = await acquirePublishLock(deps, options);
  const renewEveryMs = options.renewEveryMs ?? LOCK_TIMINGS.renewEveryMs;
  const lost = new AbortController();
  const stop = new AbortController();
  const renewing = (async () => {
    for (;;) {
      await deps.sleep(renewEveryMs, stop.signal);
      if (stop.signal.aborted) return;
      const renewed = await lock.renew().catch((error: unknown) => {
        deps.logger.warn('publish lock: could not renew the lease; trying again', {
          error: (error as Error).message,
        });
        return true;
      });
      if (!renewed) {
        deps.logger.error(
          'publish lock lost: another build took the lease over; this run stops unpublished',
          {
            owner: lock.lease.owner,
          },
        );
        lost.abort();
        return;
      }
    }
  })();
  try {
    return await run(lost.signal);
  } finally {
    stop.abort();
    await renewing;
    await lock.release().catch((error: unknown) =>
      deps.logger.warn('publish lock: could not release the lease (it expires by itself)', {
        error: (error as Error).message,
      }),
    );
  }
}
