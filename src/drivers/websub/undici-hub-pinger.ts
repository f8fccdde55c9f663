/**
 * The Node WebSub pinger: the runtime-agnostic pinger (src/core/syndicate/hub-pinger.ts) sending
 * its POSTs through undici's fetch, with undici's own header and body timeouts as a backstop.
 *
 * Must not: hold ping logic (retries, status and logging live in the core pinger).
 */
import {
  createHubPinger as createCoreHubPinger,
  type HubPinger,
  type HubPingerOptions,
} from '../../core/syndicate/hub-pinger.ts';
import type { HttpFetch } from '../../ports/fetch.ts';

export {
  DEFAULT_ATTEMPTS,
  DEFAULT_BACKOFF_MS,
  DEFAULT_TIMEOUT_MS,
  type HubPinger,
} from '../../core/syndicate/hub-pinger.ts';

/**
 * undici's fetch typed as the port (its Request/Response types are structurally the Web ones),
 * loaded on the first ping: a build that changes no feed never loads undici.
 */
const fetchWithUndici: HttpFetch = async (input, init) => {
  const { fetch } = await import('undici');
  return (fetch as unknown as HttpFetch)(input, init);
};

export function createHubPinger(
  options: Omit<HubPingerOptions, 'fetch'> & { readonly fetch?: HttpFetch },
): HubPinger {
  return createCoreHubPinger({ ...options, fetch: options.fetch ?? fetchWithUndici });
}
