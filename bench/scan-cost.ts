/**
 * What the scan costs: user CPU per layer of `scanLayer` (2,611 cells = an H3 disk of radius 29, 99 replicas, a layer
 * of busy and quiet cells over 52 weeks), median of 12 layers, and the CPU of the city-wide verdict (`cityVerdict`:
 * the replicas' maxima over every layer, one Gumbel fit, each cell's city-wide p) over 64 such layers.
 *
 *   npx tsx bench/scan-cost.ts [--layers 12] [--reps 99]
 */
import { gridDisk, latLngToCell } from 'h3-js';
import { h3Neighbours } from '../src/spatial/gistar.js';
import { cityVerdict } from '../src/spatial/scan-hotspots.js';
import { SCAN_BINS, scanLayer, type ScanResult } from '../src/spatial/scan.js';
import { mulberry32, poissonDraw } from '../src/stats/random.js';

const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const layers = Number(opt('layers', '12'));
const reps = Number(opt('reps', '99'));
const cells = gridDisk(latLngToCell(39.9, 116.4, 8), 29);
const nb = h3Neighbours(cells);
const rate = (i: number) => (i % 5 === 0 ? 12 : i % 3 === 0 ? 3 : 0.4);

const ms: number[] = [];
const scans = new Map<string, ScanResult>();
for (let k = 0; k < layers; k++) {
  const rand = mulberry32(100 + k);
  const x = new Float64Array(cells.length * SCAN_BINS);
  for (let i = 0; i < cells.length; i++)
    for (let week = 0; week < 52; week++)
      x[i * SCAN_BINS + Math.min(week, SCAN_BINS - 1)] += poissonDraw(rate(i), rand);
  const t = process.cpuUsage();
  scans.set(`layer${k}`, scanLayer(x, nb, { reps, seed: k, minCount: 4 }));
  ms.push(process.cpuUsage(t).user / 1000);
}
// 64 layers for the verdict: the scanned ones repeated (the verdict's cost does not depend on their values)
const city = new Map<string, ScanResult>();
for (let k = 0; k < 64; k++) city.set(`city${k}`, scans.get(`layer${k % layers}`)!);
const t = process.cpuUsage();
const v = cityVerdict(city, 14);
const verdictMs = process.cpuUsage(t).user / 1000;
ms.sort((a, b) => a - b);
console.log(
  JSON.stringify({
    cells: cells.length,
    reps,
    layer_cpu_ms_median: Number(ms[Math.floor(ms.length / 2)].toFixed(1)),
    layer_cpu_ms: ms.map((m) => Number(m.toFixed(1))),
    verdict_64_layers_cpu_ms: Number(verdictMs.toFixed(1)),
    above_usual: [...v.above.values()].reduce((a, s) => a + s.reduce((b, x) => b + x, 0), 0),
  }),
);
