/**
 * What a gather compares and counts for one document: its raw hash (the input the clean result
 * depends on: source, format, body, base URL, metadata, default language) and its chrome
 * candidate keys (learn-source-chrome.ts's rule), shared by every source.
 *
 * Must not: read or write storage. Tunables: THRESHOLDS.repeatedBlockMaxChars (clean/rules.ts),
 * CHROME_MIN_DOCUMENTS (clean/learn-source-chrome.ts).
 */
import { CHROME_MIN_DOCUMENTS } from '../clean/learn-source-chrome.ts';
import { comparisonKey } from '../clean/normalise-text.ts';
import { THRESHOLDS } from '../clean/rules.ts';
import { sha256Hex } from '../digest/hash.ts';
import type { ParsedDocument, RawDocument } from '../model.ts';

export async function rawHashOf(raw: RawDocument, defaultLanguage: string): Promise<string> {
  const input = [
    raw.source,
    raw.format,
    raw.body,
    raw.baseUrl ?? null,
    raw.metadata ?? null,
    defaultLanguage,
  ];
  return (await sha256Hex(JSON.stringify(input))).slice(0, 32);
}

/** Comparison keys of a document's chrome candidates (learn-source-chrome.ts's rule), distinct. */
export function candidateKeys(parsed: ParsedDocument): string[] {
  const keys = new Set<string>();
  for (const block of parsed.blocks) {
    const key = comparisonKey(block.text);
    if (key.length > 0 && key.length <= THRESHOLDS.repeatedBlockMaxChars) keys.add(key);
  }
  return [...keys];
}

export function isChrome(count: number): boolean {
  return count >= CHROME_MIN_DOCUMENTS;
}

export function byKey(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
