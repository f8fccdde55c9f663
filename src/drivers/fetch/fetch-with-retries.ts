/**
 * One hop of a fetch with retries: timeouts, resets and 5xx back off (full jitter); 429 and 503
 * honour a Retry-After up to maxRetryAfterMs and give up at once past it (rules in retry-policy.ts).
 * Each retry is logged with the URL, the attempt and the wait.
 *
 * Must not: follow redirects or decode bodies; sleep other than through the injected `sleep`.
 */
import type { Logger } from '../../ports/logger.ts';
import type { FetchError } from './fetch-error.ts';
import type { FetchSettings } from './fetch-settings.ts';
import type { RawResult } from './raw-result.ts';
import { backoffDelay, isRetryableError, isRetryableStatus, parseRetryAfter } from './retry-policy.ts';

/** What the retry loop needs: one attempt, the settings, and the injected time and randomness. */
export interface RetryParts {
  readonly settings: FetchSettings;
  readonly once: (
    url: URL,
    headers: Record<string, string>,
    method: string,
    signal: AbortSignal,
  ) => Promise<RawResult>;
  readonly describe: (error: unknown, url: string) => FetchError;
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly random: () => number;
  readonly now: () => number;
  readonly logger: Logger | undefined;
}

export async function fetchWithRetries(
  parts: RetryParts,
  url: URL,
  headers: Record<string, string>,
  method: string,
  signal: AbortSignal,
): Promise<RawResult> {
  const { settings, logger } = parts;
  for (let attempt = 0; ; attempt++) {
    let result: RawResult;
    try {
      result = await parts.once(url, headers, method, signal);
    } catch (error) {
      if (signal.aborted || attempt >= settings.retries || !isRetryableError(error))
        throw parts.describe(error, url.href);
      const delay = backoffDelay(attempt, settings.retryBaseMs, settings.retryCapMs, parts.random);
      logger?.warn('fetch retry', {
        url: url.href,
        attempt: attempt + 1,
        ms: delay,
        error: (error as Error).message,
      });
      await parts.sleep(delay, signal);
      continue;
    }
    if (!isRetryableStatus(result.status) || attempt >= settings.retries) return result;
    const delay = statusDelay(parts, url, result, attempt);
    if (delay === null) return result;
    logger?.warn('fetch retry', {
      url: url.href,
      attempt: attempt + 1,
      ms: delay,
      status: result.status,
    });
    await parts.sleep(delay, signal);
  }
}

/** How long to wait before retrying a retryable status; null to give up (Retry-After too long). */
function statusDelay(parts: RetryParts, url: URL, result: RawResult, attempt: number): number | null {
  const { settings } = parts;
  let delay = backoffDelay(attempt, settings.retryBaseMs, settings.retryCapMs, parts.random);
  if (result.status === 429 || result.status === 503) {
    const asked = parseRetryAfter(result.headers.get('retry-after'), parts.now());
    if (asked !== null) {
      if (asked > settings.maxRetryAfterMs) {
        parts.logger?.warn('Retry-After too long; giving up', {
          url: url.href,
          status: result.status,
          ms: asked,
        });
        return null;
      }
      delay = asked;
    } else if (result.status === 429) {
      delay = Math.max(delay, settings.retryBaseMs);
    }
  }
  return delay;
}
