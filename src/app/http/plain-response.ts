/**
 * Error and status responses the app sends itself (404, 405, 503): a short message as JSON for
 * `.json` paths and as plain text otherwise, so a feed reader never receives an HTML error page.
 *
 * Must not: be cached by shared caches (errors are transient: a 404 article may be published
 * by the next run). Tunables: RETRY_AFTER_SECONDS.
 */

/** How long clients should wait before retrying while no consistent version is published. */
export const RETRY_AFTER_SECONDS = 10;

export const ALLOWED_METHODS = 'GET, HEAD';

const encoder = new TextEncoder();

/** Every response kiosque sends carries this (no MIME sniffing of feeds into HTML). */
export const BASE_HEADERS: Readonly<Record<string, string>> = { 'X-Content-Type-Options': 'nosniff' };

export function plainResponse(
  path: string,
  status: number,
  code: string,
  message: string,
  extraHeaders: Readonly<Record<string, string>> = {},
): Response {
  const json = path.endsWith('.json');
  const body = encoder.encode(json ? `${JSON.stringify({ error: code, message })}\n` : `${message}\n`);
  return new Response(body, {
    status,
    headers: {
      ...BASE_HEADERS,
      'Content-Type': json ? 'application/json; charset=utf-8' : 'text/plain; charset=utf-8',
      'Content-Length': String(body.byteLength),
      'Cache-Control': 'no-store',
      ...extraHeaders,
    },
  });
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
