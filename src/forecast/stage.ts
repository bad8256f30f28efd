import { sql } from '../store/sql.js';
import { daysBetween, weekStart } from '../store/dates.js';
import type { Stage } from '../store/stage.js';
import type { Store } from '../store/db.js';
import { forecastAll, modelContext, type KeyedForecast } from './engine.js';
import { heatingOverride } from './heating.js';
import { dayNum, dayStr } from './features.js';
import { dataEnd } from '../store/data-end.js';
import { loadWeeklySeries, type IgnoredBefore } from './series.js';
import { monthlyRanges } from './months.js';
import { observedDays, withObservedDays } from './partial-week.js';
import { rateForecasts, type CoveredSpan } from './short-history.js';
import { missingDays } from './missing-days.js';

/**
 * Weekly forecasts as of a date for every level-1 and level-2 category city-wide, and per district for the
 * seasonal ones. Only complete weeks before the as-of date are fitted; the first forecast week is the week holding
 * the as-of date, and when that is not a Monday its days already in the data are counted, the model forecasting
 * only the days still to come (partial-week.ts).
 */
export const forecastStage: Stage = {
  name: 'forecast',
  description: 'weekly forecasts with 80% intervals for every level-1 and level-2 category',
  async run(ctx) {
    const { store, asOf, config } = ctx;
    const mctx = modelContext(config, await heatingOverride(store, config, asOf));
    const firstWeek = weekStart(asOf);
    // data that stopped before the as-of: the weeks after it are forecast, not read as zeros (store/data-end.ts)
    const end = (await dataEnd(store, asOf)).asOf;
    const dataWeek = weekStart(end);
    const gapWeeks = daysBetween(dataWeek, firstWeek) / 7;
    const ignored: IgnoredBefore[] = [];
    const span = await coveredSpan(store, end < asOf ? end : asOf);
    const series = await loadWeeklySeries(store, dataWeek, config.city.name, ignored, span?.missingDays);
    reportIgnored(ctx.log, ignored);
    const seen = await observedDays(store, firstWeek, end < asOf ? end : asOf, config.city.name);
    const h = mctx.cfg.horizonWeeks + gapWeeks;
    const modelled = forecastAll(series, h, mctx, (d, t) => ctx.progress(d, t, 'forecast'));
    // categories with orders but no complete week: a flat forecast from their daily rate (short-history.ts)
    const rated = span
      ? await rateForecasts(store, span, config.city.name, series, { first: dataWeek, count: h }, mctx.cfg.coverage)
      : [];
    const results = withObservedDays([...modelled, ...rated], firstWeek, seen);
    const { points, months, models } = tableRows(results, dayNum(firstWeek), mctx.cfg.coverage);
    await store.script(sql('forecast/delete_forecasts.sql'), { as_of: asOf });
    if (points.length)
      await store.script(sql('forecast/insert_forecasts.sql'), { as_of: asOf, rows: JSON.stringify(points) });
    if (models.length)
      await store.script(sql('forecast/insert_models.sql'), { as_of: asOf, rows: JSON.stringify(models) });
    if (months.length)
      await store.script(sql('forecast/insert_months.sql'), { as_of: asOf, rows: JSON.stringify(months) });
    const byModel: Record<string, number> = {};
    for (const r of results) byModel[r.model] = (byModel[r.model] ?? 0) + 1;
    const shifted = results.filter((r) => r.levelShift).length;
    ctx.log.info({ series: results.length, byModel, shifted }, 'forecasts written');
    return {
      series: results.length,
      city: results.filter((r) => r.scopeLevel === 'city').length,
      district: results.filter((r) => r.scopeLevel === 'district').length,
      seasonal: results.filter((r) => r.seasonal && r.scopeLevel === 'city').length,
      level_shifts: shifted,
      short_history: rated.length,
      missing_days: span?.missing ?? 0,
      // data quality: orders before their series' first week of sustained activity, which no model used
      // (each order once: over the city's 大类 series, which hold every order exactly once)
      ignored_before_start: ignored
        .filter((r) => r.key.scopeLevel === 'city' && r.key.level === 1)
        .reduce((a, r) => a + r.orders, 0),
      series_with_ignored_rows: ignored.length,
      rows: points.length,
      first_week: firstWeek,
    };
  },
};

/** The days the data covers before `end` (exclusive) and those it misses, or null when it holds none. */
async function coveredSpan(store: Store, end: string): Promise<(CoveredSpan & { missingDays: Set<number> }) | null> {
  const span = await store.one<{ first_day: string | null }>(sql('forecast/data_span.sql'), { as_of: end });
  if (!span?.first_day) return null;
  const missingDaysSet = await missingDays(store, span.first_day, end);
  return { first: span.first_day, end, missing: missingDaysSet.size, missingDays: missingDaysSet };
}

/** The rows of forecasts, forecast_months and forecast_models, from the weeks at or after `first`. */
function tableRows(results: KeyedForecast[], first: number, coverage: number) {
  const key = (r: KeyedForecast) => ({
    category: r.category,
    level: r.level,
    scope_level: r.scopeLevel,
    scope_name: r.scopeName,
  });
  const points = results.flatMap((r) =>
    r.points
      .filter((p) => p.week >= first)
      .map((p) => ({
        ...key(r),
        week_start: dayStr(p.week),
        yhat: round(p.yhat),
        lo: round(p.lo),
        hi: round(p.hi),
        model: r.model,
      })),
  );
  // monthly totals from the model (months.ts), over the weeks the stage writes
  const months = results.flatMap((r) =>
    monthlyRanges({ ...r, points: r.points.filter((p) => p.week >= first) }, coverage).map((m) => ({
      ...key(r),
      month: m.month,
      covered_days: m.coveredDays,
      yhat: round(m.yhat),
      lo: round(m.lo),
      hi: round(m.hi),
      model: r.model,
    })),
  );
  const models = results.map((r) => ({
    ...key(r),
    model: r.model,
    history_weeks: r.historyWeeks,
    seasonal: r.seasonal,
    seasonal_strength: round(r.strength),
    selection_mae: Number.isFinite(r.selectionMae) ? round(r.selectionMae) : null,
    level_shift_since: r.levelShift ? dayStr(r.levelShift.since) : null,
    level_shift_factor: r.levelShift ? round(r.levelShift.factor) : null,
    tracking: r.tracking === null || r.tracking === undefined ? null : round(r.tracking),
  }));
  return { points, months, models };
}

function round(v: number): number {
  return Math.round(v * 100) / 100;
}

/**
 * Data quality: the series whose earliest orders lie before their first week of sustained activity (stray rows
 * dated years before the export's real start). No model used them; the log names the largest, with the span.
 */
function reportIgnored(log: { warn: (o: object, msg: string) => void }, ignored: IgnoredBefore[]): void {
  if (ignored.length === 0) return;
  const top = ignored
    .slice()
    .sort((a, b) => b.orders - a.orders)
    .slice(0, 10)
    .map((r) => ({
      category: r.key.category,
      scope: r.key.scopeName,
      orders: r.orders,
      from: dayStr(r.firstDay),
      kept_from: dayStr(r.start),
    }));
  const orders = ignored
    .filter((r) => r.key.scopeLevel === 'city' && r.key.level === 1)
    .reduce((a, r) => a + r.orders, 0);
  log.warn({ series: ignored.length, orders, top }, "orders before their series' sustained start ignored");
}
