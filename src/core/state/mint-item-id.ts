/**
 * Stable item ids: an RFC 9562 UUIDv8 (`urn:uuid:…`) derived from the item's identity key
 * (explicit `id`, else canonical URL, else its source path) — never from the title or text,
 * so an edited article keeps its id. The ledger stores the id once issued, so even a later
 * change of key (a moved URL) keeps the first id.
 *
 * Must not: read the clock or randomness (the same key always yields the same id).
 */
import { sha256Hex } from '../digest/hash.ts';

/** Formats 128 bits of a SHA-256 as a version-8 UUID URN. */
export async function mintItemId(identityKey: string): Promise<string> {
  const hex = (await sha256Hex(`kiosque:item:${identityKey}`)).slice(0, 32);
  const variant = ((Number.parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16);
  const uuid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  return `urn:uuid:${uuid}`;
}
