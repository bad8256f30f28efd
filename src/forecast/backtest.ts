import type { Store } from '../store/db.js';
import type { Config } from '../store/config.js';
import type { ForecastConfig } from './config.js';
import { addDays, weekStart } from '../store/dates.js';
import { sql } from '../store/sql.js';
import { forecastAll, modelContext, seasonalCategories, truncateSeries } from './engine.js';
import { dayNum, dayStr } from './features.js';
import { loadWeeklySeries, mondayOf, seriesKeyString as key, type KeyedSeries } from './series.js';

/** One forecast checked against what happened. */
export interface BacktestPoint {
  category: string;
  level: 1 | 2;
  scopeLevel: 'city' | 'district';
  scopeName: string;
  seasonal: boolean;
  origin: string;
  horizon: number;
  week: string;
  actual: number;
  yhat: number;
  lo: number;
  hi: number;
  /** 52-week seasonal naive: the same week a year before the target. */
  snaive: number;
  /** MASE denominator: in-sample mean absolute error of the 52-week seasonal naive up to the origin. */
  scale: number;
  model: string;
}

export interface BacktestOptions {
  from: string;
  to: string;
  horizons: number[];
  stepWeeks: number;
  /** Also score district series. */
  districts?: boolean;
  /** Settings the store decided (forecast/heating.ts), over the config's. */
  override?: Partial<ForecastConfig>;
  progress?: (done: number, total: number, label?: string) => void;
}

/** Mondays from `from` to `to` (inclusive), `step` weeks apart. */
export function originsBetween(from: string, to: string, step: number): string[] {
  const out: string[] = [];
  let d = dayNum(from);
  if (mondayOf(d) !== d) d = mondayOf(d) + 7;
  for (; d <= dayNum(to); d += 7 * step) out.push(dayStr(d));
  return out;
}

export function seasonalNaiveScale(y: number[]): number {
  let s = 0,
    n = 0;
  for (let i = 52; i < y.length; i++) {
    s += Math.abs(y[i] - y[i - 52]);
    n++;
  }
  return n ? s / n : NaN;
}

/** The complete weekly series of the whole store (for backtests: truncated per origin in memory). */
export async function loadAllSeries(store: Store, city: string): Promise<{ series: KeyedSeries[]; end: number }> {
  const span = await store.one<{ last_day: string | null }>(sql('forecast/data_span.sql'), { as_of: '9999-12-31' });
  if (!span?.last_day) return { series: [], end: 0 };
  const end = weekStart(addDays(span.last_day, 1));
  return { series: await loadWeeklySeries(store, end, city), end: dayNum(end) };
}

/**
 * Rolling-origin backtest: at each origin the forecaster sees only the weeks before it (exactly what the stage
 * would have seen on that Monday), and every requested horizon is scored against the weeks that followed.
 */
export function backtestSeries(
  all: KeyedSeries[],
  end: number,
  config: Config,
  opts: BacktestOptions,
): BacktestPoint[] {
  const ctx = modelContext(config, opts.override);
  const hmax = Math.max(...opts.horizons);
  const origins = originsBetween(opts.from, opts.to, opts.stepWeeks).filter(
    (o) => dayNum(o) + 7 * opts.horizons[0] <= end,
  );
  const full = new Map(all.map((s) => [key(s), s]));
  // "Seasonal" for scoring is decided once, on the whole history, so every origin is scored on the same set.
  const seasonal = seasonalCategories(all, ctx);
  const out: BacktestPoint[] = [];
  origins.forEach((origin, i) => {
    const o = dayNum(origin);
    const seen = truncateSeries(all, o);
    const forecasts = forecastAll(seen, hmax, ctx);
    for (const f of forecasts) {
      if (f.scopeLevel === 'district' && !opts.districts) continue;
      const s = full.get(key(f))!;
      const n = Math.floor((o - s.start) / 7);
      const scale = seasonalNaiveScale(s.y.slice(0, n));
      for (const h of opts.horizons) {
        const t = n + h - 1;
        if (t >= s.y.length || o + 7 * h > end) continue;
        const p = f.points[h - 1];
        out.push({
          category: f.category,
          level: f.level,
          scopeLevel: f.scopeLevel,
          scopeName: f.scopeName,
          seasonal: seasonal.has(`${f.level}\u0000${f.category}`),
          origin,
          horizon: h,
          week: dayStr(p.week),
          actual: s.y[t],
          yhat: p.yhat,
          lo: p.lo,
          hi: p.hi,
          snaive: t - 52 >= 0 ? s.y[t - 52] : NaN,
          scale,
          model: f.model,
        });
      }
    }
    opts.progress?.(i + 1, origins.length, 'backtest');
  });
  return out;
}

export interface BacktestRow {
  category: string;
  level: 1 | 2;
  scope: { level: 'city' | 'district'; name: string };
  seasonal: boolean;
  horizon: number;
  origins: number;
  /** Mean absolute scaled error of weisu's forecast and of the 52-week seasonal naive (MASE scale: in-sample snaive). */
  mase: number | null;
  mase_snaive: number | null;
  /** Share of actuals inside the 80% interval. */
  coverage: number;
  models: Record<string, number>;
}

export interface BacktestSummary {
  horizon: number;
  group: 'seasonal' | 'all';
  /** Distinct series: a 大类 whose weekly counts equal its only 小类's is counted once. */
  series: number;
  /**
   * Pooled by scale: Σ|actual − forecast| / Σ scale over every point, so a series weighs by its own size of error
   * and a 9-order series at MASE 6.9 cannot turn a pooled win into a loss; mase_snaive likewise.
   */
  mase: number | null;
  mase_snaive: number | null;
  /** 1 − mase / mase_snaive (pooled). */
  improvement: number | null;
  /** Geometric mean over series of (weisu MASE / seasonal-naive MASE): below 1, weisu is better on the typical series. */
  relative_geomean: number | null;
  coverage: number | null;
}

/** Per series and horizon: MASE of weisu and of seasonal naive, and interval coverage. */
export function summarize(points: BacktestPoint[]): { rows: BacktestRow[]; summary: BacktestSummary[] } {
  const groups = new Map<string, BacktestPoint[]>();
  for (const p of points) {
    const k = `${key(p)}\u0000${p.horizon}`;
    const g = groups.get(k) ?? [];
    g.push(p);
    groups.set(k, g);
  }
  const rows: BacktestRow[] = [];
  for (const g of groups.values()) {
    const p0 = g[0];
    const scored = g.filter((p) => Number.isFinite(p.scale) && p.scale > 0 && Number.isFinite(p.snaive));
    const models: Record<string, number> = {};
    for (const p of g) models[p.model] = (models[p.model] ?? 0) + 1;
    rows.push({
      category: p0.category,
      level: p0.level,
      scope: { level: p0.scopeLevel, name: p0.scopeName },
      seasonal: p0.seasonal,
      horizon: p0.horizon,
      origins: g.length,
      mase: scored.length ? mean(scored.map((p) => Math.abs(p.actual - p.yhat) / p.scale)) : null,
      mase_snaive: scored.length ? mean(scored.map((p) => Math.abs(p.actual - p.snaive) / p.scale)) : null,
      coverage: mean(g.map((p) => (p.actual >= p.lo && p.actual <= p.hi ? 1 : 0))),
      models,
    });
  }
  rows.sort(
    (a, b) =>
      a.scope.level.localeCompare(b.scope.level) ||
      a.scope.name.localeCompare(b.scope.name) ||
      a.level - b.level ||
      a.category.localeCompare(b.category) ||
      a.horizon - b.horizon,
  );
  return { rows, summary: summaryRows(points, rows) };
}

/** Series keys whose actuals repeat an earlier key's exactly (a 大类 with one 小类): left out of the summary. */
function duplicateKeys(points: BacktestPoint[]): Set<string> {
  const sig = new Map<string, string[]>();
  for (const p of points) {
    const k = key(p);
    const a = sig.get(k) ?? [];
    a.push(`${p.origin}/${p.horizon}/${p.actual}`);
    sig.set(k, a);
  }
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const [k, a] of sig) {
    const s = a.sort().join('|');
    if (seen.has(s)) dup.add(k);
    else seen.add(s);
  }
  return dup;
}

/** The per-horizon summary over city series: pooled MASE, geometric mean of relative MASE, coverage. */
function summaryRows(points: BacktestPoint[], rows: BacktestRow[]): BacktestSummary[] {
  const dup = duplicateKeys(points);
  const rowKey = (r: BacktestRow) => `${r.scope.level}\u0000${r.scope.name}\u0000${r.level}\u0000${r.category}`;
  const summary: BacktestSummary[] = [];
  for (const h of [...new Set(rows.map((r) => r.horizon))].sort((a, b) => a - b)) {
    for (const group of ['seasonal', 'all'] as const) {
      const inGroup = (p: { seasonal: boolean }) => group === 'all' || p.seasonal;
      const rs = rows.filter((r) => r.horizon === h && r.scope.level === 'city' && inGroup(r) && !dup.has(rowKey(r)));
      const pts = points.filter((p) => p.horizon === h && p.scopeLevel === 'city' && inGroup(p) && !dup.has(key(p)));
      const scored = pts.filter((p) => Number.isFinite(p.scale) && p.scale > 0 && Number.isFinite(p.snaive));
      const scale = scored.reduce((a, p) => a + p.scale, 0);
      const m = scale > 0 ? scored.reduce((a, p) => a + Math.abs(p.actual - p.yhat), 0) / scale : null;
      const sn = scale > 0 ? scored.reduce((a, p) => a + Math.abs(p.actual - p.snaive), 0) / scale : null;
      const rel = rs.filter((r) => r.mase !== null && r.mase_snaive !== null && r.mase_snaive > 0 && r.mase > 0);
      summary.push({
        horizon: h,
        group,
        series: rs.length,
        mase: m,
        mase_snaive: sn,
        improvement: m !== null && sn ? 1 - m / sn : null,
        relative_geomean: rel.length ? Math.exp(mean(rel.map((r) => Math.log(r.mase! / r.mase_snaive!)))) : null,
        coverage: pts.length ? mean(pts.map((p) => (p.actual >= p.lo && p.actual <= p.hi ? 1 : 0))) : null,
      });
    }
  }
  return summary;
}

function mean(a: number[]): number {
  return a.reduce((x, y) => x + y, 0) / Math.max(1, a.length);
}
