/**
 * Error and status responses the app sends itself (400, 404, 405, 429, 503, redirects, CORS
 * preflight): a short message as JSON for `.json` paths and as plain text otherwise, so a feed
 * reader never receives an HTML error page. All carry nosniff and CORS (a web-based reader
 * must be able to read why a request failed).
 *
 * Must not: be cached by shared caches (errors are transient: a 404 article may be published
 * by the next run). Tunables: RETRY_AFTER_SECONDS.
 */

/** How long clients should wait before retrying while no consistent version is published. */
export const RETRY_AFTER_SECONDS = 10;

export const ALLOWED_METHODS = 'GET, HEAD, OPTIONS';

const encoder = new TextEncoder();

/** Every response kiosque sends carries this (no MIME sniffing of feeds into HTML). */
export const BASE_HEADERS: Readonly<Record<string, string>> = { 'X-Content-Type-Options': 'nosniff' };

const ERROR_CORS: Readonly<Record<string, string>> = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers': 'Retry-After',
};

/** The parts of a plain response (the request fast path writes them without a Response). */
export interface PlainParts {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array<ArrayBuffer>;
}

export function plainParts(
  path: string,
  status: number,
  code: string,
  message: string,
  extraHeaders: Readonly<Record<string, string>> = {},
): PlainParts {
  const json = path.endsWith('.json');
  const body = encoder.encode(json ? `${JSON.stringify({ error: code, message })}\n` : `${message}\n`);
  return {
    status,
    body,
    headers: {
      ...BASE_HEADERS,
      ...ERROR_CORS,
      'Content-Type': json ? 'application/json; charset=utf-8' : 'text/plain; charset=utf-8',
      'Content-Length': String(body.byteLength),
      'Cache-Control': 'no-store',
      ...extraHeaders,
    },
  };
}

export function plainResponse(
  path: string,
  status: number,
  code: string,
  message: string,
  extraHeaders: Readonly<Record<string, string>> = {},
): Response {
  const parts = plainParts(path, status, code, message, extraHeaders);
  return new Response(parts.body, { status: parts.status, headers: parts.headers });
}

export function notFound(path: string): Response {
  return plainResponse(path, 404, 'not_found', `Nothing is published at ${path}`);
}

export function methodNotAllowed(path: string): Response {
  return plainResponse(path, 405, 'method_not_allowed', `Only ${ALLOWED_METHODS} are allowed`, {
    Allow: ALLOWED_METHODS,
  });
}

export function unavailable(path: string, message: string): Response {
  return plainResponse(path, 503, 'unavailable', message, { 'Retry-After': String(RETRY_AFTER_SECONDS) });
}

export function badRequest(path: string, message: string): Response {
  return plainResponse(path, 400, 'bad_request', message);
}

export function tooManyRequestsParts(path: string, retryAfterSeconds: number): PlainParts {
  return plainParts(path, 429, 'rate_limited', `Too many requests; retry in ${retryAfterSeconds} s`, {
    'Retry-After': String(retryAfterSeconds),
  });
}

export function tooManyRequests(path: string, retryAfterSeconds: number): Response {
  const parts = tooManyRequestsParts(path, retryAfterSeconds);
  return new Response(parts.body, { status: parts.status, headers: parts.headers });
}

/** A redirect to another published variant (`?limit=N` → the nearest published limit). */
export function redirect(path: string, location: string, cacheControl: string): Response {
  return plainResponse(path, 302, 'found', `See ${location}`, {
    Location: location,
    'Cache-Control': cacheControl,
  });
}

/**
 * CORS preflight (a cross-origin reader sending If-None-Match triggers one): 204 allowing the
 * read methods and the conditional request headers, cacheable for a day.
 */
export function preflight(): Response {
  return new Response(null, {
    status: 204,
    headers: {
      ...BASE_HEADERS,
      'Access-Control-Allow-Origin': '*',
      'Access-Control-Allow-Methods': 'GET, HEAD',
      'Access-Control-Allow-Headers': 'If-None-Match, If-Modified-Since, Cache-Control',
      'Access-Control-Max-Age': '86400',
      Allow: ALLOWED_METHODS,
    },
  });
}
