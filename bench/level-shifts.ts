/**
 * npm run bench:shifts — what the forecast's level-shift rule does on a store with planted truth (docs/forecast.md,
 * "Level shifts"). At every weekly origin each series is forecast as the stage would have on that Monday; where
 * the rule fires, the series is forecast again with the rule off and both are scored on the weeks that followed
 * (mean absolute error over up to 8 weeks). Firings are classed by the generator's truth: on a planted event's
 * category (or its 大类) and scope while the event ran, or on no planted cause.
 *
 * Env: BENCH_DB (a demo store, e.g. the one `npm run demo` prints; read-only), BENCH_TRUTH (its truth.json),
 * BENCH_SCOPE (city | district, default district), BENCH_FROM / BENCH_TO (origins, default 2025-06-02 … 2026-11-23),
 * BENCH_CONFIG (default data/demo-city/weisu.config.json). A district run over the default span takes ~15 minutes.
 */
import { readFileSync } from 'node:fs';
import { Store } from '../src/store/db.js';
import { loadConfig } from '../src/store/config.js';
import { loadAllSeries } from '../src/forecast/backtest.js';
import { forecastSeries } from '../src/forecast/models.js';
import { modelContext, truncateSeries } from '../src/forecast/engine.js';
import { forecastConfig } from '../src/forecast/config.js';
import { dayNum, dayStr } from '../src/forecast/features.js';
import type { Truth } from '../src/synth/truth.js';

const env = (k: string, d: string) => process.env[k] ?? d;
const db = process.env.BENCH_DB;
const truthFile = process.env.BENCH_TRUTH;
if (!db || !truthFile) {
  console.error('set BENCH_DB (a demo store) and BENCH_TRUTH (its truth.json)');
  process.exit(2);
}
const scope = env('BENCH_SCOPE', 'district');
const config = loadConfig(env('BENCH_CONFIG', 'data/demo-city/weisu.config.json'));
const truth = JSON.parse(readFileSync(truthFile, 'utf8')) as Truth;
const store = await Store.open(db, { readOnly: true });
const city = truth.city;
const { series } = await loadAllSeries(store, city);
// street → district, for events planted in one street
const streets = new Map(
  (
    await store.all<{ street: string; district: string }>(
      'SELECT street, any_value(district) AS district FROM orders WHERE street IS NOT NULL GROUP BY street',
    )
  ).map((r) => [r.street, r.district]),
);
store.close();

const off = modelContext(config, { levelShiftWeeks: 0 });
const minWeekly = forecastConfig(config).levelShiftMinWeekly;
const loose = modelContext(config, { levelShiftMinWeekly: 0 });
const H = 8;
const full = new Map(series.map((s) => [`${s.scopeLevel}|${s.scopeName}|${s.category}`, s]));

/** The planted event behind a firing, if any: same category or its 大类, same place, while it ran (to 8 weeks after). */
function plantedCause(scopeName: string, category: string, origin: number): string | null {
  for (const e of truth.events) {
    if (!(e.category === category || e.category.startsWith(category + '/'))) continue;
    if (origin < dayNum(e.start) || origin > dayNum(e.end) + 56) continue;
    const where =
      e.scope.level === 'city' ? city : e.scope.level === 'district' ? e.scope.name : (streets.get(e.scope.name) ?? '');
    if (scope === 'city' ? true : e.scope.level === 'city' || where === scopeName) return e.id;
  }
  return null;
}

interface Firing {
  origin: string;
  scope: string;
  category: string;
  factor: number;
  weekly: number;
  cause: string | null;
  kept: boolean;
  errOn: number;
  errOff: number;
}
const firings: Firing[] = [];
let seriesOrigins = 0;
const t0 = performance.now();
for (let o = dayNum(env('BENCH_FROM', '2025-06-02')); o <= dayNum(env('BENCH_TO', '2026-11-23')); o += 7) {
  for (const s of truncateSeries(series, o)) {
    if (s.scopeLevel !== scope) continue;
    seriesOrigins++;
    // fired without the volume rule, so one pass shows what the rule removes (`kept` below)
    const f = forecastSeries(s, H, loose);
    if (!f.levelShift) continue;
    const g = forecastSeries(s, H, off);
    const y = full.get(`${s.scopeLevel}|${s.scopeName}|${s.category}`)!.y;
    const n = s.y.length;
    let eOn = 0,
      eOff = 0,
      m = 0;
    for (let h = 0; h < H && n + h < y.length; h++, m++) {
      eOn += Math.abs(f.points[h].yhat - y[n + h]);
      eOff += Math.abs(g.points[h].yhat - y[n + h]);
    }
    if (!m) continue;
    const k = f.levelShift.weeks;
    const actual = s.y.slice(-k).reduce((a, b) => a + b, 0);
    const expected = (actual + 1) / f.levelShift.factor - 1;
    const weekly = Math.max(actual, expected) / k;
    // the volume rule is all that differs from the configured settings: it keeps the shift exactly when this holds
    const kept = weekly >= minWeekly;
    firings.push({
      origin: dayStr(o),
      scope: s.scopeName,
      category: s.category,
      factor: f.levelShift.factor,
      weekly,
      cause: plantedCause(s.scopeName, s.category, o),
      kept,
      errOn: eOn / m,
      errOff: eOff / m,
    });
  }
}
const secs = (performance.now() - t0) / 1000;

for (const f of firings) {
  console.log(
    `${f.origin}  ${f.scope.padEnd(6)} ${f.category.padEnd(14)} ×${f.factor.toFixed(2).padEnd(5)} ${f.weekly.toFixed(1).padStart(7)}/wk  ` +
      `${(f.cause ?? '—').padEnd(12)} ${f.kept ? '' : '(removed by volume rule) '}error ${f.errOn.toFixed(1)} with / ${f.errOff.toFixed(1)} without`,
  );
}
const sum = (xs: Firing[]) => ({
  n: xs.length,
  on: xs.reduce((a, f) => a + f.errOn, 0),
  off: xs.reduce((a, f) => a + f.errOff, 0),
  better: xs.filter((f) => f.errOn < f.errOff).length,
});
const line = (label: string, xs: Firing[]) => {
  const s = sum(xs);
  console.log(
    `${label.padEnd(34)} ${String(s.n).padStart(4)} firings  summed 8-week error ${s.on.toFixed(0)} with the shift / ${s.off.toFixed(0)} without  (better in ${s.better})`,
  );
};
console.log(`\n${scope} series, ${seriesOrigins.toLocaleString('en')} series-origins, ${secs.toFixed(0)} s`);
line(
  'planted cause',
  firings.filter((f) => f.cause),
);
line(
  'no planted cause',
  firings.filter((f) => !f.cause),
);
line(
  'removed by levelShiftMinWeekly',
  firings.filter((f) => !f.kept),
);
line(
  '  of them planted',
  firings.filter((f) => !f.kept && f.cause),
);
const chance = firings.filter((f) => !f.cause && f.kept).length;
console.log(
  `unplanted shifts kept: ${chance} = ${((1e4 * chance) / seriesOrigins).toFixed(1)} per 10,000 series-origins (2 × 0.1^4 = 2 under the model)`,
);
