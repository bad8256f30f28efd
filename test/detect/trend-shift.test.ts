import { describe, expect, it } from 'vitest';
import { trendTest, TREND_RAMP, TREND_SHIFT } from '../../src/detect/kinds.js';
import type { Baseline } from '../../src/detect/baseline.js';
import type { Frame, Series } from '../../src/detect/series.js';
import { detectConfig } from '../../src/detect/config.js';
import { configFrom } from '../../src/store/config.js';
import { betaI, estimatedDispersionP, poissonUpper, studentUpper } from '../../src/detect/stats.js';

const cfg = detectConfig(configFrom({}));

/** A series whose last weeks are `recent` (newest first) over a flat expectation of `mu` a week. */
function setup(recent: number[], mu: number) {
  const y = new Float64Array(200).fill(mu);
  recent.forEach((v, i) => (y[i] = v));
  const s = {
    key: 'k',
    category: 'a/b/c',
    level: 3,
    cat1: 'a',
    scopeLevel: 'district',
    scopeName: 'd',
    district: 'd',
    y,
  } as Series;
  const frame = {
    asOf: '2025-10-06',
    week0: '2025-09-29',
    total: new Float64Array(200).fill(1000),
    maxW: 199,
    yearLags: [52, 104, 156],
    series: [s],
    missing: new Uint8Array(200),
    exposure: new Map(),
  } as Frame;
  const b: Baseline[] = Array.from({ length: 12 }, () => ({
    mu,
    phi: 1,
    phiDf: 20,
    base: 21 * mu,
    seasonal: true,
    points: 21,
  }));
  return trendTest(s, frame, b, cfg)!;
}

describe('the trend test in two forms', () => {
  it('calls a rise that began 3 weeks ago a shift, surer than the 8-week ramp would be', () => {
    // +60 % for the last 3 weeks on 30 a week: the ramp spreads its weight over the 5 quiet weeks before
    const r = setup([48, 48, 48, 30, 30, 30, 30, 30], 30);
    expect(r.extra.form).toBe(TREND_SHIFT);
    expect(r.extra.shift_weeks).toBe(3);
    expect(r.extra.shift_ratio).toBeCloseTo(1.6, 5);
    expect(r.p).toBeLessThan(1e-3);
  });

  it('keeps the ramp for a rise growing week by week over all 8 weeks', () => {
    const r = setup([58, 52, 47, 42, 38, 35, 32, 31], 30);
    expect(r.extra.form).toBe(TREND_RAMP);
    expect(r.p).toBeLessThan(1e-6);
  });

  it('pays for looking at 7 onsets and 2 forms: a flat series is nowhere near significant', () => {
    const r = setup([31, 30, 29, 30, 31, 30, 29, 30], 30);
    expect(r.p).toBeGreaterThan(0.1);
  });

  it('does not call one high week a shift: both newest weeks must be above expected', () => {
    const r = setup([60, 28, 30, 30, 30, 30, 30, 30], 30);
    expect(r.extra.form).toBe(TREND_RAMP);
  });
});

describe('p-values with an estimated dispersion', () => {
  it('Student t and the incomplete beta match their tables', () => {
    expect(studentUpper(2.086, 20)).toBeCloseTo(0.025, 4);
    expect(studentUpper(3.552, 40)).toBeCloseTo(0.0005, 5);
    expect(betaI(0.5, 2, 3)).toBeCloseTo(0.6875, 10);
  });

  it('a dispersion from 21 points widens a 1e-4 tail; a known one leaves it', () => {
    expect(estimatedDispersionP(1e-4, 20)).toBeGreaterThan(5e-4);
    expect(estimatedDispersionP(1e-4, 20)).toBeLessThan(2e-3);
    expect(estimatedDispersionP(1e-4, Infinity)).toBe(1e-4);
    expect(estimatedDispersionP(0.7, 20)).toBe(0.7);
    expect(poissonUpper(5, 5)).toBeGreaterThan(0.5);
  });
});
