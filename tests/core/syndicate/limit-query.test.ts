import { describe, expect, it } from 'vitest';
import { limitVariantPath, nearestLimit, parseLimitQuery } from '../../../src/core/syndicate/limit-query.ts';

describe('parseLimitQuery', () => {
  it('reads no limit, a canonical one and a non-canonical spelling', () => {
    expect(parseLimitQuery('')).toEqual({ kind: 'none' });
    expect(parseLimitQuery('?utm_source=x')).toEqual({ kind: 'none' });
    expect(parseLimitQuery('?limit=10')).toEqual({ kind: 'limit', value: 10, canonical: true });
    expect(parseLimitQuery('limit=010')).toEqual({ kind: 'limit', value: 10, canonical: false });
  });

  it.each(['?limit=0', '?limit=-1', '?limit=abc', '?limit=1.5', '?limit=', '?limit=1&limit=2', '?limit=1e3'])(
    '%s is invalid',
    (search) => {
      expect(parseLimitQuery(search).kind).toBe('invalid');
    },
  );
});

describe('nearestLimit', () => {
  it('picks the smallest published limit at or above the request, else the full feed', () => {
    expect(nearestLimit(3, [10, 25])).toBe(10);
    expect(nearestLimit(11, [25, 10])).toBe(25);
    expect(nearestLimit(26, [10, 25])).toBeNull();
    expect(nearestLimit(5, [])).toBeNull();
  });
});

it('puts the query into the route path', () => {
  expect(limitVariantPath('/tags/x/feed.json', 10)).toBe('/tags/x/feed.json?limit=10');
});
