/**
 * Learns each source's own chrome: short lines that recur in several articles of one source.
 * Input: all ParsedDocuments of a run. Output: source → set of comparison keys (normalise-text.ts)
 * of blocks found in at least two different documents of that source.
 *
 * Must not: compare across sources (two sites may quote the same sentence), or learn long blocks
 * (prose that repeats is syndication, not chrome). Length limit lives in rules.ts.
 */
import type { ParsedDocument } from '../model.ts';
import { comparisonKey } from './normalise-text.ts';
import { THRESHOLDS } from './rules.ts';
import { keyLengthAtLeast } from './scan-text.ts';

/**
 * A block seen in this many different documents of one source is boilerplate. The one definition of
 * the rule: the pipeline's chrome index (core/sources/chrome-index.ts) counts against it too.
 */
export const CHROME_MIN_DOCUMENTS = 2;

export function learnRepeatedBlocks(
  docs: readonly ParsedDocument[],
): ReadonlyMap<string, ReadonlySet<string>> {
  const counts = new Map<string, Map<string, number>>();
  for (const doc of docs) {
    const seen = new Set<string>();
    for (const block of doc.blocks) {
      // Prose paragraphs are far too long to be chrome: skip their (costly) key when even a
      // lower bound of its length is over the limit (a text within the limit never has one).
      if (
        block.text.length > THRESHOLDS.repeatedBlockMaxChars &&
        keyLengthAtLeast(block.text, THRESHOLDS.repeatedBlockMaxChars) > THRESHOLDS.repeatedBlockMaxChars
      )
        continue;
      const key = comparisonKey(block.text);
      if (key.length === 0 || key.length > THRESHOLDS.repeatedBlockMaxChars) continue;
      seen.add(key);
    }
    let perSource = counts.get(doc.raw.source);
    if (!perSource) {
      perSource = new Map();
      counts.set(doc.raw.source, perSource);
    }
    for (const key of seen) perSource.set(key, (perSource.get(key) ?? 0) + 1);
  }
  const out = new Map<string, ReadonlySet<string>>();
  for (const [source, perSource] of counts) {
    const repeated = new Set<string>();
    for (const [key, n] of perSource) if (n >= CHROME_MIN_DOCUMENTS) repeated.add(key);
    out.set(source, repeated);
  }
  return out;
}
