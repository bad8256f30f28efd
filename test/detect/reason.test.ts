import { describe, expect, it } from 'vitest';
import { reasonFor } from '../../src/detect/reason.js';
import type { TestResult } from '../../src/detect/kinds.js';
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
});
