import { describe, expect, it } from 'vitest';
import { learnRepeatedBlocks } from '../../../src/core/clean/learn-source-chrome.ts';
import { comparisonKey } from '../../../src/core/clean/normalise-text.ts';
import type { ParsedDocument } from '../../../src/core/model.ts';

const doc = (source: string, file: string, texts: string[]): ParsedDocument => ({
  raw: { sourceId: file, file, source, format: 'text', body: '' },
  metadata: {},
  blocks: texts.map((text) => ({ text, hint: 'paragraph' as const })),
});

describe('learnRepeatedBlocks', () => {
  it('learns short lines found in two documents of the same source only', () => {
    const long = 'x'.repeat(300);
    const learned = learnRepeatedBlocks([
      doc('a', '1', ['Menu  Item', 'Unique one', long, 'Twice in one doc', 'Twice in one doc']),
      doc('a', '2', ['menu item', 'Unique two', long]),
      doc('b', '3', ['Menu item', 'Other']),
    ]);
    expect([...(learned.get('a') ?? [])]).toEqual([comparisonKey('Menu item')]);
    expect(learned.get('b')?.size).toBe(0);
  });

  it('returns an empty map for no documents', () => {
    expect(learnRepeatedBlocks([]).size).toBe(0);
  });
});
