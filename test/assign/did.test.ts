// The difference-in-differences pieces on hand-made series: the interval's floor and its percentages, and which
// controls are matched when the units carry their history.
import { describe, expect, it } from 'vitest';
import { differenceInDifferences, matchControls, type UnitSeries } from '../../src/assign/did.js';

const flat = (unit: string, level: number, weeks = 8, history?: number): UnitSeries => ({
  unit,
  pre: new Array<number>(weeks).fill(level),
  post: new Array<number>(weeks).fill(level),
  ...(history === undefined ? {} : { history: new Array<number>(26).fill(history) }),
});

describe('differenceInDifferences', () => {
  it('does not call a cell of a few orders significant because it had none after the action', () => {
    // 3 orders in 8 weeks before, none in the 8 after: resampled weeks alone gave a narrow interval
    const treated: UnitSeries = { unit: 'T', pre: [1, 0, 0, 1, 0, 0, 1, 0], post: [0, 0, 0, 0, 0, 0, 0, 0] };
    const controls = ['a', 'b', 'c', 'd'].map((u) => flat(u, 1));
    const r = differenceInDifferences([treated], controls, { bootstrap: 500, seed: 1 })!;
    expect(r.counterfactual).toBeCloseTo(3 / 8, 10);
    expect(r.pct).toBeCloseTo(-1, 10);
    // the Poisson floor: half-width ≥ 1.96 × sqrt(cf / 8 + cf² / (pre mean × 8))
    const floor = 1.96 * Math.sqrt(r.counterfactual / 8 + r.counterfactual ** 2 / ((3 / 8) * 8));
    expect(r.hi - r.effect).toBeGreaterThanOrEqual(floor - 1e-12);
    expect(r.lo < 0 && r.hi > 0).toBe(true);
  });

  it('gives percentages that never fall below −100% and exclude 0 exactly when the effect interval does', () => {
    for (const [pre, post] of [
      [
        [2, 1, 3, 0, 2, 1, 2, 1],
        [0, 0, 1, 0, 0, 0, 0, 0],
      ],
      [
        [9, 11, 10, 8, 12, 10, 9, 11],
        [4, 5, 6, 5, 4, 5, 6, 5],
      ],
      [
        [3, 4, 2, 3, 5, 3, 4, 3],
        [6, 8, 7, 9, 6, 7, 8, 7],
      ],
    ]) {
      const r = differenceInDifferences(
        [{ unit: 'T', pre, post }],
        ['a', 'b', 'c'].map((u) => flat(u, 5)),
        { bootstrap: 500, seed: 2 },
      )!;
      expect(r.pctLo!).toBeGreaterThanOrEqual(-1);
      expect(r.pctLo! <= r.pct! && r.pct! <= r.pctHi!).toBe(true);
      expect(r.pctLo! > 0 || r.pctHi! < 0).toBe(r.lo > 0 || r.hi < 0);
    }
  });
});

describe('matchControls', () => {
  const treated = flat('T', 6, 8, 6);
  // all at the treated unit's pre-period level; they differ in the half year before it
  const candidates = [flat('steady', 6, 8, 5.5), flat('spiked', 6, 8, 1), flat('far', 20, 8, 6)];

  it('matches on the weeks before the pre period as well when the units carry them', () => {
    // 'spiked' sits at the treated level only lately (chance, or a passing burst): it would fall back afterwards
    expect(matchControls([treated], candidates, 2, 20).map((u) => u.unit)).toEqual(['steady']);
  });

  it('matches on the pre period alone when the history is missing or too short', () => {
    const noHistory = { ...treated, history: undefined };
    expect(matchControls([noHistory], candidates, 2, 20).map((u) => u.unit)).toEqual(['spiked', 'steady']);
    const short = { ...treated, history: [6, 6, 6] };
    expect(matchControls([short], candidates, 2, 20).map((u) => u.unit)).toEqual(['spiked', 'steady']);
  });
});
