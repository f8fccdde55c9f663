/**
 * The Node Fetch driver: (url, init) → a WHATWG Response whose body is decompressed and, for text,
 * transcoded to UTF-8. Built on undici 7's `request` with one Agent, and polite and safe by design:
 * - timeouts: connect, headers (idle before the status line), body (idle between chunks), plus a
 *   total deadline per request, so a slow-drip body cannot hold a run forever;
 * - at most `maxBytes` read (Content-Length checked first, then counted; decompressed output capped);
 * - redirects followed by hand, at most `maxRedirects`, each hop re-checked (scheme, SSRF) and a
 *   loop refused at once;
 * - per-host concurrency and spacing (host-limiter.ts); retries with backoff and Retry-After
 *   (retry-policy.ts);
 * - SSRF guard (address-guard.ts) on the address actually connected to, unless allowPrivateNetworks;
 * - User-Agent `kiosque/<version> (+<site url>)` unless the caller sets one.
 * The final URL is exposed as `response.url`; `x-kiosque-source-charset` says what the bytes were.
 *
 * Must not: cache or follow non-http(s) schemes; be used by the app while serving.
 * Tunables: DEFAULT_FETCH_CONFIG (core/remote/parse-remote-config.ts, config `fetch.*`) + backoff
 * (fetch-settings.ts). This file wires the parts and follows redirects; one attempt's body is read
 * by raw-result.ts, retried by fetch-with-retries.ts, decoded by to-response.ts, and every failure
 * named by fetch-error.ts.
 */
import type { Agent } from 'undici';
import type { HttpFetch } from '../../ports/fetch.ts';
import type { Logger } from '../../ports/logger.ts';
import {
  type AddressPredicate,
  checkLiteralHost,
  createGuardedLookup,
  isPublicAddress,
  type ResolveHost,
} from './address-guard.ts';
import { describeFetchError, FetchError } from './fetch-error.ts';
import { type FetchSettings, resolveFetchSettings } from './fetch-settings.ts';
import { fetchWithRetries, type RetryParts } from './fetch-with-retries.ts';
import { createHostLimiter } from './host-limiter.ts';
import { type RawResult, REDIRECT_STATUS, readRawResult } from './raw-result.ts';
import { toResponse } from './to-response.ts';

export { FetchError, type FetchErrorCode } from './fetch-error.ts';
export { DEFAULT_FETCH_SETTINGS, type FetchSettings } from './fetch-settings.ts';

export interface UndiciFetchOptions extends Partial<FetchSettings> {
  readonly userAgent: string;
  readonly logger?: Logger;
  /** DNS resolution used by the SSRF guard (tests map names to 127.0.0.1). */
  readonly resolveHost?: ResolveHost;
  /** Which resolved addresses are allowed when allowPrivateNetworks is false. */
  readonly isAllowedAddress?: AddressPredicate;
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly random?: () => number;
  readonly now?: () => number;
}

export interface FetchDriver {
  readonly fetch: HttpFetch;
  /** Closes pooled connections. */
  close(): Promise<void>;
}

/** The User-Agent kiosque sends: who it is and where to read about the site that fetches. */
export function kiosqueUserAgent(version: string, siteUrl: string): string {
  return `kiosque/${version} (+${siteUrl})`;
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** The loaded module's request function and the driver's one Agent. */
interface LoadedUndici {
  readonly agent: Agent;
  readonly request: typeof import('undici').request;
}

/**
 * undici, loaded on the first request: a build without remote sources never pays for it (5 MB of
 * heap, and its module load at every start). `loaded()` is null until then.
 */
function createUndiciLoader(
  settings: FetchSettings,
  lookup: ReturnType<typeof createGuardedLookup> | null,
): { load(): Promise<LoadedUndici>; loaded(): Promise<LoadedUndici> | null } {
  let undici: Promise<LoadedUndici> | null = null;
  const load = (): Promise<LoadedUndici> => {
    undici ??= import('undici').then(({ Agent, request }) => ({
      request,
      agent: new Agent({
        connect: {
          timeout: settings.connectTimeoutMs,
          ...(lookup ? { lookup } : {}),
        },
        headersTimeout: settings.headersTimeoutMs,
        bodyTimeout: settings.bodyTimeoutMs,
        connections: settings.perHostConcurrency,
      }),
    }));
    return undici;
  };
  return { load, loaded: () => undici };
}

export function createUndiciFetch(options: UndiciFetchOptions): FetchDriver {
  const settings = resolveFetchSettings(options);
  const sleep = options.sleep ?? abortableSleep;
  const now = options.now ?? Date.now;
  const allowed = options.isAllowedAddress ?? isPublicAddress;
  const guard = !settings.allowPrivateNetworks;
  const undici = createUndiciLoader(
    settings,
    guard ? createGuardedLookup(allowed, options.resolveHost) : null,
  );
  const limiter = createHostLimiter({
    concurrency: settings.perHostConcurrency,
    spacingMs: settings.perHostDelayMs,
    now,
    sleep: (ms) => sleep(ms),
  });
  const describe = (error: unknown, url: string): FetchError => describeFetchError(error, url, settings);

  /** One request, body read in full (capped), inside the host's politeness slot. */
  const once = (url: URL, headers: Record<string, string>, method: string, signal: AbortSignal) =>
    limiter.run(url.host, async () => {
      const { agent, request } = await undici.load();
      const response = await request(url, { method: method as 'GET', headers, dispatcher: agent, signal });
      return readRawResult(response, url, method, settings.maxBytes);
    });

  const hop: RedirectParts = {
    settings,
    describe,
    checkHost: guard ? (hostname) => checkLiteralHost(hostname, allowed) : null,
    userAgent: options.userAgent,
    retry: {
      settings,
      once,
      describe,
      sleep,
      random: options.random ?? Math.random,
      now,
      logger: options.logger,
    },
  };
  return {
    fetch: (input, init = {}) => fetchFollowingRedirects(hop, input, init),
    close: async () => {
      const loaded = undici.loaded();
      if (loaded) await (await loaded).agent.close();
    },
  };
}

/** What the redirect loop needs of the driver. */
interface RedirectParts {
  readonly settings: FetchSettings;
  readonly describe: (error: unknown, url: string) => FetchError;
  /** Throws for a literal host the SSRF guard refuses; null when private networks are allowed. */
  readonly checkHost: ((hostname: string) => void) | null;
  readonly userAgent: string;
  readonly retry: RetryParts;
}

/** The driver's fetch: GET or HEAD, redirects followed by hand, each hop re-checked. */
async function fetchFollowingRedirects(
  parts: RedirectParts,
  input: string,
  init: RequestInit,
): Promise<Response> {
  const { settings, describe } = parts;
  const method = (init.method ?? 'GET').toUpperCase();
  if (method !== 'GET' && method !== 'HEAD') {
    throw new FetchError(`${input}: only GET and HEAD are supported, got ${method}`, 'network', input);
  }
  const headers: Record<string, string> = {
    'user-agent': parts.userAgent,
    'accept-encoding': 'gzip, deflate, br',
  };
  new Headers(init.headers).forEach((value, name) => {
    headers[name] = value;
  });
  const deadline = AbortSignal.timeout(settings.totalTimeoutMs);
  const signal = init.signal ? AbortSignal.any([init.signal, deadline]) : deadline;
  const visited = new Set<string>();
  let current: URL;
  try {
    current = new URL(input);
  } catch {
    throw new FetchError(`not a valid URL: ${JSON.stringify(input)}`, 'bad-scheme', input);
  }
  for (let hop = 0; ; hop++) {
    if (current.protocol !== 'http:' && current.protocol !== 'https:') {
      throw new FetchError(`${current.href}: only http and https are fetched`, 'bad-scheme', current.href);
    }
    if (parts.checkHost) {
      try {
        parts.checkHost(current.hostname);
      } catch (error) {
        throw describe(error, current.href);
      }
    }
    visited.add(current.href);
    let result: RawResult;
    try {
      result = await fetchWithRetries(parts.retry, current, headers, method, signal);
    } catch (error) {
      throw describe(error, current.href);
    }
    const location = result.headers.get('location');
    if (REDIRECT_STATUS.has(result.status) && location) {
      current = nextHop(input, current, location, visited, hop, settings.maxRedirects);
      continue;
    }
    return toResponse(result, current.href, hop > 0, settings.maxBytes, describe);
  }
}

/** The URL a redirect names, refused when invalid, already visited, or one hop too many. */
function nextHop(
  input: string,
  current: URL,
  location: string,
  visited: ReadonlySet<string>,
  hop: number,
  maxRedirects: number,
): URL {
  let next: URL;
  try {
    next = new URL(location, current);
  } catch {
    throw new FetchError(
      `${current.href}: redirect to an invalid URL ${JSON.stringify(location)}`,
      'bad-redirect',
      current.href,
    );
  }
  if (visited.has(next.href)) {
    throw new FetchError(`${input}: redirect loop at ${next.href}`, 'redirect-loop', input);
  }
  if (hop >= maxRedirects) {
    throw new FetchError(`${input}: more than ${maxRedirects} redirects`, 'too-many-redirects', input);
  }
  return next;
}
