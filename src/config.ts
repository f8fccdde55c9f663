/**
 * Configuration: read once at the entry from a JSON file plus environment overrides,
 * validated into one immutable `KiosqueConfig`. Every error names the bad field and what
 * was expected.
 *
 * Must not: be read from anywhere but the entries (the core receives plain values), or
 * silently accept a field it does not know (typos must surface).
 * Defaults live in `DEFAULT_CONFIG` below.
 */

import {
  DEFAULT_REMOTE_CONFIG,
  parseRemoteConfig,
  REMOTE_CONFIG_KEYS,
  type RemoteConfig,
  RemoteConfigError,
} from './core/remote/parse-remote-config.ts';

export interface SiteConfig {
  readonly title: string;
  readonly description: string;
  /** Absolute base URL, no trailing slash. */
  readonly baseUrl: string;
  /** Default language (BCP 47) when detection is unsure. */
  readonly language: string;
}

export interface KiosqueConfig {
  readonly site: SiteConfig;
  /** Folder of source articles. Relative paths resolve against the config file's folder. */
  readonly contentDir: string;
  /** Folder the published documents are written to. */
  readonly outDir: string;
  /** Folder for state that must survive restarts (ids, first-seen dates, hashes). */
  readonly stateDir: string;
  /** node-cron expression for regeneration. */
  readonly schedule: string;
  /** Interval the schedule implies, in minutes: RSS `<ttl>` and Cache-Control max-age. */
  readonly ttlMinutes: number;
  readonly host: string;
  readonly port: number;
  /** Number of items in the current feed. */
  readonly feedSize: number;
  /** Items per RFC 5005 archive page (pages numbered from the oldest). */
  readonly archivePageSize: number;
  /** `?limit=N` values published as their own documents (each below feedSize to matter). */
  readonly feedLimits: readonly number[];
  /** WebSub hubs advertised in every feed and pinged when a feed's bytes change. */
  readonly hubs: readonly string[];
  /** Per-client token bucket: `requests` per `windowSeconds`; `requests: 0` disables it. */
  readonly rateLimit: RateLimitConfig;
  /** Upstream feeds and article URLs, fetch politeness/safety, retention, jitter, shutdown grace. */
  readonly remote: RemoteConfig;
  /** Let a build unpublish every item or more than half of them (`--allow-removals`); see docs/derived-state.md. */
  readonly allowRemovals: boolean;
}

export interface RateLimitConfig {
  readonly requests: number;
  readonly windowSeconds: number;
}

export const DEFAULT_SCHEDULE = '*/15 * * * *';

export const DEFAULT_CONFIG: KiosqueConfig = {
  site: {
    title: 'Kiosque',
    description: 'Articles cleaned and republished by kiosque',
    baseUrl: 'http://localhost:8787',
    language: 'fr',
  },
  contentDir: 'content',
  outDir: 'feeds',
  stateDir: 'feeds/.state',
  schedule: DEFAULT_SCHEDULE,
  ttlMinutes: 15,
  host: '127.0.0.1',
  port: 8787,
  feedSize: 50,
  archivePageSize: 50,
  feedLimits: [10, 25],
  hubs: [],
  // Generous: a reader polls one feed every few minutes; 600/min only stops runaway clients.
  rateLimit: { requests: 600, windowSeconds: 60 },
  remote: DEFAULT_REMOTE_CONFIG,
  allowRemovals: false,
};

/** A configuration value that cannot be used; the message names the field. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const TOP_LEVEL_KEYS = new Set([
  'site',
  'contentDir',
  'outDir',
  'stateDir',
  'schedule',
  'ttlMinutes',
  'host',
  'port',
  'feedSize',
  'archivePageSize',
  'feedLimits',
  'hubs',
  'rateLimit',
  'allowRemovals',
  ...REMOTE_CONFIG_KEYS,
  '$schema',
]);
const SITE_KEYS = new Set(['title', 'description', 'baseUrl', 'language']);

function isObject(value: Json | undefined): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readString(obj: { [key: string]: Json }, key: string, where: string, fallback: string): string {
  const value = obj[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || value.trim() === '') {
    throw new ConfigError(`${where}${key} must be a non-empty string, got ${JSON.stringify(value)}`);
  }
  return value.trim();
}

function readInteger(
  obj: { [key: string]: Json },
  key: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const value = obj[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${key} must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** Checks an absolute http(s) URL and strips a trailing slash. */
export function normaliseBaseUrl(value: string, field: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${field} must be an absolute http(s) URL, got ${JSON.stringify(value)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`${field} must use http or https, got ${JSON.stringify(value)}`);
  }
  return url.href.replace(/\/+$/, '');
}

function readHubs(obj: { [key: string]: Json }): readonly string[] {
  const value = obj.hubs;
  if (value === undefined) return DEFAULT_CONFIG.hubs;
  if (!Array.isArray(value))
    throw new ConfigError(`hubs must be an array of URLs, got ${JSON.stringify(value)}`);
  return value.map((hub, i) => {
    if (typeof hub !== 'string') throw new ConfigError(`hubs[${i}] must be a URL string`);
    return new URL(normaliseBaseUrl(hub, `hubs[${i}]`)).href;
  });
}

function readFeedLimits(obj: { [key: string]: Json }): readonly number[] {
  const value = obj.feedLimits;
  if (value === undefined) return DEFAULT_CONFIG.feedLimits;
  if (
    !Array.isArray(value) ||
    !value.every((n) => typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 1000)
  ) {
    throw new ConfigError(
      `feedLimits must be an array of integers from 1 to 1000, got ${JSON.stringify(value)}`,
    );
  }
  return [...new Set(value as number[])].sort((a, b) => a - b);
}

function readRateLimit(obj: { [key: string]: Json }): RateLimitConfig {
  const value = obj.rateLimit;
  if (value === undefined) return DEFAULT_CONFIG.rateLimit;
  if (!isObject(value)) throw new ConfigError('rateLimit must be an object {requests, windowSeconds}');
  for (const key of Object.keys(value)) {
    if (key !== 'requests' && key !== 'windowSeconds') {
      throw new ConfigError(`unknown config field "rateLimit.${key}" (known: requests, windowSeconds)`);
    }
  }
  return {
    requests: readInteger(value, 'requests', DEFAULT_CONFIG.rateLimit.requests, 0, 1_000_000),
    windowSeconds: readInteger(value, 'windowSeconds', DEFAULT_CONFIG.rateLimit.windowSeconds, 1, 86_400),
  };
}

function readRemote(obj: { [key: string]: Json }): RemoteConfig {
  try {
    return parseRemoteConfig(obj);
  } catch (error) {
    if (error instanceof RemoteConfigError) throw new ConfigError(error.message);
    throw error;
  }
}

/**
 * Minutes between runs implied by a cron expression: exact for `*\/N * * * *`, `0 * * * *`
 * and `0 *\/N * * *`; otherwise 60 (a safe, polite default for feed readers).
 */
export function intervalMinutesOf(schedule: string): number {
  const fields = schedule.trim().split(/\s+/);
  const [minute, hour] = fields;
  if (fields.length === 5) {
    const everyMinutes = /^\*\/(\d+)$/.exec(minute ?? '');
    if (everyMinutes?.[1] && hour === '*') return Number(everyMinutes[1]);
    if (minute === '*' && hour === '*') return 1;
    const everyHours = /^\*\/(\d+)$/.exec(hour ?? '');
    if (/^\d+$/.test(minute ?? '') && everyHours?.[1]) return Number(everyHours[1]) * 60;
  }
  return 60;
}

const CRON_FIELD = /^(\*|\d+(-\d+)?)(\/\d+)?(,(\*|\d+(-\d+)?)(\/\d+)?)*$/;

function validateSchedule(schedule: string): string {
  const fields = schedule.trim().split(/\s+/);
  if ((fields.length !== 5 && fields.length !== 6) || !fields.every((f) => CRON_FIELD.test(f))) {
    throw new ConfigError(
      `schedule must be a cron expression with 5 (or 6) numeric fields such as "*/15 * * * *", got ${JSON.stringify(schedule)}`,
    );
  }
  return fields.join(' ');
}

/**
 * Builds the configuration from parsed JSON (or `{}`) and environment overrides
 * (`PORT`, `SITE_URL`, `HOST`). Throws `ConfigError` naming the first bad field.
 */
export function parseConfig(
  json: unknown,
  env: Readonly<Record<string, string | undefined>> = {},
): KiosqueConfig {
  const input = (json ?? {}) as Json;
  if (!isObject(input)) throw new ConfigError('the config file must hold a JSON object');
  for (const key of Object.keys(input)) {
    if (!TOP_LEVEL_KEYS.has(key)) {
      throw new ConfigError(`unknown config field "${key}" (known: ${[...TOP_LEVEL_KEYS].join(', ')})`);
    }
  }
  const siteInput = input.site ?? {};
  if (!isObject(siteInput)) throw new ConfigError('site must be an object');
  for (const key of Object.keys(siteInput)) {
    if (!SITE_KEYS.has(key)) {
      throw new ConfigError(`unknown config field "site.${key}" (known: ${[...SITE_KEYS].join(', ')})`);
    }
  }
  const defaults = DEFAULT_CONFIG;
  const baseUrlRaw = env.SITE_URL?.trim() || readString(siteInput, 'baseUrl', 'site.', defaults.site.baseUrl);
  const language = readString(siteInput, 'language', 'site.', defaults.site.language);
  if (!/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(language)) {
    throw new ConfigError(`site.language must be a BCP 47 tag such as "fr" or "pt-BR", got "${language}"`);
  }
  const schedule = validateSchedule(readString(input, 'schedule', '', defaults.schedule));
  const portFromEnv = env.PORT?.trim();
  let port = readInteger(input, 'port', defaults.port, 0, 65535);
  if (portFromEnv) {
    const parsed = Number(portFromEnv);
    if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65535) {
      throw new ConfigError(`PORT must be an integer from 0 to 65535, got "${portFromEnv}"`);
    }
    port = parsed;
  }
  const outDir = readString(input, 'outDir', '', defaults.outDir);
  return {
    site: {
      title: readString(siteInput, 'title', 'site.', defaults.site.title),
      description: readString(siteInput, 'description', 'site.', defaults.site.description),
      baseUrl: normaliseBaseUrl(baseUrlRaw, env.SITE_URL ? 'SITE_URL' : 'site.baseUrl'),
      language,
    },
    contentDir: readString(input, 'contentDir', '', defaults.contentDir),
    outDir,
    stateDir: readString(
      input,
      'stateDir',
      '',
      input.outDir === undefined ? defaults.stateDir : `${outDir}/.state`,
    ),
    schedule,
    ttlMinutes: readInteger(input, 'ttlMinutes', intervalMinutesOf(schedule), 1, 1440),
    host: env.HOST?.trim() || readString(input, 'host', '', defaults.host),
    port,
    feedSize: readInteger(input, 'feedSize', defaults.feedSize, 1, 1000),
    archivePageSize: readInteger(input, 'archivePageSize', defaults.archivePageSize, 1, 1000),
    feedLimits: readFeedLimits(input),
    hubs: readHubs(input),
    rateLimit: readRateLimit(input),
    remote: readRemote(input),
    allowRemovals: readAllowRemovals(input),
  };
}

function readAllowRemovals(obj: { [key: string]: Json }): boolean {
  const value = obj.allowRemovals;
  if (value === undefined) return DEFAULT_CONFIG.allowRemovals;
  if (typeof value !== 'boolean')
    throw new ConfigError(`allowRemovals must be true or false, got ${JSON.stringify(value)}`);
  return value;
}
