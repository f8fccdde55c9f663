/**
 * When a failed fetch is tried again and how long to wait: timeouts, dropped connections and
 * 500/502/503/504 are retried with exponential backoff and full jitter; 429 and 503 honour
 * `Retry-After` (seconds or an HTTP date) when it is within `maxRetryAfterMs`, and are given up
 * at once when the server asks for longer (waiting an hour would stall the whole run).
 * Refused targets, oversize bodies, bad redirects and aborts are never retried.
 *
 * Must not: sleep or fetch (the driver does). Spec: RFC 9110 §10.2.3 (Retry-After),
 * https://aws.amazon.com/builders-library/timeouts-retries-and-backoff-with-jitter/
 */
import { BLOCKED_ADDRESS_CODE } from './address-guard.ts';

/** One reading of Retry-After for the driver's waits and the core's deferrals. */
export { parseRetryAfter } from '../../core/remote/source-deferrals.ts';

const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);
const RETRYABLE_CODES = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_SOCKET',
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
]);

/** Codes found anywhere in an error's cause chain. */
export function errorCodes(error: unknown): string[] {
  const codes: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
    current = (current as { cause?: unknown }).cause;
  }
  return codes;
}

export function isRetryableError(error: unknown): boolean {
  const codes = errorCodes(error);
  if (codes.includes(BLOCKED_ADDRESS_CODE)) return false;
  return codes.some((code) => RETRYABLE_CODES.has(code));
}

export function isRetryableStatus(status: number): boolean {
  return RETRYABLE_STATUS.has(status);
}

/** Full-jitter exponential backoff: random in [0, base·2^attempt], capped. `random` in [0, 1). */
export function backoffDelay(attempt: number, baseMs: number, capMs: number, random: () => number): number {
  return Math.floor(random() * Math.min(capMs, baseMs * 2 ** attempt));
}
