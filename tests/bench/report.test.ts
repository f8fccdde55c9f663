import { describe, expect, it } from 'vitest';
import { ms, passMark } from '../../bench/lib/report.ts';

describe('bench report', () => {
  it('says what each goal result is: a bound met or missed, a figure only reported, or nothing measured', () => {
    expect(passMark(true)).toBe('PASS');
    expect(passMark(false)).toBe('MISS');
    expect(passMark('reported')).toBe('reported');
    expect(passMark(null)).toBe('not measured');
  });

  it('formats durations in ms below ten seconds and in s above', () => {
    expect(ms(5.06)).toBe('5.1 ms');
    expect(ms(146.4)).toBe('146 ms');
    expect(ms(500_100)).toBe('500.1 s');
    expect(ms(Number.NaN)).toBe('—');
  });
});
