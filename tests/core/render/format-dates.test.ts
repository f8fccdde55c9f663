import { describe, expect, it } from 'vitest';
import { laterOf, toIsoDay, toRfc822, toRfc3339 } from '../../../src/core/render/format-dates.ts';

describe('format-dates', () => {
  it('formats RFC 822 in GMT with the right weekday', () => {
    expect(toRfc822('2025-06-03T10:00:00Z')).toBe('Tue, 03 Jun 2025 10:00:00 GMT');
    expect(toRfc822('2025-06-03T12:00:00+02:00')).toBe('Tue, 03 Jun 2025 10:00:00 GMT');
  });

  it('formats RFC 3339 in UTC, keeping milliseconds only when present', () => {
    expect(toRfc3339('2025-06-03T10:00:00Z')).toBe('2025-06-03T10:00:00Z');
    expect(toRfc3339('2025-06-03T10:00:00.250Z')).toBe('2025-06-03T10:00:00.250Z');
    expect(toRfc3339('2025-06-03T23:30:00-01:00')).toBe('2025-06-04T00:30:00Z');
  });

  it('reads a date-time without offset as UTC, not local time', () => {
    expect(toRfc3339('2025-06-03T10:00:00')).toBe('2025-06-03T10:00:00Z');
    expect(toRfc3339('2025-06-03')).toBe('2025-06-03T00:00:00Z');
  });

  it('gives the UTC calendar day', () => {
    expect(toIsoDay('2025-06-03T23:30:00-01:00')).toBe('2025-06-04');
  });

  it('names the bad input', () => {
    expect(() => toRfc822('hier')).toThrow(/"hier"/);
  });

  it('picks the later date', () => {
    expect(laterOf('2025-01-02T00:00:00Z', '2025-01-01T00:00:00Z')).toBe('2025-01-02T00:00:00Z');
    expect(laterOf('2025-01-01T00:00:00Z', '2025-01-02T00:00:00Z')).toBe('2025-01-02T00:00:00Z');
  });
});
