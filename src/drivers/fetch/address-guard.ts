/**
 * SSRF guard: which IP addresses the fetch driver may connect to. By default only global unicast
 * addresses (ipaddr.js range `unicast`): loopback, private (RFC 1918), link-local (cloud metadata
 * at 169.254.169.254), carrier-grade NAT, unique-local, multicast, reserved and unspecified are
 * refused. IPv4-mapped IPv6 addresses are judged as the IPv4 they carry.
 *
 * The check runs on the address the socket ACTUALLY connects to: `createGuardedLookup` wraps DNS
 * resolution and is handed to undici as `connect.lookup`, so a name that resolves (or re-resolves,
 * DNS rebinding) to a private address is refused at connect time, on every redirect hop too. IP
 * literals skip DNS in node:net, so `checkLiteralHost` covers them before connecting.
 *
 * Must not: be bypassed by a redirect (the driver calls it per hop). Both the resolver and the
 * address predicate are injectable so tests can treat the loopback test server as "public"
 * without ever sending traffic elsewhere.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

export interface ResolvedAddress {
  readonly address: string;
  readonly family: number;
}

/** Resolves a host name to all its addresses. */
export type ResolveHost = (hostname: string) => Promise<readonly ResolvedAddress[]>;

export type AddressPredicate = (address: string) => boolean;

/** Error code of a refused target, checked by the retry policy (never retried). */
export const BLOCKED_ADDRESS_CODE = 'KIOSQUE_BLOCKED_ADDRESS';

export class BlockedAddressError extends Error {
  override readonly name = 'BlockedAddressError';
  readonly code = BLOCKED_ADDRESS_CODE;
  constructor(
    readonly hostname: string,
    readonly address: string,
  ) {
    super(
      `refused to connect to ${hostname} (${address}): private, loopback and link-local addresses are blocked (allowPrivateNetworks is false)`,
    );
  }
}

/** True for global unicast addresses only. */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  return ipaddr.process(address).range() === 'unicast';
}

const defaultResolve: ResolveHost = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/** Strips the brackets of an IPv6 URL host. */
function bare(hostname: string): string {
  return hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
}

/** Throws BlockedAddressError when the URL's host is an IP literal that is not allowed. */
export function checkLiteralHost(hostname: string, allowed: AddressPredicate): void {
  const host = bare(hostname);
  if (isIP(host) && !allowed(host)) throw new BlockedAddressError(host, host);
}

/**
 * A `lookup` for node:net that resolves with `resolve` and keeps only allowed addresses; when
 * none is left the connection fails with BlockedAddressError.
 */
export function createGuardedLookup(
  allowed: AddressPredicate,
  resolve: ResolveHost = defaultResolve,
): LookupFunction {
  return ((hostname: string, options: { all?: boolean; family?: number | string }, callback: unknown) => {
    const done = callback as (error: Error | null, address?: unknown, family?: number) => void;
    resolve(hostname).then(
      (addresses) => {
        const wanted = addresses.filter(
          (a) => !options.family || options.family === a.family || options.family === `IPv${a.family}`,
        );
        const safe = wanted.filter((a) => allowed(a.address));
        const first = safe[0];
        if (!first) {
          const error = new BlockedAddressError(hostname, wanted[0]?.address ?? 'no address');
          done(error);
          return;
        }
        if (options.all)
          done(
            null,
            safe.map((a) => ({ address: a.address, family: a.family })),
          );
        else done(null, first.address, first.family);
      },
      (error: Error) => done(error),
    );
  }) as LookupFunction;
}
