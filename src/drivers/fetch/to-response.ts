/**
 * A RawResult → the WHATWG Response the driver hands back: body decompressed (capped at maxBytes)
 * and, for text, transcoded to UTF-8 (`x-kiosque-source-charset` says what the bytes were), hop
 * headers dropped, `url` set to the final URL after redirects and `redirected` to whether any.
 *
 * Must not: fetch, retry or follow redirects.
 */
import { STATUS_CODES } from 'node:http';
import { decompress, transcodeToUtf8 } from './decode-body.ts';
import type { FetchError } from './fetch-error.ts';
import { NULL_BODY_STATUS, type RawResult } from './raw-result.ts';

const DROPPED_HEADERS = new Set([
  'content-encoding',
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
]);

export async function toResponse(
  result: RawResult,
  finalUrl: string,
  redirected: boolean,
  maxBytes: number,
  describe: (error: unknown, url: string) => FetchError,
): Promise<Response> {
  const headers = new Headers();
  result.headers.forEach((value, name) => {
    if (!DROPPED_HEADERS.has(name)) headers.append(name, value);
  });
  let body: Uint8Array | null = null;
  if (result.body && !NULL_BODY_STATUS.has(result.status)) {
    try {
      const plain = await decompress(result.body, result.headers.get('content-encoding'), maxBytes);
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
}
