import { describe, expect, it } from 'vitest';
import { delayWeeks } from '../../src/detect/backtest.js';

describe('backtest delay', () => {
  it('counts weekly runs from the first full Monday–Sunday week of the event', () => {
    // 2026-01-10 is a Saturday: its first full week is Jan 12–18, seen by the run of Monday Jan 19
    expect(delayWeeks('2026-01-10', '2026-01-19')).toBe(1);
    expect(delayWeeks('2026-01-10', '2026-01-26')).toBe(2);
    // caught from the two days of its partial first week
    expect(delayWeeks('2026-01-10', '2026-01-12')).toBe(0);
    // a Monday start: the run a week later sees its first full week
    expect(delayWeeks('2026-01-12', '2026-01-19')).toBe(1);
    expect(delayWeeks('2026-01-12', '2026-02-02')).toBe(3);
    // a run on another weekday rounds up to whole weeks
    expect(delayWeeks('2026-01-12', '2026-01-21')).toBe(2);
  });
});
