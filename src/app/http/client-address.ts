/**
 * The client address of a request: (connecting peer, X-Forwarded-For, Forwarded, trusted proxies)
 * → the address to rate-limit and log. A pure function: no socket, no clock, no environment.
 *
 * Rule (as in Express's `trust proxy` and RFC 7239 §7.4): when the peer is not a trusted proxy,
 * it is the client and the headers are ignored (any client can send them). When the peer is
 * trusted, its header entries describe who connected to it; walking from the right-most entry
 * leftwards, each trusted hop vouches for the entry to its left, and the client is the right-most
 * entry that is not a trusted proxy. Entries left of it were written by the client itself and are
 * never read, so forged left-most entries change nothing.
 *
 * A hop that is not an address (`unknown`, an obfuscated `_id`, garbage, an unterminated quote)
 * stops the walk: the client cannot be identified, so the last trusted address seen (the proxy
 * that reported it) is used — a shared bucket, never an address the client chose. When both
 * headers are present and name different clients, one of them was passed through from the
 * client unchanged; the peer is used. Work is bounded: at most MAX_HOPS entries are examined and
 * a header longer than MAX_HEADER_CHARS counts as malformed.
 *
 * Must not: read anything but its arguments, or return a client-chosen value that no trusted
 * proxy vouched for. Tunables: MAX_HOPS, MAX_HEADER_CHARS; the list is config `trustProxy`.
 * Specs: RFC 7239 (Forwarded), https://developer.mozilla.org/docs/Web/HTTP/Headers/X-Forwarded-For
 */
import ipaddr from 'ipaddr.js';

/** Entries examined from the right; a longer chain of trusted proxies is not plausible. */
export const MAX_HOPS = 16;
/** Longer forwarding headers are treated as malformed (Node caps all headers at 16 KiB anyway). */
export const MAX_HEADER_CHARS = 4096;

type Address = ipaddr.IPv4 | ipaddr.IPv6;

/** One trusted range: an address and prefix length, both of one kind (IPv4 or IPv6). */
export type TrustedRange = readonly [Address, number];

/** The compiled `trustProxy` list. */
export interface TrustedProxies {
  readonly ranges: readonly TrustedRange[];
}

export const NO_TRUSTED_PROXIES: TrustedProxies = { ranges: [] };

/**
 * `"10.0.0.0/8"`, `"2001:db8::/32"`, `"127.0.0.1"` (a single address) → a range, or null when the
 * text is not one. IPv4 must be four-part decimal (no `127.1`, no hex); an IPv4-mapped IPv6
 * range (`::ffff:10.0.0.0/104`) is stored as its IPv4 range, as peers are compared as IPv4.
 */
export function parseTrustedRange(text: string): TrustedRange | null {
  const value = text.trim();
  const slash = value.indexOf('/');
  const addressText = slash === -1 ? value : value.slice(0, slash);
  const v4 = ipaddr.IPv4.isValidFourPartDecimal(addressText);
  if (!v4 && !(addressText.includes(':') && ipaddr.IPv6.isValid(addressText))) return null;
  const max = v4 ? 32 : 128;
  let bits = max;
  if (slash !== -1) {
    const bitsText = value.slice(slash + 1);
    if (!/^\d{1,3}$/.test(bitsText)) return null;
    bits = Number(bitsText);
  }
  if (bits > max) return null;
  if (v4) return [ipaddr.IPv4.parse(addressText), bits];
  const v6 = ipaddr.IPv6.parse(addressText);
  if (!v6.isIPv4MappedAddress()) return [v6, bits];
  // Only IPv4 ranges of a mapped prefix make sense; shorter prefixes would span non-mapped space.
  return bits < 96 ? null : [v6.toIPv4Address(), bits - 96];
}

/** The config strings → ranges; throws naming the first entry that is not one (config validates first). */
export function compileTrustedProxies(entries: readonly string[]): TrustedProxies {
  return {
    ranges: entries.map((entry) => {
      const range = parseTrustedRange(entry);
      if (range === null) throw new Error(`not an address or CIDR range: ${JSON.stringify(entry)}`);
      return range;
    }),
  };
}

/** A strict address: four-part decimal IPv4 or IPv6 (IPv4-mapped IPv6 becomes IPv4); else null. */
function parseAddress(text: string): Address | null {
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) return ipaddr.IPv4.parse(text);
  if (text.includes(':') && ipaddr.IPv6.isValid(text)) {
    const v6 = ipaddr.IPv6.parse(text);
    return v6.isIPv4MappedAddress() ? v6.toIPv4Address() : v6;
  }
  return null;
}

/**
 * One header entry → an address: `192.0.2.1`, `192.0.2.1:4711`, `2001:db8::1`, `[2001:db8::1]`,
 * `[2001:db8::1]:4711` (quotes already removed). Null for anything else, including `unknown`
 * and obfuscated identifiers (`_hidden`).
 */
export function parseHop(text: string): Address | null {
  const value = text.trim();
  if (value.startsWith('[')) {
    const close = value.indexOf(']');
    if (close === -1) return null;
    const rest = value.slice(close + 1);
    if (rest !== '' && !/^:\d{1,5}$/.test(rest)) return null;
    const inner = value.slice(1, close);
    return inner.includes(':') ? parseAddress(inner) : null;
  }
  const ipv4WithPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$/.exec(value);
  return parseAddress(ipv4WithPort?.[1] ?? value);
}

function isTrusted(address: Address, trusted: TrustedProxies): boolean {
  for (const [range, bits] of trusted.ranges) {
    if (range.kind() === address.kind() && address.match(range, bits)) return true;
  }
  return false;
}

/** Sentinel for an entry that is present but not usable (a broken quote, a bad element). */
const MALFORMED = '\u0000malformed';

/** X-Forwarded-For → its entries, left to right (empty list elements dropped, RFC 9110 §5.6.1). */
export function forwardedForEntries(header: string): string[] {
  return header
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
}

/**
 * RFC 7239 Forwarded → the `for=` value of each element, left to right (quotes removed). An
 * element without `for` or with a syntax error yields MALFORMED, and an unterminated quote makes
 * everything after it one MALFORMED entry, so text a client appended cannot pose as an element.
 */
export function forwardedEntries(header: string): string[] {
  const entries: string[] = [];
  let element = '';
  let quoted = false;
  for (let i = 0; i < header.length; i++) {
    const ch = header[i];
    if (quoted) {
      if (ch === '\\' && i + 1 < header.length) {
        element += ch + header[i + 1];
        i++;
        continue;
      }
      if (ch === '"') quoted = false;
      element += ch;
    } else if (ch === '"') {
      quoted = true;
      element += ch;
    } else if (ch === ',') {
      if (element.trim() !== '') entries.push(forOf(element));
      element = '';
    } else {
      element += ch;
    }
  }
  if (quoted) entries.push(MALFORMED);
  else if (element.trim() !== '') entries.push(forOf(element));
  return entries;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** One element (`for=…;proto=…;by=…`) → its `for` value, or MALFORMED. */
function forOf(element: string): string {
  let found: string | null = null;
  for (const pair of splitPairs(element)) {
    const eq = pair.indexOf('=');
    if (eq <= 0) return MALFORMED;
    const name = pair.slice(0, eq).trim().toLowerCase();
    const raw = pair.slice(eq + 1).trim();
    let value: string;
    if (raw.startsWith('"')) {
      if (raw.length < 2 || !raw.endsWith('"')) return MALFORMED;
      value = raw.slice(1, -1).replace(/\\(.)/g, '$1');
    } else if (TOKEN.test(raw)) {
      value = raw;
    } else {
      return MALFORMED;
    }
    if (name === 'for') {
      if (found !== null) return MALFORMED;
      found = value;
    }
  }
  return found ?? MALFORMED;
}

/** Splits an element on `;` outside quotes. */
function splitPairs(element: string): string[] {
  const pairs: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < element.length; i++) {
    const ch = element[i];
    if (quoted && ch === '\\') {
      current += ch + (element[i + 1] ?? '');
      i++;
      continue;
    }
    if (ch === '"') quoted = !quoted;
    if (ch === ';' && !quoted) {
      pairs.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  pairs.push(current);
  return pairs.map((p) => p.trim()).filter((p) => p !== '');
}

/**
 * Walks `entries` (left to right as sent) from the right: the right-most untrusted hop, or the last
 * trusted address seen when a hop is unusable or the hops run out (a chain of only trusted
 * proxies: the left-most is the client), or after MAX_HOPS entries.
 */
function walk(entries: readonly string[], peer: Address, trusted: TrustedProxies): Address {
  let last = peer;
  const stop = Math.max(0, entries.length - MAX_HOPS);
  for (let i = entries.length - 1; i >= stop; i--) {
    const hop = parseHop(entries[i] ?? '');
    if (hop === null) return last;
    if (!isTrusted(hop, trusted)) return hop;
    last = hop;
  }
  return last;
}

export interface ForwardingHeaders {
  /** X-Forwarded-For, repeated headers joined with `, ` (as Node does). */
  readonly forwardedFor?: string | undefined;
  /** Forwarded (RFC 7239), repeated headers joined with `, `. */
  readonly forwarded?: string | undefined;
}

/**
 * The client address of one request. `peer` is the connecting address (the socket's); the
 * result is normalised (`::ffff:192.0.2.1` → `192.0.2.1`) when the peer parses, else the peer as
 * given; undefined only when the peer is unknown.
 */
export function resolveClientAddress(
  peer: string | undefined,
  headers: ForwardingHeaders,
  trusted: TrustedProxies,
): string | undefined {
  if (peer === undefined || trusted.ranges.length === 0) return peer;
  const peerAddress = parseAddress(peer);
  if (peerAddress === null) return peer;
  if (!isTrusted(peerAddress, trusted)) return peerAddress.toString();
  const candidates: Address[] = [];
  for (const [header, entriesOf] of [
    [headers.forwardedFor, forwardedForEntries],
    [headers.forwarded, forwardedEntries],
  ] as const) {
    if (header === undefined || header.trim() === '') continue;
    const entries = header.length > MAX_HEADER_CHARS ? [MALFORMED] : entriesOf(header);
    if (entries.length > 0) candidates.push(walk(entries, peerAddress, trusted));
  }
  const [first, second] = candidates;
  if (first === undefined) return peerAddress.toString();
  if (second !== undefined && second.toString() !== first.toString()) return peerAddress.toString();
  return first.toString();
}
