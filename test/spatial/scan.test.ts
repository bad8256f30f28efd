import { describe, expect, it } from 'vitest';
import { gridDisk, latLngToCell } from 'h3-js';
import { h3Neighbours } from '../../src/spatial/gistar.js';
import { nullUpper, SCAN_BINS, scanLayer, scanLlr, type ScanResult } from '../../src/spatial/scan.js';
import { cityMaxima, cityVerdict } from '../../src/spatial/scan-hotspots.js';
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

describe('city-wide level', () => {
  const sparse = (i: number) => (i % 7 === 0 ? 0.3 : 0.05);
  /** One night of `layers` layers without space-time interaction (half dense, half sparse), seeded by night. */
  const night = (n: number, layers: number) =>
    new Map(
      Array.from({ length: layers }, (_, k) => [
        `layer${k}`,
        scanLayer(layer(k % 2 ? sparse : rate, 1000 * n + k), nb, { ...opts, reps: 49, seed: 31 * n + k }),
      ]),
    );

  it("takes each replica's maximum over every layer", () => {
    const a = { nullMax: Float64Array.of(1, 5, 0) } as ScanResult;
    const b = { nullMax: Float64Array.of(3, 2, 0) } as ScanResult;
    expect(Array.from(cityMaxima([a, b]))).toEqual([3, 5, 0]);
  });

  it('raises a false hotspot on about one night in scanRecurrenceDays, however many layers it scans', () => {
    const nights = 30;
    let cityNights = 0;
    let layerNights = 0;
    for (let n = 0; n < nights; n++) {
      const scans = night(n, 8);
      const v = cityVerdict(scans, 10);
      if ([...v.above.values()].some((a) => a.some((x) => x === 1))) cityNights++;
      // the rule before: each layer at its own p ≤ 1/10, so 8 layers alarm on most nights
      if ([...scans.values()].some((s) => s.p.some((p, i) => s.llr[i] > 0 && p <= 0.1))) layerNights++;
    }
    // 3 of 30 nights expected; more than 8 (binomial tail < 1 %) means the city-wide level is not family-wise
    expect(cityNights).toBeLessThanOrEqual(8);
    expect(layerNights).toBeGreaterThan(2 * cityNights);
  });

  it('still gives 6 extra orders in one quiet cell of a sparse layer a tiny city-wide p', () => {
    const scans = night(99, 8);
    const x = layer(sparse, 7);
    const quiet = cells.findIndex((_, i) => sparse(i) === 0.05 && i > 20);
    x[quiet * SCAN_BINS + 0] += 6;
    scans.set('planted', scanLayer(x, nb, { ...opts, reps: 49, seed: 5 }));
    const v = cityVerdict(scans, 100);
    expect(v.cityP.get('planted')![quiet]).toBeLessThan(0.01);
    expect(v.above.get('planted')![quiet]).toBe(1);
    // its p within its own layer is no larger than the city-wide one: the city is the bigger family
    expect(scans.get('planted')!.p[quiet]).toBeLessThanOrEqual(v.cityP.get('planted')![quiet]);
  });
});
