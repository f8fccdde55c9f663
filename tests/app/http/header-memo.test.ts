import { describe, expect, it } from 'vitest';
import { memoiseByHeader } from '../../../src/app/http/header-memo.ts';

describe('memoiseByHeader', () => {
  it('computes once per distinct value, answers `absent` for a missing header, and stays bounded', () => {
    const calls: string[] = [];
    const lengthOf = memoiseByHeader(
      (h) => {
        calls.push(h);
        return h.length;
      },
      -1,
      2,
    );
    expect(lengthOf(undefined)).toBe(-1);
    expect(lengthOf('')).toBe(-1);
    expect(lengthOf('gzip')).toBe(4);
    expect(lengthOf('gzip')).toBe(4);
    expect(calls).toEqual(['gzip']);
    lengthOf('br');
    lengthOf('deflate'); // a third value: the memory starts afresh
    lengthOf('gzip');
    expect(calls).toEqual(['gzip', 'br', 'deflate', 'gzip']);
  });
});
