import { describe, expect, it } from 'vitest';
import { closestName, editDistance } from '../src/closest-name.ts';

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['content', 'content', 0],
    ['contnet', 'content', 1],
    ['conten', 'content', 1],
    ['kitten', 'sitting', 3],
  ])('%s ↔ %s = %i', (a, b, n) => {
    expect(editDistance(a, b)).toBe(n);
  });
});

describe('closestName', () => {
  const options = ['config', 'content', 'out', 'port', 'changed', 'full', 'json', 'explain', 'help'];
  it.each([
    ['contnet', 'content'],
    ['confg', 'config'],
    ['Port', 'port'],
    ['chnaged', 'changed'],
    ['explian', 'explain'],
    ['feedsize', 'feedSize'],
  ])('%s → %s', (given, expected) => {
    expect(closestName(given, [...options, 'feedSize'])).toBe(expected);
  });

  it.each(['frobnicate', 'x', 'verbose', 'pt'])('suggests nothing for %s', (given) => {
    expect(closestName(given, options)).toBeNull();
  });
});
