import { fitGumbel, gumbelUpper } from '../stats/gumbel.js';
import { mulberry32, poissonDraw } from '../stats/random.js';
import type { Neighbours } from './gistar.js';

/** Weeks a cylinder can reach back from as-of (1 … SCAN_WEEKS), and the bins of a layer's counts. */
export const SCAN_WEEKS = 4;
/** Bins per cell: the last week (0), the week before (1), … (SCAN_WEEKS − 1), then the rest of the study period. */
export const SCAN_BINS = SCAN_WEEKS + 1;

export interface ScanOptions {
  /** Monte Carlo replicas per layer; their maxima calibrate a Gumbel tail (as SaTScan's Gumbel p-values). */
  reps: number;
  seed: number;
  /** A cylinder needs at least this many orders in its window. */
  minCount: number;
}

/** The strongest cylinder centred on each cell of one layer. */
export interface ScanResult {
  /** Log-likelihood ratio of the cell's strongest cylinder (0: none above its expected count). */
  llr: Float64Array;
  /** Its length in weeks (0 when llr is 0). */
  weeks: Int8Array;
  /** 1 when the cylinder is the cell with its ring of neighbours, 0 when it is the cell alone. */
  ring: Uint8Array;
  /** The cylinder's orders and what the cell's (or cells') usual share of the window's city total predicts. */
  observed: Float64Array;
  expected: Float64Array;
  /** Gumbel-calibrated p-value of the cell's llr against the layer's maximum under no space-time interaction. */
  p: Float64Array;
  /** Each cell's orders in the last SCAN_WEEKS weeks. */
  recent: Float64Array;
  /** The maxima of the replicas (for tests and the docs' calibration check). */
  nullMax: Float64Array;
}

/** Poisson generalised likelihood ratio of c observed against μ expected out of C (Kulldorff 2005, eq. 3). */
export function scanLlr(c: number, mu: number, total: number): number {
  if (!(c > mu) || !(mu > 0)) return 0;
  const rest = total - c;
  const restMu = total - mu;
  return c * Math.log(c / mu) + (rest > 0 && restMu > 0 ? rest * Math.log(rest / restMu) : 0);
}

interface Margins {
  /** Orders of each cell over the whole study period. */
  cellTotal: Float64Array;
  /** City orders in the first w weeks (w = 1 … SCAN_WEEKS) before as-of, cumulated. */
  weekCum: Float64Array;
  total: number;
  /** Orders of each cell's ring zone (the cell and its neighbours) over the study period; the same in every replica. */
  zoneTotal: Float64Array;
}

function margins(counts: Float64Array, nb: Neighbours): Margins {
  const n = nb.offsets.length - 1;
  const cellTotal = new Float64Array(n);
  const week = new Float64Array(SCAN_WEEKS);
  let total = 0;
  for (let i = 0; i < n; i++) {
    for (let b = 0; b < SCAN_BINS; b++) {
      const v = counts[i * SCAN_BINS + b];
      cellTotal[i] += v;
      if (b < SCAN_WEEKS) week[b] += v;
    }
    total += cellTotal[i];
  }
  const weekCum = new Float64Array(SCAN_WEEKS);
  for (let w = 0; w < SCAN_WEEKS; w++) weekCum[w] = (w ? weekCum[w - 1] : 0) + week[w];
  const zoneTotal = new Float64Array(n);
  for (let i = 0; i < n; i++)
    for (let k = nb.offsets[i]; k < nb.offsets[i + 1]; k++) zoneTotal[i] += cellTotal[nb.nbrs[k]];
  return { cellTotal, weekCum, total, zoneTotal };
}

interface Best {
  llr: number;
  weeks: number;
  ring: number;
  observed: number;
  expected: number;
}

/**
 * The strongest cylinder centred on cell i: the cell alone or with its ring, over the last 1 … SCAN_WEEKS weeks.
 * Expected = the zone's share of the study period's orders × the window's city total, so a busy cell at its usual
 * level expects as much as it gets. The centre must itself be above its own expected count in that window, and the
 * ring cylinder counts only when the centre holds the largest excess of its ring: a cell beside a real cluster would
 * otherwise borrow its neighbour's heat and send a grid worker to the wrong place (the halo Gi* has too).
 */
function bestCylinder(i: number, windowCum: Float64Array, m: Margins, nb: Neighbours, minCount: number): Best {
  const best: Best = { llr: 0, weeks: 0, ring: 0, observed: 0, expected: 0 };
  const a = nb.offsets[i];
  const b = nb.offsets[i + 1];
  for (let w = 0; w < SCAN_WEEKS; w++) {
    const share = m.weekCum[w] / m.total;
    const own = windowCum[i * SCAN_WEEKS + w];
    const ownExcess = own - m.cellTotal[i] * share;
    if (!(ownExcess > 0)) continue;
    let zone = 0;
    let peak = true;
    for (let k = a; k < b; k++) {
      const j = nb.nbrs[k];
      const c = windowCum[j * SCAN_WEEKS + w];
      zone += c;
      if (c - m.cellTotal[j] * share > ownExcess) peak = false;
    }
    // the cell alone, then (when it is the peak) with its ring; no arrays here: this runs reps × cells × weeks times
    for (let ring = 0; ring < (peak ? 2 : 1); ring++) {
      const c = ring ? zone : own;
      const mu = ring ? m.zoneTotal[i] * share : own - ownExcess;
      if (c < minCount) continue;
      const llr = scanLlr(c, mu, m.total);
      if (llr > best.llr) {
        best.llr = llr;
        best.weeks = w + 1;
        best.ring = ring;
        best.observed = c;
        best.expected = mu;
      }
    }
  }
  return best;
}

/** Window counts cumulated over weeks: out[i × SCAN_WEEKS + w] = cell i's orders in the last w + 1 weeks. */
function cumulate(weekly: (i: number, b: number) => number, n: number): Float64Array {
  const out = new Float64Array(n * SCAN_WEEKS);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let w = 0; w < SCAN_WEEKS; w++) out[i * SCAN_WEEKS + w] = s += weekly(i, w);
  }
  return out;
}

/**
 * P(the maximum under the null ≥ x), fitted once to the replicas' maxima. In a sparse layer many replicas have no
 * cylinder at all (maximum 0), and a Gumbel fitted through that spike has a tail far too heavy: a cell of 4 orders where
 * 0.1 were expected read p ≈ 0.05 though no replica came near it. So the tail is the share of replicas with any
 * cylinder times a Gumbel fitted to those. With fewer than 3 of them (or no spread among them) there is no tail to fit:
 * the replicas' own share (1 + #{max ≥ x}) / (reps + 1).
 */
export function nullTail(maxima: ArrayLike<number>): (x: number) => number {
  const all = Array.from(maxima);
  const positive = all.filter((v) => v > 0);
  const g = fitGumbel(positive);
  if (positive.length < 3 || !(g.beta > 0))
    return (x) => (x > 0 ? (1 + all.filter((v) => v >= x).length) / (all.length + 1) : 1);
  const share = positive.length / all.length;
  // never 0: a p-value of 0 would claim a certainty no finite number of replicas gives
  return (x) => (x > 0 ? Math.max(share * gumbelUpper(x, g), Number.MIN_VALUE) : 1);
}

/** nullTail for one value. */
export function nullUpper(x: number, maxima: ArrayLike<number>): number {
  return nullTail(maxima)(x);
}

/**
 * Prospective space-time permutation scan statistic (Kulldorff et al. 2005, as SaTScan runs it for daily
 * surveillance) over one layer. counts[i × SCAN_BINS + b] holds cell i's orders in bin b (weeks back from as-of, the
 * last bin the rest of the study period). No population is needed: a cylinder's expected count is its cells' share of
 * the study period's orders times the window's city total, so a cell is flagged only above its own usual level, and
 * a city-wide rise of the category (the season, a campaign) raises every cell's expectation alike.
 *
 * Significance: the layer's maximum llr under the null of no space-time interaction, simulated `reps` times with every
 * cell-window count Poisson around its expectation (the permutation null's counts when the window is a small part of
 * the study period), and a Gumbel tail fitted to those maxima gives each cell's p-value within its layer, as SaTScan's
 * Gumbel option does: smaller p-values than the replicas alone can resolve, at the cost of the fit. The stage's verdict
 * is city-wide: the layers' maxima (nullMax) are pooled over every layer first (cityVerdict in scan-hotspots.ts).
 */
export function scanLayer(counts: Float64Array, nb: Neighbours, opts: ScanOptions): ScanResult {
  const n = nb.offsets.length - 1;
  const m = margins(counts, nb);
  const res: ScanResult = {
    llr: new Float64Array(n),
    weeks: new Int8Array(n),
    ring: new Uint8Array(n),
    observed: new Float64Array(n),
    expected: new Float64Array(n),
    p: new Float64Array(n).fill(1),
    nullMax: new Float64Array(opts.reps),
    recent: new Float64Array(n),
  };
  if (!(m.total > 0) || !(m.weekCum[SCAN_WEEKS - 1] > 0)) return res;
  const observed = cumulate((i, w) => counts[i * SCAN_BINS + w], n);
  for (let i = 0; i < n; i++) res.recent[i] = observed[i * SCAN_WEEKS + SCAN_WEEKS - 1];
  for (let i = 0; i < n; i++) {
    const b = bestCylinder(i, observed, m, nb, opts.minCount);
    res.llr[i] = b.llr;
    res.weeks[i] = b.weeks;
    res.ring[i] = b.ring;
    res.observed[i] = b.observed;
    res.expected[i] = b.expected;
  }
  const rand = mulberry32(opts.seed);
  const week = Float64Array.from({ length: SCAN_WEEKS }, (_, w) => m.weekCum[w] - (w ? m.weekCum[w - 1] : 0));
  const sim = new Float64Array(n * SCAN_WEEKS);
  for (let r = 0; r < opts.reps; r++) {
    for (let i = 0; i < n; i++)
      for (let w = 0; w < SCAN_WEEKS; w++)
        sim[i * SCAN_WEEKS + w] = poissonDraw((m.cellTotal[i] * week[w]) / m.total, rand);
    const cum = cumulate((i, w) => sim[i * SCAN_WEEKS + w], n);
    let max = 0;
    for (let i = 0; i < n; i++) max = Math.max(max, bestCylinder(i, cum, m, nb, opts.minCount).llr);
    res.nullMax[r] = max;
  }
  const tail = nullTail(res.nullMax);
  for (let i = 0; i < n; i++) res.p[i] = tail(res.llr[i]);
  return res;
}
