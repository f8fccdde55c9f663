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
 * Tunables: DEFAULT_FETCH_CONFIG (core/remote/parse-remote-config.ts, config `fetch.*`) + backoff below.
 */
import { STATUS_CODES } from 'node:http';
import type { Agent } from 'undici';
import { DEFAULT_FETCH_CONFIG } from '../../core/remote/parse-remote-config.ts';
import type { HttpFetch } from '../../ports/fetch.ts';
import type { Logger } from '../../ports/logger.ts';
import {
  type AddressPredicate,
  BLOCKED_ADDRESS_CODE,
  checkLiteralHost,
  createGuardedLookup,
  isPublicAddress,
  type ResolveHost,
} from './address-guard.ts';
import { BodyDecodeError, decompress, transcodeToUtf8 } from './decode-body.ts';
import { createHostLimiter } from './host-limiter.ts';
import {
  backoffDelay,
  errorCodes,
  isRetryableError,
  isRetryableStatus,
  parseRetryAfter,
} from './retry-policy.ts';

export interface FetchSettings {
  readonly connectTimeoutMs: number;
  readonly headersTimeoutMs: number;
  readonly bodyTimeoutMs: number;
  readonly totalTimeoutMs: number;
  readonly maxBytes: number;
  readonly maxRedirects: number;
  /** Attempts after the first one. */
  readonly retries: number;
  readonly retryBaseMs: number;
  readonly retryCapMs: number;
  /** Longest Retry-After honoured; a longer one gives up at once. */
  readonly maxRetryAfterMs: number;
  readonly perHostConcurrency: number;
  readonly perHostDelayMs: number;
  /** Allow loopback/private/link-local targets (tests, intranet deployments). */
  readonly allowPrivateNetworks: boolean;
}

export const DEFAULT_FETCH_SETTINGS: FetchSettings = {
  ...DEFAULT_FETCH_CONFIG,
  // Backoff from half a second, never above 8 s between attempts: a run must not stall on one host.
  retryBaseMs: 500,
  retryCapMs: 8_000,
};

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

export type FetchErrorCode =
  | 'timeout'
  | 'too-large'
  | 'blocked-address'
  | 'bad-scheme'
  | 'too-many-redirects'
  | 'redirect-loop'
  | 'bad-redirect'
  | 'decode'
  | 'aborted'
  | 'network';

/** A fetch that failed; the message names the URL and the reason. */
export class FetchError extends Error {
  override readonly name = 'FetchError';
  constructor(
    message: string,
    readonly code: FetchErrorCode,
    readonly url: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface FetchDriver {
  readonly fetch: HttpFetch;
  /** Closes pooled connections. */
  close(): Promise<void>;
}

const REDIRECT_STATUS = new Set([301, 302, 303, 307, 308]);
const NULL_BODY_STATUS = new Set([101, 204, 205, 304]);
const DROPPED_HEADERS = new Set([
  'content-encoding',
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
]);

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

interface RawResult {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Uint8Array | null;
}

function toHeaders(raw: Record<string, string | string[] | undefined>): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  return headers;
}

/** The loaded module's request function and the driver's one Agent. */
interface LoadedUndici {
  readonly agent: Agent;
  readonly request: typeof import('undici').request;
}

export function createUndiciFetch(options: UndiciFetchOptions): FetchDriver {
  const settings: FetchSettings = { ...DEFAULT_FETCH_SETTINGS, ...stripUndefined(options) };
  const sleep = options.sleep ?? abortableSleep;
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  const allowed = options.isAllowedAddress ?? isPublicAddress;
  const guard = !settings.allowPrivateNetworks;
  // undici is loaded on the first request: a build without remote sources never pays for it
  // (5 MB of heap, and its module load at every start).
  let undici: Promise<LoadedUndici> | null = null;
  const loadUndici = (): Promise<LoadedUndici> => {
    undici ??= import('undici').then(({ Agent, request }) => ({
      request,
      agent: new Agent({
        connect: {
          timeout: settings.connectTimeoutMs,
          ...(guard ? { lookup: createGuardedLookup(allowed, options.resolveHost) } : {}),
        },
        headersTimeout: settings.headersTimeoutMs,
        bodyTimeout: settings.bodyTimeoutMs,
        connections: settings.perHostConcurrency,
      }),
    }));
    return undici;
  };
  const limiter = createHostLimiter({
    concurrency: settings.perHostConcurrency,
    spacingMs: settings.perHostDelayMs,
    now,
    sleep: (ms) => sleep(ms),
  });

  const describe = (error: unknown, url: string): FetchError => {
    if (error instanceof FetchError) return error;
    const codes = errorCodes(error);
    const message = (error as Error).message ?? String(error);
    if (codes.includes(BLOCKED_ADDRESS_CODE)) {
      const blocked = (function find(e: unknown): string {
        for (let c: unknown = e; c; c = (c as { cause?: unknown }).cause) {
          if ((c as { code?: unknown }).code === BLOCKED_ADDRESS_CODE) return (c as Error).message;
        }
        return message;
      })(error);
      return new FetchError(`${url}: ${blocked}`, 'blocked-address', url, { cause: error });
    }
    if (codes.includes('UND_ERR_CONNECT_TIMEOUT'))
      return new FetchError(`${url}: no connection within ${settings.connectTimeoutMs} ms`, 'timeout', url, {
        cause: error,
      });
    if (codes.includes('UND_ERR_HEADERS_TIMEOUT'))
      return new FetchError(`${url}: no response within ${settings.headersTimeoutMs} ms`, 'timeout', url, {
        cause: error,
      });
    if (codes.includes('UND_ERR_BODY_TIMEOUT'))
      return new FetchError(`${url}: body stalled for ${settings.bodyTimeoutMs} ms`, 'timeout', url, {
        cause: error,
      });
    if ((error as Error).name === 'TimeoutError')
      return new FetchError(`${url}: not complete within ${settings.totalTimeoutMs} ms`, 'timeout', url, {
        cause: error,
      });
    if ((error as Error).name === 'AbortError')
      return new FetchError(`${url}: aborted`, 'aborted', url, { cause: error });
    if (error instanceof BodyDecodeError)
      return new FetchError(`${url}: ${message}`, error.code === 'too-large' ? 'too-large' : 'decode', url, {
        cause: error,
      });
    return new FetchError(`${url}: ${message}${codes[0] ? ` (${codes[0]})` : ''}`, 'network', url, {
      cause: error,
    });
  };

  /** One request, body read in full (capped), inside the host's politeness slot. */
  const once = async (
    url: URL,
    headers: Record<string, string>,
    method: string,
    signal: AbortSignal,
  ): Promise<RawResult> =>
    limiter.run(url.host, async () => {
      const { agent, request } = await loadUndici();
      const response = await request(url, { method: method as 'GET', headers, dispatcher: agent, signal });
      const responseHeaders = toHeaders(response.headers as Record<string, string | string[] | undefined>);
      if (
        REDIRECT_STATUS.has(response.statusCode) ||
        method === 'HEAD' ||
        NULL_BODY_STATUS.has(response.statusCode)
      ) {
        await response.body.dump();
        return { status: response.statusCode, headers: responseHeaders, body: null };
      }
      const declared = Number(responseHeaders.get('content-length') ?? Number.NaN);
      if (declared > settings.maxBytes) {
        response.body.destroy();
        throw new FetchError(
          `${url.href}: body of ${declared} bytes is over the ${settings.maxBytes}-byte limit`,
          'too-large',
          url.href,
        );
      }
      const chunks: Uint8Array[] = [];
      let size = 0;
      for await (const chunk of response.body) {
        size += (chunk as Uint8Array).byteLength;
        if (size > settings.maxBytes) {
          response.body.destroy();
          throw new FetchError(
            `${url.href}: body is over the ${settings.maxBytes}-byte limit`,
            'too-large',
            url.href,
          );
        }
        chunks.push(chunk as Uint8Array);
      }
      const bytes = new Uint8Array(size);
      let offset = 0;
      for (const chunk of chunks) {
        bytes.set(chunk, offset);
        offset += chunk.byteLength;
      }
      return { status: response.statusCode, headers: responseHeaders, body: bytes };
    });

  /** One hop with retries: timeouts, resets and 5xx back off; 429/503 honour a bounded Retry-After. */
  const withRetries = async (
    url: URL,
    headers: Record<string, string>,
    method: string,
    signal: AbortSignal,
  ): Promise<RawResult> => {
    for (let attempt = 0; ; attempt++) {
      let result: RawResult;
      try {
        result = await once(url, headers, method, signal);
      } catch (error) {
        if (signal.aborted || attempt >= settings.retries || !isRetryableError(error))
          throw describe(error, url.href);
        const delay = backoffDelay(attempt, settings.retryBaseMs, settings.retryCapMs, random);
        options.logger?.warn('fetch retry', {
          url: url.href,
          attempt: attempt + 1,
          ms: delay,
          error: (error as Error).message,
        });
        await sleep(delay, signal);
        continue;
      }
      if (!isRetryableStatus(result.status) || attempt >= settings.retries) return result;
      let delay = backoffDelay(attempt, settings.retryBaseMs, settings.retryCapMs, random);
      if (result.status === 429 || result.status === 503) {
        const asked = parseRetryAfter(result.headers.get('retry-after'), now());
        if (asked !== null) {
          if (asked > settings.maxRetryAfterMs) {
            options.logger?.warn('Retry-After too long; giving up', {
              url: url.href,
              status: result.status,
              ms: asked,
            });
            return result;
          }
          delay = asked;
        } else if (result.status === 429) {
          delay = Math.max(delay, settings.retryBaseMs);
        }
      }
      options.logger?.warn('fetch retry', {
        url: url.href,
        attempt: attempt + 1,
        ms: delay,
        status: result.status,
      });
      await sleep(delay, signal);
    }
  };

  const fetch: HttpFetch = async (input, init = {}) => {
    const method = (init.method ?? 'GET').toUpperCase();
    if (method !== 'GET' && method !== 'HEAD') {
      throw new FetchError(`${input}: only GET and HEAD are supported, got ${method}`, 'network', input);
    }
    const headers: Record<string, string> = {
      'user-agent': options.userAgent,
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
      if (guard) {
        try {
          checkLiteralHost(current.hostname, allowed);
        } catch (error) {
          throw describe(error, current.href);
        }
      }
      visited.add(current.href);
      let result: RawResult;
      try {
        result = await withRetries(current, headers, method, signal);
      } catch (error) {
        throw describe(error, current.href);
      }
      const location = result.headers.get('location');
      if (REDIRECT_STATUS.has(result.status) && location) {
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
        if (hop >= settings.maxRedirects) {
          throw new FetchError(
            `${input}: more than ${settings.maxRedirects} redirects`,
            'too-many-redirects',
            input,
          );
        }
        current = next;
        continue;
      }
      return toResponse(result, current.href, hop > 0);
    }
  };

  const toResponse = async (result: RawResult, finalUrl: string, redirected: boolean): Promise<Response> => {
    const headers = new Headers();
    result.headers.forEach((value, name) => {
      if (!DROPPED_HEADERS.has(name)) headers.append(name, value);
    });
    let body: Uint8Array | null = null;
    if (result.body && !NULL_BODY_STATUS.has(result.status)) {
      try {
        const plain = await decompress(
          result.body,
          result.headers.get('content-encoding'),
          settings.maxBytes,
        );
        const text = transcodeToUtf8(plain, result.headers.get('content-type'));
        body = text.bytes;
        if (text.sourceCharset) {
          headers.set('content-type', text.contentType);
          headers.set('x-kiosque-source-charset', `${text.sourceCharset}; from=${text.charsetFrom}`);
        }
      } catch (error) {
        throw describe(error, finalUrl);
      }
      headers.set('content-length', String(body.byteLength));
    }
    const response = new Response(body as Uint8Array<ArrayBuffer> | null, {
      status: result.status,
      statusText: STATUS_CODES[result.status] ?? '',
      headers,
    });
    // A constructed Response has an empty url; the core needs the final URL after redirects.
    Object.defineProperty(response, 'url', { value: finalUrl });
    Object.defineProperty(response, 'redirected', { value: redirected });
    return response;
  };

  return {
    fetch,
    close: async () => {
      if (undici) await (await undici).agent.close();
    },
  };
}

function stripUndefined<T extends object>(value: T): Partial<FetchSettings> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(DEFAULT_FETCH_SETTINGS)) {
    const v = (value as Record<string, unknown>)[key];
    if (v !== undefined) out[key] = v;
  }
  return out as Partial<FetchSettings>;
}
