/**
 * The scan's false alarms on layers without space-time interaction: for a dense and a sparse layer shape (127 H3
 * cells, 52 weeks of Poisson counts), the share of layers whose smallest cell p-value falls below α.
 *
 *   npx tsx bench/scan-calibration.ts [--layers 200]
 */
import { gridDisk, latLngToCell } from 'h3-js';
import { h3Neighbours } from '../src/spatial/gistar.js';
import { SCAN_BINS, scanLayer } from '../src/spatial/scan.js';
import { mulberry32, poissonDraw } from '../src/stats/random.js';

const i = process.argv.indexOf('--layers');
const layers = i >= 0 ? Number(process.argv[i + 1]) : 200;
const cells = gridDisk(latLngToCell(39.9, 116.4, 8), 6);
const nb = h3Neighbours(cells);

const shapes: Record<string, (c: number) => number> = {
  dense: (c) => (c % 5 === 0 ? 12 : c % 3 === 0 ? 3 : 0.4),
  sparse: (c) => (c % 7 === 0 ? 1 : c % 3 === 0 ? 0.2 : 0.03),
};
for (const [name, rate] of Object.entries(shapes)) {
  const alarms = { '0.05': 0, '0.01': 0, '0.001': 0 };
  for (let s = 0; s < layers; s++) {
    const rand = mulberry32(1000 + s);
    const x = new Float64Array(cells.length * SCAN_BINS);
    for (let c = 0; c < cells.length; c++)
      for (let w = 0; w < 52; w++) x[c * SCAN_BINS + Math.min(w, SCAN_BINS - 1)] += poissonDraw(rate(c), rand);
    const min = Math.min(...scanLayer(x, nb, { reps: 99, seed: s, minCount: 4 }).p);
    for (const a of Object.keys(alarms) as Array<keyof typeof alarms>) if (min < Number(a)) alarms[a]++;
  }
  console.log(name, JSON.stringify(Object.fromEntries(Object.entries(alarms).map(([a, n]) => [a, n / layers]))));
}
