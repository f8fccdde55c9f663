import { describe, expect, it } from 'vitest';
import { isNotModified, parseHttpDate } from '../../../src/app/http/conditional-request.ts';

const current = { etags: ['"abc"', '"abc-gzip"', '"abc-br"'], lastModified: Date.UTC(2024, 4, 1, 10, 0, 0) };

describe('parseHttpDate', () => {
  it.each([
    ['Wed, 01 May 2024 10:00:00 GMT', Date.UTC(2024, 4, 1, 10)],
    ['Wednesday, 01-May-24 10:00:00 GMT', Date.UTC(2024, 4, 1, 10)],
    ['Wed May  1 10:00:00 2024', Date.UTC(2024, 4, 1, 10)],
  ])('parses %j', (value, expected) => {
    expect(parseHttpDate(value)).toBe(expected);
  });

  it.each(['yesterday', '2024-05-01', '2024', 'Wed, 01 May 2024 10:00:00 +0200', ''])(
    'rejects %j',
    (value) => {
      expect(parseHttpDate(value)).toBeNull();
    },
  );
});

describe('isNotModified', () => {
  it.each([
    ['"abc"', true],
    ['W/"abc"', true],
    ['"zzz", "abc"', true],
    ['"zzz",W/"abc-br"', true],
    ['*', true],
    ['"zzz"', false],
    ['"ab"', false],
    ['abc', false],
  ])('If-None-Match %j → %s', (ifNoneMatch, expected) => {
    expect(isNotModified({ ifNoneMatch }, current)).toBe(expected);
  });

  it('If-None-Match takes precedence over If-Modified-Since', () => {
    const ifModifiedSince = 'Thu, 02 May 2024 10:00:00 GMT';
    expect(isNotModified({ ifModifiedSince }, current)).toBe(true);
    expect(isNotModified({ ifNoneMatch: '"other"', ifModifiedSince }, current)).toBe(false);
  });

  it.each([
    ['Wed, 01 May 2024 10:00:00 GMT', true],
    ['Wed, 01 May 2024 09:59:59 GMT', false],
    ['Thu, 02 May 2024 10:00:00 GMT', true],
    ['not a date', false],
  ])('If-Modified-Since %j → %s', (ifModifiedSince, expected) => {
    expect(isNotModified({ ifModifiedSince }, current)).toBe(expected);
  });

  it('is false without validators', () => {
    expect(isNotModified({}, current)).toBe(false);
  });
});
