/**
 * The Node Fetch driver's one error type, and the translation of whatever failed (an undici error
 * code, a timeout or abort signal, a body that would not decode, a refused address) into a
 * FetchError whose message names the URL and the reason.
 *
 * Must not: decide whether to retry (retry-policy.ts does).
 */
import { BLOCKED_ADDRESS_CODE } from './address-guard.ts';
import { BodyDecodeError } from './decode-body.ts';
import type { FetchSettings } from './fetch-settings.ts';
import { errorCodes } from './retry-policy.ts';

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

/** The timeouts a failure message quotes. */
type Timeouts = Pick<
  FetchSettings,
  'connectTimeoutMs' | 'headersTimeoutMs' | 'bodyTimeoutMs' | 'totalTimeoutMs'
>;

/** `error` (any failure of a fetch of `url`) as a FetchError; a FetchError is returned as it is. */
export function describeFetchError(error: unknown, url: string, settings: Timeouts): FetchError {
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
}
