import { describe, expect, it } from 'vitest';
import { reasonFor } from '../../src/detect/reason.js';
import { TREND_RAMP, TREND_SHIFT, type TestResult } from '../../src/detect/kinds.js';
import type { Series } from '../../src/detect/series.js';

const series: Series = {
  key: '2|园林/绿化|city|青禾县',
  category: '园林/绿化',
  level: 2,
  cat1: '园林',
  scopeLevel: 'city',
  scopeName: '青禾县',
  district: null,
  y: new Float64Array(1),
};
const result = (
  kind: 'mom' | 'yoy',
  observed: number,
  expected: number,
  extra: Record<string, number>,
): TestResult => ({
  kind,
  series,
  observed,
  expected,
  p: 1e-6,
  phi: 1,
  windowStart: '2025-02-17',
  windowEnd: '2025-03-16',
  seasonal: true,
  extra,
});

describe('alert reasons', () => {
  it('give counts, not a percentage, when the base is a few orders', () => {
    expect(reasonFor(result('mom', 55, 6.2, { previous: 1, seasonal_ratio: 1 }), '青禾县', undefined)).toBe(
      '青禾县「园林/绿化」近4周55件，前4周仅1件（季节调整后预期6.2件）',
    );
    expect(reasonFor(result('yoy', 40, 3.4, { last_year: 2, volume_growth: 1.12 }), '青禾县', undefined)).toBe(
      '青禾县「园林/绿化」近4周40件，去年同期仅2件（已扣除热线总量变化12%，预期3.4件）',
    );
  });

  it('give the percentage from a base of ten or more', () => {
    expect(reasonFor(result('mom', 60, 30, { previous: 28, seasonal_ratio: 1 }), '青禾县', undefined)).toBe(
      '青禾县「园林/绿化」近4周60件，环比上升114%（前4周28件），较季节调整后的预期30件高出100%',
    );
  });

  it('say what a spike is measured against, and give counts when it expected under ten', () => {
    const spike = (seasonal: boolean, expected: number): TestResult => ({
      kind: 'spike',
      series,
      observed: 33,
      expected,
      p: 1e-6,
      phi: 1,
      windowStart: '2025-03-10',
      windowEnd: '2025-03-16',
      seasonal,
      extra: { baseline_points: 12 },
    });
    expect(reasonFor(spike(false, 2.6), '青禾县', undefined)).toBe(
      '青禾县「园林/绿化」上周33件，按此前12周与总量应约2.6件（历史不足一年，未做季节调整）',
    );
    expect(reasonFor(spike(true, 15), '青禾县', undefined)).toBe(
      '青禾县「园林/绿化」上周33件，按往年同期与总量应约15件，高出120%',
    );
  });

  it("give a trend's own weeks and counts, and no percentage on an expectation under ten", () => {
    const trend = (extra: Record<string, number | string>): TestResult => ({
      ...result('mom', 27, 12.38, {}),
      kind: 'trend',
      extra: extra as Record<string, number>,
    });
    // the Konstanz case: 16 orders in the last 2 weeks against 2.6 expected, in an 8-week window of 27 against 12.4
    const small = { form: TREND_SHIFT, shift_weeks: 2, shift_ratio: 6.117, shift_observed: 16, shift_expected: 2.616 };
    expect(reasonFor(trend(small), '青禾县', undefined)).toBe(
      '青禾县「园林/绿化」近2周持续高于预期：16件，预期约2.6件',
    );
    const big = { form: TREND_SHIFT, shift_weeks: 3, shift_ratio: 1.5, shift_observed: 90, shift_expected: 60 };
    expect(reasonFor(trend(big), '青禾县', undefined)).toBe(
      '青禾县「园林/绿化」近3周持续高于预期：90件，预期约60件，高出50%',
    );
    const ramp = { form: TREND_RAMP, weeks_above: 5, recent_ratio: 1.4, recent_observed: 70, recent_expected: 50 };
    expect(reasonFor(trend(ramp), '青禾县', undefined)).toBe(
      '青禾县「园林/绿化」近8周持续爬升，其中5周高于预期：近4周70件，预期约50件，高出40%',
    );
  });
});
