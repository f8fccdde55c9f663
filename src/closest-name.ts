/**
 * "Did you mean": a misspelt name (a config field, a CLI option) → the closest known name, or
 * null when none is close enough to be a plausible typo. Pure; used by config.ts and the CLI.
 *
 * Distance is Damerau–Levenshtein (optimal string alignment: a swap of two neighbours counts
 * as one edit), case-insensitive. Tunables: a name matches within MAX_EDITS edits and at most a
 * third of its length, so `port` does not suggest `out`.
 *
 * Must not: decide what is valid (callers pass the known names) or print anything.
 */

/** Edits allowed at most, whatever the length. */
const MAX_EDITS = 3;

/** Optimal-string-alignment distance between two strings. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const row = d[i] as number[];
      const up = d[i - 1] as number[];
      let best = Math.min((up[j] as number) + 1, (row[j - 1] as number) + 1, (up[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, ((d[i - 2] as number[])[j - 2] as number) + 1);
      }
      row[j] = best;
    }
  }
  return (d[a.length] as number[])[b.length] as number;
}

/** The known name closest to `given`, or null when none is a plausible typo of it. */
export function closestName(given: string, known: Iterable<string>): string | null {
  const wanted = given.toLowerCase();
  let best: string | null = null;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const name of known) {
    const distance = editDistance(wanted, name.toLowerCase());
    const allowed = Math.min(MAX_EDITS, Math.max(1, Math.floor(Math.max(name.length, wanted.length) / 3)));
    if (distance <= allowed && distance < bestDistance) {
      best = name;
      bestDistance = distance;
    }
  }
  return best;
}
