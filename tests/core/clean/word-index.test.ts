import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WordIndex } from '../../../src/core/clean/word-index.ts';

describe('WordIndex', () => {
  const index = new WordIndex([
    ['le', 1],
    ['la', 2],
    ['les', 3],
    ['über', 4],
    ['𝐀b', 5],
    ['', 6],
  ]);

  it('looks a slice up without copying it', () => {
    const text = 'voilà les enfants über la 𝐀b';
    const at = (word: string): [number, number] => {
      const start = text.indexOf(word);
      return [start, start + word.length];
    };
    expect(index.get(text, ...at('les'))).toBe(3);
    expect(index.get(text, ...at('le'))).toBe(1);
    expect(index.get(text, ...at('über'))).toBe(4);
    const la = text.indexOf(' la ') + 1;
    expect(index.get(text, la, la + 2)).toBe(2);
    expect(index.get(text, ...at('𝐀b'))).toBe(5);
    expect(index.get(text, ...at('voilà'))).toBe(-1);
    expect(index.get(text, ...at('enfants'))).toBe(-1);
    expect(index.get(text, 3, 3)).toBe(6);
    expect(index.longest).toBe(4);
  });

  it('keeps the last value of a word given twice', () => {
    const twice = new WordIndex([
      ['a', 1],
      ['a', 7],
    ]);
    expect(twice.get('a', 0, 1)).toBe(7);
  });

  it('answers what a Map of the same words answers, for any slice', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ maxLength: 6 }), { maxLength: 60 }),
        fc.string({ maxLength: 40 }),
        fc.nat(),
        fc.nat(),
        (words, text, a, b) => {
          const map = new Map(words.map((w, i) => [w, i] as const));
          const idx = new WordIndex(map);
          const start = Math.min(a, b) % (text.length + 1);
          const end = Math.min(text.length, start + (Math.max(a, b) % 8));
          expect(idx.get(text, start, end)).toBe(map.get(text.slice(start, end)) ?? -1);
          for (const [w, v] of map) expect(idx.get(`x${w}y`, 1, 1 + w.length)).toBe(v);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
