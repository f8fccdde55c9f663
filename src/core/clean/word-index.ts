/**
 * A fixed table of words with a number each, looked up by a slice of a longer string without
 * copying it: `get(text, start, end)` answers what `map.get(text.slice(start, end))` would.
 * Input: word → value pairs (values ≥ 0). Output: the value of a slice, or -1 when absent.
 *
 * Why: stopword density and the language guess look up every token of a block; slicing each
 * token into a new string, then hashing it, was most of their cost. Here the slice is hashed in
 * place (FNV-1a over UTF-16 code units) and the candidate word compared with `startsWith`.
 * Tokens longer than the longest word are answered without hashing.
 * Must not: change after construction, or fold case or normalise (callers give lower-cased text).
 */

export class WordIndex {
  private readonly words: string[] = [];
  private readonly values: number[] = [];
  /** Open addressing, linear probing: 1 + an index into `words`, 0 for an empty slot. */
  private readonly slots: Int32Array;
  private readonly mask: number;
  /** Length of the longest word, in code units. */
  readonly longest: number;

  /** A word given twice keeps its last value. */
  constructor(entries: Iterable<readonly [string, number]>) {
    const list = [...entries];
    let size = 16;
    while (size < list.length * 2) size *= 2;
    this.slots = new Int32Array(size);
    this.mask = size - 1;
    let longest = 0;
    for (const [word, value] of list) {
      const slot = this.slotOf(word, 0, word.length);
      const at = this.slots[slot] ?? 0;
      if (at !== 0) {
        this.values[at - 1] = value;
        continue;
      }
      this.words.push(word);
      this.values.push(value);
      this.slots[slot] = this.words.length;
      longest = Math.max(longest, word.length);
    }
    this.longest = longest;
  }

  /** The value of `text.slice(start, end)`, or -1 when it is not in the table. */
  get(text: string, start: number, end: number): number {
    if (end - start > this.longest) return -1;
    const at = this.slots[this.slotOf(text, start, end)] ?? 0;
    return at === 0 ? -1 : (this.values[at - 1] ?? -1);
  }

  /** The slot holding `text.slice(start, end)`, or the empty slot where it would go. */
  private slotOf(text: string, start: number, end: number): number {
    const length = end - start;
    for (let slot = hashOf(text, start, end) & this.mask; ; slot = (slot + 1) & this.mask) {
      const at = this.slots[slot] ?? 0;
      if (at === 0) return slot;
      const word = this.words[at - 1] ?? '';
      if (word.length === length && text.startsWith(word, start)) return slot;
    }
  }
}

/** FNV-1a over the code units of `text.slice(start, end)`. */
function hashOf(text: string, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
