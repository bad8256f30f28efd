/**
 * Which candidates, and which combinations of them, win on the real series (BENCH_SERIES_DIR, as bench:forecast):
 * every candidate of src/forecast/models.ts at the same origins as the real bench, alone and as the mean or median
 * of subsets, pooled MASE per source beside R's anchors (from bench:forecast's cache; run it first).
 * `node --import tsx bench/forecast-combos.ts`.
 */
import { configFrom } from '../src/store/config.js';
import { modelContext } from '../src/forecast/engine.js';
import { dayStr } from '../src/forecast/features.js';
import { candidateForecasts, forecastSeries, type ModelName } from '../src/forecast/models.js';
import { seasonalNaiveScale } from '../src/forecast/backtest.js';
import { realOrigins, realSeries, rForecasts } from './forecast-real.js';

const H = 8;
const dir = process.env.BENCH_SERIES_DIR;
if (!dir) {
  console.log('forecast-combos: set BENCH_SERIES_DIR to a folder of weekly*.csv series (see /work/realdata/README.md)');
  process.exit(0);
}
const series = realSeries(dir);
const origins = realOrigins(series);
const extra = JSON.parse(process.env.BENCH_REAL_FORECAST ?? '{}') as Record<string, unknown>;
const ctx = modelContext(configFrom({ forecast: { calendar: 'none', ...extra } }));
const rf = rForecasts(series, origins);

interface Pt {
  source: string;
  key: string;
  h: number;
  actual: number;
  scale: number;
  f: Record<string, number>;
}
const pts: Pt[] = [];
const t0 = performance.now();
const withWeisu = !process.env.COMBOS_NO_WEISU;
for (const s of series) {
  for (const o of origins.get(s.key)!) {
    const n = (o - s.start) / 7;
    const seen = { start: s.start, y: s.y.slice(0, n) };
    const c = candidateForecasts(seen, H, ctx) as Record<string, number[]>;
    const w = withWeisu ? forecastSeries(seen, H, ctx).points.map((p) => p.yhat) : null;
    const scale = seasonalNaiveScale(seen.y);
    if (!(scale > 0)) continue;
    for (let h = 1; h <= H; h++) {
      const f: Record<string, number> = {};
      // weisu's own ETS is 'ets_weisu' here: 'ets' is R's anchor
      for (const [m, v] of Object.entries(c)) f[m === 'ets' ? 'ets_weisu' : m] = v[h - 1];
      if (w) f.weisu = w[h - 1];
      f.naive = seen.y[n - 1];
      Object.assign(f, rf.get(`${s.key}|${dayStr(o)}|${h}`) ?? {});
      pts.push({ source: s.source, key: s.key, h, actual: s.y[n + h - 1], scale, f });
    }
  }
}
console.log(`combos: ${pts.length / H} forecasts in ${((performance.now() - t0) / 1000).toFixed(1)}s`);

const models = (process.env.COMBOS_MODELS ??
  'direct,ets_weisu,damped,theta,seasonal_damped,seasonal_index,snaive,glm,mean') as string;
const base = models.split(',') as ModelName[];
const combos: Array<[string, (f: Record<string, number>) => number]> = [];
for (const m of [...base, 'weisu', 'ets', 'stlf', 'prophet']) combos.push([m, (f) => f[m]]);
const med = (a: number[]) => {
  const b = [...a].sort((x, y) => x - y);
  return b.length % 2 ? b[(b.length - 1) / 2] : (b[b.length / 2 - 1] + b[b.length / 2]) / 2;
};
const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
// every subset of 2–5 of the base models, as mean and median
const subsets: string[][] = [];
const rec = (i: number, cur: string[]) => {
  if (cur.length >= 2 && cur.length <= 5) subsets.push([...cur]);
  if (i >= base.length || cur.length === 5) return;
  for (let j = i; j < base.length; j++) rec(j + 1, [...cur, base[j]]);
};
rec(0, []);
for (const sub of subsets) {
  combos.push([`mean(${sub.join('+')})`, (f) => mean(sub.map((m) => f[m]))]);
  if (sub.length >= 3) combos.push([`median(${sub.join('+')})`, (f) => med(sub.map((m) => f[m]))]);
}

const sources = [...new Set(pts.map((p) => p.source))];
const ok = pts.filter((p) => ['ets', 'stlf', 'prophet', ...base].every((m) => Number.isFinite(p.f[m])));
console.log(`combos: ${ok.length} of ${pts.length} points have every model`);
function score(fn: (f: Record<string, number>) => number, hh: number, src?: string): number {
  const rs = ok.filter((p) => p.h <= hh && (!src || p.source === src));
  return mean(rs.map((p) => Math.abs(p.actual - Math.max(0, fn(p.f))) / p.scale));
}
// the best anchor per source and horizon: R's ets, stlf, prophet and the seasonal naive
const anchors = ['ets', 'stlf', 'prophet', 'snaive'];
// mean over sources of the ratio to that source's best anchor: each source weighs the same
const rel = (fn: (f: Record<string, number>) => number, hh: number) =>
  mean(sources.map((src) => score(fn, hh, src) / Math.min(...anchors.map((a) => score((f) => f[a], hh, src)))));
const rows = combos.map(([name, fn]) => ({
  name,
  all4: score(fn, 4),
  all8: score(fn, 8),
  rel4: rel(fn, 4),
  rel8: rel(fn, 8),
}));
rows.sort((a, b) => a.rel4 + a.rel8 - (b.rel4 + b.rel8));
const show = (r: (typeof rows)[number]) =>
  `${r.name.padEnd(70)} h1-4 ${r.all4.toFixed(3)} (×${r.rel4.toFixed(3)})  h1-8 ${r.all8.toFixed(3)} (×${r.rel8.toFixed(3)})`;
console.log('best 25 (×: mean over sources of MASE / that source’s best anchor):');
for (const r of rows.slice(0, 25)) console.log('  ' + show(r));
console.log('single models and anchors:');
for (const r of rows.filter((x) => !x.name.includes('('))) console.log('  ' + show(r));
if (process.env.COMBOS_BY_SOURCE)
  for (const src of sources) {
    const best = anchors.map(
      (a) => `${a} ${score((f) => f[a], 4, src).toFixed(3)}/${score((f) => f[a], 8, src).toFixed(3)}`,
    );
    const by = combos
      .map(([name, fn]) => ({
        name,
        v: score(fn, 4, src) + score(fn, 8, src),
        a: score(fn, 4, src),
        b: score(fn, 8, src),
      }))
      .sort((x, y) => x.v - y.v)
      .slice(0, 5);
    console.log(
      `${src} anchors ${best.join(', ')}; best: ${by.map((x) => `${x.name} ${x.a.toFixed(3)}/${x.b.toFixed(3)}`).join('; ')}`,
    );
  }
for (const src of sources) {
  const line = ['weisu', ...anchors, rows[0].name]
    .map((m) => {
      const fn = combos.find((c) => c[0] === m)![1];
      return `${m.length > 20 ? 'best combo' : m} ${score(fn, 4, src).toFixed(3)}/${score(fn, 8, src).toFixed(3)}`;
    })
    .join(', ');
  console.log(`${src}: ${line}`);
}
