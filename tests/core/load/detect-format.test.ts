import { describe, expect, it } from 'vitest';
import { detectFormat } from '../../../src/core/load/detect-format.ts';

describe('detectFormat', () => {
  it('maps known extensions, case-insensitively', () => {
    expect(detectFormat('a.txt')).toBe('text');
    expect(detectFormat('a.TEXT')).toBe('text');
    expect(detectFormat('dir/a.md')).toBe('markdown');
    expect(detectFormat('a.markdown')).toBe('markdown');
    expect(detectFormat('a.html')).toBe('html');
    expect(detectFormat('a.HTM')).toBe('html');
  });

  it('returns null for anything else', () => {
    expect(detectFormat('a.json')).toBeNull();
    expect(detectFormat('README')).toBeNull();
    expect(detectFormat('.txt')).toBeNull();
    expect(detectFormat('a.')).toBeNull();
    expect(detectFormat('a.meta.json')).toBeNull();
  });
});
