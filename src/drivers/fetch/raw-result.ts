/**
 * One undici response → the driver's RawResult: status, headers as WHATWG Headers, and the body read
 * in full but never past `maxBytes` (Content-Length checked first, then counted while reading).
 * Redirects, HEAD and null-body statuses keep no body. The bytes are still as sent (compressed,
 * any charset): to-response.ts decodes them.
 *
 * Must not: retry, follow redirects or decode.
 */
import type { Dispatcher } from 'undici';
import { FetchError } from './fetch-error.ts';

export interface RawResult {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Uint8Array | null;
}

export const REDIRECT_STATUS = new Set([301, 302, 303, 307, 308]);
export const NULL_BODY_STATUS = new Set([101, 204, 205, 304]);

function toHeaders(raw: Record<string, string | string[] | undefined>): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  return headers;
}

export async function readRawResult(
  response: Dispatcher.ResponseData,
  url: URL,
  method: string,
  maxBytes: number,
): Promise<RawResult> {
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
  if (declared > maxBytes) {
    response.body.destroy();
    throw new FetchError(
      `${url.href}: body of ${declared} bytes is over the ${maxBytes}-byte limit`,
      'too-large',
      url.href,
    );
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    size += (chunk as Uint8Array).byteLength;
    if (size > maxBytes) {
      response.body.destroy();
      throw new FetchError(`${url.href}: body is over the ${maxBytes}-byte limit`, 'too-large', url.href);
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
}
