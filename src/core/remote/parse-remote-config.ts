/**
 * The remote part of the config file → validated values: `sources`, `fetch`, `retentionDays`,
 * `scheduleJitterSeconds`, `shutdownGraceSeconds`. Every error names the bad entry and what was
 * expected (`sources[2].url must be an absolute http(s) URL, got "ftp://x"`); `src/config.ts`
 * turns it into a ConfigError.
 *
 * Must not: fetch or resolve anything (a name that does not resolve is a run-time failure of one
 * source, not a config error). Defaults: DEFAULT_FETCH_CONFIG, DEFAULT_REMOTE_CONFIG below.
 */
import { DEFAULT_RETENTION_DAYS, type RemoteSource } from './remote-source.ts';

export interface FetchConfig {
  readonly connectTimeoutMs: number;
  readonly headersTimeoutMs: number;
  readonly bodyTimeoutMs: number;
  readonly totalTimeoutMs: number;
  readonly maxBytes: number;
  readonly maxRedirects: number;
  readonly retries: number;
  readonly maxRetryAfterMs: number;
  readonly perHostConcurrency: number;
  readonly perHostDelayMs: number;
  readonly allowPrivateNetworks: boolean;
}

export const DEFAULT_FETCH_CONFIG: FetchConfig = {
  connectTimeoutMs: 10_000,
  headersTimeoutMs: 15_000,
  bodyTimeoutMs: 15_000,
  totalTimeoutMs: 60_000,
  // 5 MiB: far above any article page or feed, small enough to keep a run's memory bounded.
  maxBytes: 5 * 1024 * 1024,
  maxRedirects: 5,
  retries: 2,
  maxRetryAfterMs: 30_000,
  perHostConcurrency: 2,
  // Half a second between requests to one host: polite, and 20 pages of a feed in ~10 s.
  perHostDelayMs: 500,
  allowPrivateNetworks: false,
};

export interface RemoteConfig {
  readonly sources: readonly RemoteSource[];
  readonly fetch: FetchConfig;
  readonly retentionDays: number;
  /** Random delay (0…N s) before each scheduled run, so many instances do not hit upstream at once. */
  readonly scheduleJitterSeconds: number;
  /** On SIGTERM, how long a run in progress may finish before it is abandoned (nothing published). */
  readonly shutdownGraceSeconds: number;
}

export const DEFAULT_REMOTE_CONFIG: RemoteConfig = {
  sources: [],
  fetch: DEFAULT_FETCH_CONFIG,
  retentionDays: DEFAULT_RETENTION_DAYS,
  scheduleJitterSeconds: 0,
  shutdownGraceSeconds: 30,
};

export const REMOTE_CONFIG_KEYS = [
  'sources',
  'fetch',
  'retentionDays',
  'scheduleJitterSeconds',
  'shutdownGraceSeconds',
];

export class RemoteConfigError extends Error {
  override readonly name = 'RemoteConfigError';
}

type Obj = Record<string, unknown>;
const SOURCE_KEYS = ['type', 'url', 'name', 'tags', 'limit'];

function isObj(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function integer(value: unknown, field: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new RemoteConfigError(
      `${field} must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

function parseSource(value: unknown, index: number): RemoteSource {
  const at = `sources[${index}]`;
  if (!isObj(value)) throw new RemoteConfigError(`${at} must be an object {type, url, name?, tags?, limit?}`);
  for (const key of Object.keys(value)) {
    if (!SOURCE_KEYS.includes(key)) {
      throw new RemoteConfigError(`unknown field "${at}.${key}" (known: ${SOURCE_KEYS.join(', ')})`);
    }
  }
  if (value.type !== 'feed' && value.type !== 'article') {
    throw new RemoteConfigError(`${at}.type must be "feed" or "article", got ${JSON.stringify(value.type)}`);
  }
  let url: URL | null = null;
  try {
    url = typeof value.url === 'string' ? new URL(value.url) : null;
  } catch {
    url = null;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new RemoteConfigError(
      `${at}.url must be an absolute http(s) URL, got ${JSON.stringify(value.url)}`,
    );
  }
  if (value.name !== undefined && (typeof value.name !== 'string' || value.name.trim() === '')) {
    throw new RemoteConfigError(`${at}.name must be a non-empty string, got ${JSON.stringify(value.name)}`);
  }
  if (
    value.tags !== undefined &&
    (!Array.isArray(value.tags) || !value.tags.every((t) => typeof t === 'string'))
  ) {
    throw new RemoteConfigError(`${at}.tags must be an array of strings, got ${JSON.stringify(value.tags)}`);
  }
  const limit = integer(value.limit, `${at}.limit`, 0, 1, 1000);
  if (value.limit !== undefined && value.type === 'article') {
    throw new RemoteConfigError(`${at}.limit only applies to "feed" sources`);
  }
  return {
    type: value.type,
    url: url.href,
    ...(typeof value.name === 'string' ? { name: value.name.trim() } : {}),
    ...(Array.isArray(value.tags) ? { tags: value.tags as string[] } : {}),
    ...(value.limit !== undefined ? { limit } : {}),
  };
}

function parseFetch(value: unknown): FetchConfig {
  if (value === undefined) return DEFAULT_FETCH_CONFIG;
  if (!isObj(value)) throw new RemoteConfigError('fetch must be an object');
  const known = Object.keys(DEFAULT_FETCH_CONFIG);
  for (const key of Object.keys(value)) {
    if (!known.includes(key))
      throw new RemoteConfigError(`unknown field "fetch.${key}" (known: ${known.join(', ')})`);
  }
  const d = DEFAULT_FETCH_CONFIG;
  if (value.allowPrivateNetworks !== undefined && typeof value.allowPrivateNetworks !== 'boolean') {
    throw new RemoteConfigError(
      `fetch.allowPrivateNetworks must be true or false, got ${JSON.stringify(value.allowPrivateNetworks)}`,
    );
  }
  return {
    connectTimeoutMs: integer(
      value.connectTimeoutMs,
      'fetch.connectTimeoutMs',
      d.connectTimeoutMs,
      100,
      120_000,
    ),
    headersTimeoutMs: integer(
      value.headersTimeoutMs,
      'fetch.headersTimeoutMs',
      d.headersTimeoutMs,
      100,
      300_000,
    ),
    bodyTimeoutMs: integer(value.bodyTimeoutMs, 'fetch.bodyTimeoutMs', d.bodyTimeoutMs, 100, 300_000),
    totalTimeoutMs: integer(value.totalTimeoutMs, 'fetch.totalTimeoutMs', d.totalTimeoutMs, 100, 600_000),
    maxBytes: integer(value.maxBytes, 'fetch.maxBytes', d.maxBytes, 1024, 100 * 1024 * 1024),
    maxRedirects: integer(value.maxRedirects, 'fetch.maxRedirects', d.maxRedirects, 0, 20),
    retries: integer(value.retries, 'fetch.retries', d.retries, 0, 10),
    maxRetryAfterMs: integer(value.maxRetryAfterMs, 'fetch.maxRetryAfterMs', d.maxRetryAfterMs, 0, 600_000),
    perHostConcurrency: integer(
      value.perHostConcurrency,
      'fetch.perHostConcurrency',
      d.perHostConcurrency,
      1,
      32,
    ),
    perHostDelayMs: integer(value.perHostDelayMs, 'fetch.perHostDelayMs', d.perHostDelayMs, 0, 60_000),
    allowPrivateNetworks: (value.allowPrivateNetworks as boolean | undefined) ?? d.allowPrivateNetworks,
  };
}

/** Validates the remote fields of the config object (absent fields take their defaults). */
export function parseRemoteConfig(input: Obj): RemoteConfig {
  const sourcesValue = input.sources ?? [];
  if (!Array.isArray(sourcesValue)) throw new RemoteConfigError('sources must be an array of {type, url, …}');
  const sources = sourcesValue.map(parseSource);
  const seen = new Map<string, number>();
  for (const [i, source] of sources.entries()) {
    const first = seen.get(source.url);
    if (first !== undefined)
      throw new RemoteConfigError(`sources[${i}].url repeats sources[${first}].url (${source.url})`);
    seen.set(source.url, i);
  }
  const d = DEFAULT_REMOTE_CONFIG;
  return {
    sources,
    fetch: parseFetch(input.fetch),
    retentionDays: integer(input.retentionDays, 'retentionDays', d.retentionDays, 0, 3650),
    scheduleJitterSeconds: integer(
      input.scheduleJitterSeconds,
      'scheduleJitterSeconds',
      d.scheduleJitterSeconds,
      0,
      3600,
    ),
    shutdownGraceSeconds: integer(
      input.shutdownGraceSeconds,
      'shutdownGraceSeconds',
      d.shutdownGraceSeconds,
      0,
      600,
    ),
  };
}
