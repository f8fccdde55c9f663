import { describe, expect, it } from 'vitest';
import { splitTextBlocks } from '../../../src/core/load/parse-text.ts';

describe('splitTextBlocks white space', () => {
  it('folds every run of white space to one space, and leaves tidy lines as they are', () => {
    const body = [
      'Title line',
      '',
      'A paragraph with  two spaces,\ta tab and a\u00A0no-break space.',
      '',
      'A plain paragraph that needs nothing at all.',
      '',
      'Wrapped prose line one that goes on for a while and',
      'wraps  onto a second line of about the same length.',
      '',
      'Footer',
    ].join('\n');
    expect(splitTextBlocks(body).map((b) => b.text)).toEqual([
      'Title line',
      'A paragraph with two spaces, a tab and a no-break space.',
      'A plain paragraph that needs nothing at all.',
      'Wrapped prose line one that goes on for a while and wraps onto a second line of about the same length.',
      'Footer',
    ]);
  });

  it('returns the same text as a full /\\s+/gu fold for any line', () => {
    for (const line of ['a b', 'a\u2003b', 'a \u3000 b', 'é\u00A0è', 'x', '中文 文本', 'a\u200Bb']) {
      expect(splitTextBlocks(line).map((b) => b.text)).toEqual([line.trim().replace(/\s+/gu, ' ')]);
    }
  });
});

describe('splitTextBlocks label/value grids', () => {
  it('splits a mid-article block of Label : value lines into one block per line, and only such a block', () => {
    const prose = 'Une phrase de prose assez longue pour ne pas être au bord du fichier.';
    const body = [
      prose,
      prose,
      'Préparation : 20 min\nCuisson : 35 min',
      'Une ligne\ncoupée en deux',
      prose,
      prose,
      prose,
    ].join('\n\n');
    expect(splitTextBlocks(body).map((b) => b.text)).toEqual([
      prose,
      prose,
      'Préparation : 20 min',
      'Cuisson : 35 min',
      'Une ligne coupée en deux',
      prose,
      prose,
      prose,
    ]);
  });
});
