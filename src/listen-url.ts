/**
 * The listen address ↔ the site's base URL. `listenBaseUrl` is the base URL links use when
 * neither SITE_URL nor site.baseUrl is given: the address `serve` listens on, so a build and a
 * server started with the same HOST/PORT print the same links. `baseUrlMismatch` says why a base
 * URL that WAS given cannot reach the listen address directly; `settleBaseUrl` puts both
 * together for `serve` once it knows its port: the base URL to use and at most one warning.
 *
 * Rule for hosts: a wildcard (`0.0.0.0`, `::`) or loopback (`127.0.0.1`, `::1`, `localhost`)
 * listen host gives `localhost` (a wildcard has no single address; `localhost` reaches it from
 * the machine itself, and anything else needs SITE_URL anyway); any other host is used as given.
 * Must not: look anything up (no DNS, no interfaces): pure string and address rules.
 */
import ipaddr from 'ipaddr.js';

const WILDCARDS = new Set(['', '0.0.0.0', '::', '[::]', '::0']);

function bare(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/** `0.0.0.0`, `::` (and an empty host): every interface. */
export function isWildcard(host: string): boolean {
  return WILDCARDS.has(host.trim().toLowerCase());
}

/** `localhost`, `*.localhost`, 127.0.0.0/8, ::1 (and their IPv4-mapped forms). */
export function isLoopbackHost(host: string): boolean {
  const name = bare(host.trim().toLowerCase());
  if (name === 'localhost' || name.endsWith('.localhost')) return true;
  if (!ipaddr.isValid(name)) return false;
  return ipaddr.process(name).range() === 'loopback';
}

/** The URL form of a listen address: `http://127.0.0.1:8787`, `http://[::1]:8787`. */
export function listenUrl(host: string, port: number): string {
  const name = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return `http://${name}:${port}`;
}

/** The base URL links use by default for a listen address (see the host rule above). */
export function listenBaseUrl(host: string, port: number): string {
  if (isWildcard(host) || isLoopbackHost(host)) return new URL(`http://localhost:${port}`).origin;
  // WHATWG URLs have no IPv6 zone ids (`fe80::1%eth0`): links cannot name one.
  const name = bare(host.trim()).replace(/%.*$/, '');
  try {
    return new URL(listenUrl(name, port)).origin;
  } catch {
    return new URL(`http://localhost:${port}`).origin;
  }
}

function sameHost(a: string, b: string): boolean {
  const x = bare(a.toLowerCase());
  const y = bare(b.toLowerCase());
  if (ipaddr.isValid(x) && ipaddr.isValid(y)) {
    return ipaddr.process(x).toNormalizedString() === ipaddr.process(y).toNormalizedString();
  }
  return x === y;
}

/**
 * Why `baseUrl` (given explicitly) does not match the listen address, or null when it does or
 * plausibly fronts it (a public name on the scheme's default port: a reverse proxy).
 */
export function baseUrlMismatch(baseUrl: string, host: string, port: number): string | null {
  const url = new URL(baseUrl);
  const urlPort = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
  const reasons: string[] = [];
  const loopbackUrl = isLoopbackHost(url.hostname);
  if (loopbackUrl && !isLoopbackHost(host)) {
    reasons.push(
      `it is a loopback address but kiosque listens on ${isWildcard(host) ? 'all interfaces' : host}, so links only work on this machine`,
    );
  }
  const direct = loopbackUrl || sameHost(url.hostname, host) || url.port !== '';
  if (direct && urlPort !== port) {
    reasons.push(`its port is ${urlPort} but kiosque listens on port ${port}`);
  }
  return reasons.length === 0 ? null : reasons.join('; ');
}

/** Where the base URL came from: given (`SITE_URL`, `site.baseUrl`) or derived from the listen address. */
export type BaseUrlSource = 'SITE_URL' | 'site.baseUrl' | 'listen';

export interface SettledBaseUrl {
  readonly baseUrl: string;
  /** One line for the log, or null when all is well. */
  readonly warning: string | null;
}

/**
 * The base URL `serve` uses once listening on host:port: a derived one follows the real port; a
 * given one is kept. Warns when links will not work for others (derived on a wildcard host) or
 * cannot reach the listen address (given, see baseUrlMismatch).
 */
export function settleBaseUrl(
  baseUrl: string,
  source: BaseUrlSource,
  host: string,
  port: number,
): SettledBaseUrl {
  const listening = listenUrl(host, port);
  if (source === 'listen') {
    const derived = listenBaseUrl(host, port);
    const warning = isWildcard(host)
      ? `links use ${derived}: kiosque listens on all interfaces (${listening}) and no SITE_URL or site.baseUrl is set, so links only work on this machine; set SITE_URL to the address readers use`
      : null;
    return { baseUrl: derived, warning };
  }
  const reason = baseUrlMismatch(baseUrl, host, port);
  const warning =
    reason === null
      ? null
      : `${source} ${baseUrl} does not match the listen address ${listening}: ${reason}; feeds link to ${baseUrl} anyway (unset it to follow the listen address)`;
  return { baseUrl, warning };
}
