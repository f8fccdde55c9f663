/**
 * Configuration: read once at the entry from a JSON file plus environment overrides
 * (`PORT`, `HOST`, `SITE_URL`, `TRUST_PROXY`), validated into one immutable `KiosqueConfig`.
 * Every problem is collected before failing: one `ConfigError` lists them all, each naming the
 * field, the value given and what was expected; unknown fields get a "did you mean".
 *
 * To add a setting: its type and doc in `KiosqueConfig`, its default in `DEFAULT_CONFIG`, its
 * key in TOP_LEVEL_KEYS, one `check.*` line in `parseConfig`, a row in docs/configuration.md.
 *
 * Must not: be read from anywhere but the entries (the core receives plain values), or
 * silently accept a field it does not know (typos must surface).
 * Defaults live in `DEFAULT_CONFIG` below; the default base URL follows the listen address
 * (src/listen-url.ts).
 */

import { parseTrustedRange } from './app/http/client-address.ts';
import { closestName } from './closest-name.ts';
import { DEFAULT_DOCUMENTS_PER_BUILD } from './core/publish/document-limit.ts';
import {
  DEFAULT_REMOTE_CONFIG,
  parseRemoteConfig,
  REMOTE_CONFIG_KEYS,
  type RemoteConfig,
  RemoteConfigError,
} from './core/remote/parse-remote-config.ts';
import { localeFor } from './core/render/i18n/translate.ts';
import { type BaseUrlSource, listenBaseUrl } from './listen-url.ts';

export type { BaseUrlSource };

export interface SiteConfig {
  readonly title: string;
  readonly description: string;
  /**
   * Absolute base URL, no trailing slash: SITE_URL, else site.baseUrl, else the listen address
   * (`baseUrlSource` says which).
   */
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
  /** Where `site.baseUrl` came from: given (`SITE_URL`, `site.baseUrl`) or derived from host and port. */
  readonly baseUrlSource: BaseUrlSource;
  readonly host: string;
  readonly port: number;
  /**
   * Proxies (addresses or CIDR ranges) whose X-Forwarded-For / Forwarded headers name the client
   * (app/http/client-address.ts); empty: the connecting address is the client. Node only.
   */
  readonly trustProxy: readonly string[];
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
  /** Bounds on what one build may publish (docs/hardening.md, "Documents per build"). */
  readonly limits: LimitsConfig;
}

export interface LimitsConfig {
  /** Most documents (routes) a publication may hold; a build over it is refused. */
  readonly documentsPerBuild: number;
}

export interface RateLimitConfig {
  readonly requests: number;
  readonly windowSeconds: number;
}

export const DEFAULT_SCHEDULE = '*/15 * * * *';

export const DEFAULT_CONFIG: KiosqueConfig = {
  site: {
    title: 'Kiosque',
    description: localeFor('fr').t.siteDescription,
    baseUrl: listenBaseUrl('127.0.0.1', 8787),
    language: 'fr',
  },
  contentDir: 'content',
  outDir: 'feeds',
  stateDir: 'feeds/.state',
  schedule: DEFAULT_SCHEDULE,
  ttlMinutes: 15,
  baseUrlSource: 'listen',
  host: '127.0.0.1',
  port: 8787,
  trustProxy: [],
  feedSize: 50,
  archivePageSize: 50,
  feedLimits: [10, 25],
  hubs: [],
  // Generous: a reader polls one feed every few minutes; 600/min only stops runaway clients.
  rateLimit: { requests: 600, windowSeconds: 60 },
  remote: DEFAULT_REMOTE_CONFIG,
  allowRemovals: false,
  limits: { documentsPerBuild: DEFAULT_DOCUMENTS_PER_BUILD },
};

/** One unusable setting: where it is, what was given and what was expected. */
export interface ConfigProblem {
  /** `feedSize`, `site.baseUrl`, `sources[2].url`, or an environment variable such as `PORT`. */
  readonly path: string;
  /** The value given, as JSON (absent for an unknown field or a missing one). */
  readonly given?: string;
  /** What would have been accepted (absent when the message says it in its own words). */
  readonly expected?: string;
  /** The whole sentence, as printed. */
  readonly message: string;
}

/** Settings that cannot be used; `problems` lists every one found, the message all of them. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly problems: readonly ConfigProblem[];
  /** The file (or variable) the settings came from, when known. */
  readonly origin: string | undefined;

  constructor(problems: string | readonly ConfigProblem[], origin?: string) {
    const list = typeof problems === 'string' ? [{ path: '', message: problems }] : problems;
    const where = origin ?? 'the configuration';
    super(
      list.length === 1
        ? `${origin ? `${origin}: ` : ''}${list[0]?.message}`
        : `${list.length} problems in ${where}:\n${list.map((p) => `  ${p.message}`).join('\n')}`,
    );
    this.problems = list;
    this.origin = origin;
  }
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const TOP_LEVEL_KEYS = new Set([
  'site',
  'contentDir',
  'outDir',
  'stateDir',
  'schedule',
  'ttlMinutes',
  'host',
  'port',
  'trustProxy',
  'feedSize',
  'archivePageSize',
  'feedLimits',
  'hubs',
  'rateLimit',
  'allowRemovals',
  'limits',
  ...REMOTE_CONFIG_KEYS,
  '$schema',
]);
const SITE_KEYS = new Set(['title', 'description', 'baseUrl', 'language']);
const RATE_LIMIT_KEYS = new Set(['requests', 'windowSeconds']);
const LIMITS_KEYS = new Set(['documentsPerBuild']);

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Collects problems while reading: each reader returns a usable fallback on a bad value and
 * records the problem, so one pass finds them all.
 */
class Checker {
  readonly problems: ConfigProblem[] = [];

  /** `path must be expected, got given`. */
  bad(path: string, expected: string, given: unknown): void {
    const shown = JSON.stringify(given) ?? String(given);
    this.problems.push({
      path,
      given: shown,
      expected,
      message: `${path} must be ${expected}, got ${shown}`,
    });
  }

  /** A problem worded in full (`message`), still filed under `path`. */
  note(path: string, message: string): void {
    this.problems.push({ path, message });
  }

  /** Reports every key of `obj` not in `known`, with the closest known one. */
  keys(obj: JsonObject, known: ReadonlySet<string>, prefix: string): void {
    for (const key of Object.keys(obj)) {
      if (known.has(key)) continue;
      const guess = closestName(
        key,
        [...known].filter((k) => k !== '$schema'),
      );
      const hint = guess
        ? `did you mean "${prefix}${guess}"?`
        : `known: ${[...known].filter((k) => k !== '$schema').join(', ')}`;
      this.problems.push({
        path: `${prefix}${key}`,
        message: `unknown config field "${prefix}${key}"; ${hint}`,
      });
    }
  }

  /**
   * A nested object field (`rateLimit`, `limits`): undefined when absent, or when not an object
   * (recorded); otherwise the object, its unknown keys recorded.
   */
  section(
    obj: JsonObject,
    key: string,
    expected: string,
    known: ReadonlySet<string>,
  ): JsonObject | undefined {
    const value = obj[key];
    if (value === undefined) return undefined;
    if (!isObject(value)) {
      this.bad(key, expected, value);
      return undefined;
    }
    this.keys(value, known, `${key}.`);
    return value;
  }

  string(obj: JsonObject, key: string, where: string, fallback: string): string {
    const value = obj[key];
    if (value === undefined) return fallback;
    if (typeof value !== 'string' || value.trim() === '') {
      this.bad(`${where}${key}`, 'a non-empty string', value);
      return fallback;
    }
    return value.trim();
  }

  integer(obj: JsonObject, key: string, where: string, fallback: number, min: number, max: number): number {
    const value = obj[key];
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      this.bad(`${where}${key}`, `an integer from ${min} to ${max}`, value);
      return fallback;
    }
    return value;
  }
}

/** Checks an absolute http(s) URL and strips a trailing slash. */
export function normaliseBaseUrl(value: string, field: string): string {
  const problem = baseUrlProblem(value);
  if (problem) throw new ConfigError(`${field} must ${problem}, got ${JSON.stringify(value)}`);
  return new URL(value).href.replace(/\/+$/, '');
}

/** What is wrong with a base URL ("be an absolute http(s) URL"), or null. */
function baseUrlProblem(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'be an absolute http(s) URL';
  }
  return url.protocol === 'http:' || url.protocol === 'https:' ? null : 'use http or https';
}

/** An absolute http(s) URL without its trailing slash, or null (the problem recorded). */
function readBaseUrl(check: Checker, raw: string, field: string): string | null {
  const problem = baseUrlProblem(raw);
  if (problem === null) return new URL(raw).href.replace(/\/+$/, '');
  check.problems.push({
    path: field,
    given: JSON.stringify(raw),
    expected: problem === 'use http or https' ? 'an http or https URL' : 'an absolute http(s) URL',
    message: `${field} must ${problem}, got ${JSON.stringify(raw)}`,
  });
  return null;
}

function readHubs(check: Checker, obj: JsonObject): readonly string[] {
  const value = obj.hubs;
  if (value === undefined) return DEFAULT_CONFIG.hubs;
  if (!Array.isArray(value)) {
    check.bad('hubs', 'an array of URLs', value);
    return DEFAULT_CONFIG.hubs;
  }
  const hubs: string[] = [];
  for (const [i, hub] of value.entries()) {
    if (typeof hub !== 'string') check.bad(`hubs[${i}]`, 'a URL string', hub);
    else {
      const url = readBaseUrl(check, hub, `hubs[${i}]`);
      if (url !== null) hubs.push(new URL(url).href);
    }
  }
  return hubs;
}

function readFeedLimits(check: Checker, obj: JsonObject): readonly number[] {
  const value = obj.feedLimits;
  if (value === undefined) return DEFAULT_CONFIG.feedLimits;
  if (
    !Array.isArray(value) ||
    !value.every((n) => typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 1000)
  ) {
    check.bad('feedLimits', 'an array of integers from 1 to 1000', value);
    return DEFAULT_CONFIG.feedLimits;
  }
  return [...new Set(value as number[])].sort((a, b) => a - b);
}

function readRateLimit(check: Checker, obj: JsonObject): RateLimitConfig {
  const d = DEFAULT_CONFIG.rateLimit;
  const value = check.section(obj, 'rateLimit', 'an object {requests, windowSeconds}', RATE_LIMIT_KEYS);
  if (value === undefined) return d;
  return {
    requests: check.integer(value, 'requests', 'rateLimit.', d.requests, 0, 1_000_000),
    windowSeconds: check.integer(value, 'windowSeconds', 'rateLimit.', d.windowSeconds, 1, 86_400),
  };
}

/**
 * `trustProxy` (an array of strings) or `TRUST_PROXY` (comma-separated; wins over the file) →
 * the entries as given, each checked to be an address or CIDR range.
 */
function readTrustProxy(check: Checker, obj: JsonObject, fromEnv: string | undefined): readonly string[] {
  let entries: { path: string; value: Json }[];
  if (fromEnv !== undefined && fromEnv.trim() !== '') {
    entries = fromEnv
      .split(',')
      .map((value) => value.trim())
      .filter((value) => value !== '')
      .map((value) => ({ path: 'TRUST_PROXY', value }));
  } else {
    const value = obj.trustProxy;
    if (value === undefined) return DEFAULT_CONFIG.trustProxy;
    if (!Array.isArray(value)) {
      check.bad('trustProxy', 'an array of addresses or CIDR ranges such as ["10.0.0.0/8"]', value);
      return DEFAULT_CONFIG.trustProxy;
    }
    entries = value.map((entry, i) => ({ path: `trustProxy[${i}]`, value: entry }));
  }
  const ranges: string[] = [];
  for (const { path, value } of entries) {
    if (typeof value === 'string' && parseTrustedRange(value) !== null) ranges.push(value.trim());
    else check.bad(path, 'an IPv4 or IPv6 address or CIDR range such as "10.0.0.0/8" or "::1"', value);
  }
  return ranges;
}

/** `unknown field "fetch.x" (known: a, b)` from the remote parser → with a "did you mean". */
function withSuggestion(message: string): string {
  const unknown = /^unknown field "(.*\.)?([^".]+)" \(known: (.+)\)$/.exec(message);
  if (!unknown) return message;
  const [, prefix = '', key = '', known = ''] = unknown;
  const guess = closestName(key, known.split(', '));
  return guess ? `unknown field "${prefix}${key}"; did you mean "${prefix}${guess}"?` : message;
}

/**
 * The remote fields, every problem reported: the remote parser stops at its first error, so it
 * is asked about each field (and each source, each fetch setting) on its own, then about the
 * whole (duplicate sources) once the parts are sound.
 */
function readRemote(check: Checker, obj: JsonObject): RemoteConfig {
  const before = check.problems.length;
  const attempt = (path: string, part: JsonObject, rename?: (message: string) => string): void => {
    try {
      parseRemoteConfig(part);
    } catch (error) {
      if (!(error instanceof RemoteConfigError)) throw error;
      const message = withSuggestion(rename ? rename(error.message) : error.message);
      check.note(path, message);
    }
  };
  const { sources, fetch } = obj;
  if (Array.isArray(sources)) {
    // Each source alone is `sources[0]` to the parser; its messages are renamed to its index.
    for (const [i, source] of sources.entries()) {
      attempt(`sources[${i}]`, { sources: [source] }, (m) => m.replaceAll('sources[0]', `sources[${i}]`));
    }
  } else if (sources !== undefined) attempt('sources', { sources });
  if (isObject(fetch)) {
    for (const [key, value] of Object.entries(fetch)) attempt(`fetch.${key}`, { fetch: { [key]: value } });
  } else if (fetch !== undefined) attempt('fetch', { fetch });
  for (const key of ['retentionDays', 'scheduleJitterSeconds', 'shutdownGraceSeconds']) {
    if (obj[key] !== undefined) attempt(key, { [key]: obj[key] });
  }
  if (check.problems.length > before) return DEFAULT_REMOTE_CONFIG;
  attempt('sources', obj);
  return check.problems.length > before ? DEFAULT_REMOTE_CONFIG : parseRemoteConfig(obj);
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

function readSchedule(check: Checker, obj: JsonObject): string {
  const schedule = check.string(obj, 'schedule', '', DEFAULT_CONFIG.schedule);
  const fields = schedule.trim().split(/\s+/);
  if ((fields.length !== 5 && fields.length !== 6) || !fields.every((f) => CRON_FIELD.test(f))) {
    check.bad('schedule', 'a cron expression with 5 (or 6) numeric fields such as "*/15 * * * *"', schedule);
    return DEFAULT_CONFIG.schedule;
  }
  return fields.join(' ');
}

function readLanguage(check: Checker, site: JsonObject): string {
  const language = check.string(site, 'language', 'site.', DEFAULT_CONFIG.site.language);
  if (/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(language)) return language;
  check.bad('site.language', 'a BCP 47 tag such as "fr" or "pt-BR"', language);
  return DEFAULT_CONFIG.site.language;
}

/** `port`, overridden by `PORT`. */
function readPort(check: Checker, obj: JsonObject, fromEnv: string | undefined): number {
  const port = check.integer(obj, 'port', '', DEFAULT_CONFIG.port, 0, 65535);
  const text = fromEnv?.trim();
  if (!text) return port;
  const parsed = Number(text);
  if (/^\d+$/.test(text) && parsed <= 65535) return parsed;
  check.bad('PORT', 'an integer from 0 to 65535', text);
  return port;
}

type Env = Readonly<Record<string, string | undefined>>;

/** The `site` object, its base URL decided last (it may follow the listen address). */
function readSite(
  check: Checker,
  site: JsonObject,
  env: Env,
  listen: { host: string; port: number },
): { site: SiteConfig; baseUrlSource: BaseUrlSource } {
  const d = DEFAULT_CONFIG.site;
  const fromEnv = env.SITE_URL?.trim();
  const fromFile = check.string(site, 'baseUrl', 'site.', '');
  const derived = listenBaseUrl(listen.host, listen.port);
  const baseUrlSource: BaseUrlSource = fromEnv ? 'SITE_URL' : fromFile ? 'site.baseUrl' : 'listen';
  const given = fromEnv
    ? readBaseUrl(check, fromEnv, 'SITE_URL')
    : fromFile
      ? readBaseUrl(check, fromFile, 'site.baseUrl')
      : null;
  const baseUrl = given ?? derived;
  const language = readLanguage(check, site);
  return {
    site: {
      title: check.string(site, 'title', 'site.', d.title),
      // Unset: the default description in the site's language (English for a language without a table).
      description: check.string(site, 'description', 'site.', localeFor(language).t.siteDescription),
      baseUrl,
      language,
    },
    baseUrlSource,
  };
}

/**
 * Builds the configuration from parsed JSON (or `{}`) and environment overrides (`PORT`,
 * `SITE_URL`, `HOST`, `TRUST_PROXY`). Throws one `ConfigError` listing every problem found.
 */
export function parseConfig(json: unknown, env: Env = {}): KiosqueConfig {
  const input = (json ?? {}) as Json;
  if (!isObject(input)) throw new ConfigError('the config file must hold a JSON object');
  const check = new Checker();
  const d = DEFAULT_CONFIG;
  check.keys(input, TOP_LEVEL_KEYS, '');
  let siteInput = input.site ?? {};
  if (!isObject(siteInput)) {
    check.bad('site', 'an object {title, description, baseUrl, language}', siteInput);
    siteInput = {};
  }
  check.keys(siteInput, SITE_KEYS, 'site.');
  const schedule = readSchedule(check, input);
  const host = env.HOST?.trim() || check.string(input, 'host', '', d.host);
  const port = readPort(check, input, env.PORT);
  const { site, baseUrlSource } = readSite(check, siteInput, env, { host, port });
  const outDir = check.string(input, 'outDir', '', d.outDir);
  const config: KiosqueConfig = {
    site,
    contentDir: check.string(input, 'contentDir', '', d.contentDir),
    outDir,
    stateDir: check.string(
      input,
      'stateDir',
      '',
      input.outDir === undefined ? d.stateDir : `${outDir}/.state`,
    ),
    schedule,
    ttlMinutes: check.integer(input, 'ttlMinutes', '', intervalMinutesOf(schedule), 1, 1440),
    baseUrlSource,
    host,
    port,
    trustProxy: readTrustProxy(check, input, env.TRUST_PROXY),
    feedSize: check.integer(input, 'feedSize', '', d.feedSize, 1, 1000),
    archivePageSize: check.integer(input, 'archivePageSize', '', d.archivePageSize, 1, 1000),
    feedLimits: readFeedLimits(check, input),
    hubs: readHubs(check, input),
    rateLimit: readRateLimit(check, input),
    remote: readRemote(check, input),
    allowRemovals: readAllowRemovals(check, input),
    limits: readLimits(check, input),
  };
  if (check.problems.length > 0) throw new ConfigError(check.problems);
  return config;
}

function readLimits(check: Checker, obj: JsonObject): LimitsConfig {
  const d = DEFAULT_CONFIG.limits;
  const value = check.section(obj, 'limits', 'an object {documentsPerBuild}', LIMITS_KEYS);
  if (value === undefined) return d;
  return {
    documentsPerBuild: check.integer(
      value,
      'documentsPerBuild',
      'limits.',
      d.documentsPerBuild,
      1,
      100_000_000,
    ),
  };
}

function readAllowRemovals(check: Checker, obj: JsonObject): boolean {
  const value = obj.allowRemovals;
  if (value === undefined) return DEFAULT_CONFIG.allowRemovals;
  if (typeof value === 'boolean') return value;
  check.bad('allowRemovals', 'true or false', value);
  return DEFAULT_CONFIG.allowRemovals;
}
