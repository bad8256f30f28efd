import { describe, expect, it } from 'vitest';
import { gridDisk, latLngToCell } from 'h3-js';
import { h3Neighbours } from '../../src/spatial/gistar.js';
import { nullUpper, SCAN_BINS, scanLayer, scanLlr } from '../../src/spatial/scan.js';
import { layerThreshold, scanLevel } from '../../src/spatial/scan-hotspots.js';
import { mulberry32, poissonDraw } from '../../src/stats/random.js';

const cells = gridDisk(latLngToCell(39.9, 116.4, 8), 6);
const nb = h3Neighbours(cells);

/** A layer of 52 weeks: cell i's weekly mean is rate[i] (busy cells and quiet ones), bins as scanLayer reads them. */
function layer(rate: (i: number) => number, seed: number): Float64Array {
  const rand = mulberry32(seed);
  const x = new Float64Array(cells.length * SCAN_BINS);
  for (let i = 0; i < cells.length; i++)
    for (let week = 0; week < 52; week++)
      x[i * SCAN_BINS + Math.min(week, SCAN_BINS - 1)] += poissonDraw(rate(i), rand);
  return x;
}

const rate = (i: number) => (i % 5 === 0 ? 12 : i % 3 === 0 ? 3 : 0.4);
const opts = { reps: 99, seed: 7, minCount: 4 };

describe('space-time permutation scan', () => {
  it('scores a cylinder by the Poisson likelihood ratio and nothing at or below its expectation', () => {
    expect(scanLlr(10, 2, 1000)).toBeCloseTo(10 * Math.log(5) + 990 * Math.log(990 / 998), 10);
    expect(scanLlr(2, 2, 1000)).toBe(0);
    expect(scanLlr(1, 3, 1000)).toBe(0);
  });

  it('finds 6 extra orders in one quiet cell within the week they came, and ignores busy cells at their usual level', () => {
    const x = layer(rate, 1);
    const quiet = cells.findIndex((_, i) => rate(i) === 0.4 && i > 20);
    x[quiet * SCAN_BINS + 0] += 6;
    const r = scanLayer(x, nb, opts);
    expect(r.p[quiet]).toBeLessThan(0.01);
    expect(r.weeks[quiet]).toBe(1);
    const busyFlagged = cells.filter((_, i) => rate(i) === 12 && r.p[i] < 0.05).length;
    expect(busyFlagged).toBeLessThanOrEqual(1);
  });

  it('flags a busy cell only when it rises above its own level (+60 % for 3 weeks)', () => {
    const x = layer(rate, 2);
    const busy = cells.findIndex((_, i) => rate(i) === 12 && i > 10);
    for (let w = 0; w < 3; w++) x[busy * SCAN_BINS + w] += 8;
    const r = scanLayer(x, nb, opts);
    expect(r.p[busy]).toBeLessThan(0.05);
    expect(r.weeks[busy]).toBeGreaterThanOrEqual(2);
  });

  it('keeps its false alarms near the nominal rate on layers without space-time interaction', () => {
    let alarms = 0;
    const layers = 40;
    for (let s = 0; s < layers; s++) {
      const r = scanLayer(layer(rate, 100 + s), nb, { ...opts, reps: 49, seed: s });
      if (Math.min(...r.p) < 0.05) alarms++;
    }
    // 5 % per layer expected: 2 of 40; more than 6 (binomial tail < 1 %) means a badly calibrated p-value
    expect(alarms).toBeLessThanOrEqual(6);
  });

  it('is reproducible with its seed', () => {
    const x = layer(rate, 3);
    expect(Array.from(scanLayer(x, nb, opts).p)).toEqual(Array.from(scanLayer(x, nb, opts).p));
  });
});

describe('null tail', () => {
  it('fits the tail to the replicas that had a cylinder, so a spike of empty replicas does not fatten it', () => {
    const rand = mulberry32(5);
    // 60 replicas without any cylinder, 39 with a maximum of about 8 ± 2
    const maxima = [...new Array<number>(60).fill(0), ...Array.from({ length: 39 }, () => 8 + 4 * (rand() - 0.5))];
    const p = nullUpper(15, maxima);
    expect(p).toBeLessThan(0.001);
    expect(p).toBeGreaterThan(0);
    // at the replicas' own level it is not small
    expect(nullUpper(8, maxima)).toBeGreaterThan(0.1);
    // two replicas with a cylinder: their own share, never below 1 / (reps + 1)
    expect(nullUpper(15, [...new Array<number>(97).fill(0), 5, 20])).toBeCloseTo(2 / 100, 12);
    expect(nullUpper(0, maxima)).toBe(1);
  });
});

describe('layer threshold', () => {
  it('is Benjamini–Hochberg over the layers, one test each', () => {
    // 4 layers at q = 0.05: critical values 0.0125, 0.025, 0.0375, 0.05; the 2nd smallest (0.02) is the last to pass
    expect(layerThreshold([0.02, 0.001, 0.5, 0.9], 0.05)).toBeCloseTo(0.025, 12);
    expect(layerThreshold([0.2, 0.3], 0.05)).toBe(0);
  });

  it('admits a layer whose cluster would recur by chance less than once in scanRecurrenceDays nightly runs', () => {
    // no layer passes Benjamini–Hochberg (0.004 > 0.05 / 60): the recurrence interval alone sets the level
    const quiet = [0.004, ...new Array<number>(59).fill(0.5)];
    expect(layerThreshold(quiet, 0.05)).toBe(0);
    expect(scanLevel(quiet, { q: 0.05, scanRecurrenceDays: 100 })).toBeCloseTo(0.01, 12);
    expect(scanLevel(quiet, { q: 0.05, scanRecurrenceDays: 365 })).toBeLessThan(0.004);
    // many layers signalling: Benjamini–Hochberg's level is the larger
    expect(scanLevel([0.001, 0.002, 0.02, 0.5], { q: 0.05, scanRecurrenceDays: 100 })).toBeCloseTo(0.0375, 12);
  });
});
