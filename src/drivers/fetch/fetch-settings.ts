/**
 * The Node Fetch driver's settings: the `fetch.*` config values plus the backoff bounds, and the
 * defaults a caller's partial options are laid over.
 *
 * Must not: validate (the config was validated at the entry: core/remote/parse-remote-config.ts).
 * Tunables: DEFAULT_FETCH_SETTINGS (retryBaseMs, retryCapMs; the rest is DEFAULT_FETCH_CONFIG).
 */
import { DEFAULT_FETCH_CONFIG, type FetchConfig } from '../../core/remote/parse-remote-config.ts';

/**
 * `retries` counts the attempts after the first one; `maxRetryAfterMs` is the longest Retry-After
 * honoured (a longer one gives up at once); `allowPrivateNetworks` allows loopback/private/link-local
 * targets (tests, intranet deployments).
 */
export interface FetchSettings extends FetchConfig {
  readonly retryBaseMs: number;
  readonly retryCapMs: number;
}

export const DEFAULT_FETCH_SETTINGS: FetchSettings = {
  ...DEFAULT_FETCH_CONFIG,
  // Backoff from half a second, never above 8 s between attempts: a run must not stall on one host.
  retryBaseMs: 500,
  retryCapMs: 8_000,
};

/** DEFAULT_FETCH_SETTINGS with every setting `options` gives (an undefined one keeps the default). */
export function resolveFetchSettings(options: object): FetchSettings {
  const given: Record<string, unknown> = {};
  for (const key of Object.keys(DEFAULT_FETCH_SETTINGS)) {
    const v = (options as Record<string, unknown>)[key];
    if (v !== undefined) given[key] = v;
  }
  return { ...DEFAULT_FETCH_SETTINGS, ...(given as Partial<FetchSettings>) };
}
