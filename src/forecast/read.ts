import type { Store } from '../store/db.js';
import { sql } from '../store/sql.js';

export interface ForecastPointOut {
  week_start: string;
  yhat: number;
  lo: number;
  hi: number;
}

export interface ForecastSeriesOut {
  category: string;
  level: 1 | 2;
  scope: { level: 'city' | 'district'; name: string };
  model: string;
  history_weeks: number | null;
  seasonal: boolean;
  /** Present when the last weeks broke away from the model and the forecast follows their level. */
  level_shift?: { since: string; factor: number };
  points: ForecastPointOut[];
}

/** The stored forecasts of an as-of date, first `horizon` weeks, one entry per series (CONTRACT §4 shape). */
export async function readForecasts(store: Store, asOf: string, horizon: number): Promise<ForecastSeriesOut[]> {
  const rows = await store.all<{
    category: string;
    level: number;
    scope_level: string;
    scope_name: string;
    week_start: string;
    yhat: number;
    lo: number;
    hi: number;
    model: string;
    history_weeks: number | null;
    seasonal: boolean | null;
    level_shift_since: string | null;
    level_shift_factor: number | null;
  }>(sql('forecast/read_forecasts.sql'), { as_of: asOf, horizon });
  const out: ForecastSeriesOut[] = [];
  let cur: ForecastSeriesOut | undefined;
  for (const r of rows) {
    if (
      !cur ||
      cur.category !== r.category ||
      cur.level !== r.level ||
      cur.scope.level !== r.scope_level ||
      cur.scope.name !== r.scope_name
    ) {
      cur = {
        category: r.category,
        level: r.level as 1 | 2,
        scope: { level: r.scope_level as 'city' | 'district', name: r.scope_name },
        model: r.model,
        history_weeks: r.history_weeks,
        seasonal: Boolean(r.seasonal),
        ...(r.level_shift_since && r.level_shift_factor !== null
          ? { level_shift: { since: r.level_shift_since, factor: r.level_shift_factor } }
          : {}),
        points: [],
      };
      out.push(cur);
    }
    cur.points.push({ week_start: r.week_start, yhat: r.yhat, lo: r.lo, hi: r.hi });
  }
  return out;
}

export interface ForecastMonthOut {
  category: string;
  level: 1 | 2;
  scope: { level: 'city' | 'district'; name: string };
  /** YYYY-MM */
  month: string;
  /** Days of the month the forecast weeks cover (a month only partly ahead has fewer than its length). */
  covered_days: number;
  yhat: number;
  /** 80% interval of the month's total, from the model's error on 4-week totals. */
  lo: number;
  hi: number;
  model: string;
}

/** The stored monthly forecasts of an as-of date (forecast_months), one entry per series and month. */
export async function readForecastMonths(store: Store, asOf: string): Promise<ForecastMonthOut[]> {
  type StoredMonth = Omit<ForecastMonthOut, 'level' | 'scope'> & {
    level: number;
    scope_level: string;
    scope_name: string;
  };
  const rows = await store.all<StoredMonth>(sql('forecast/read_months.sql'), { as_of: asOf });
  return rows.map((r) => ({
    category: r.category,
    level: r.level as 1 | 2,
    scope: { level: r.scope_level as 'city' | 'district', name: r.scope_name },
    month: r.month,
    covered_days: Number(r.covered_days),
    yhat: r.yhat,
    lo: r.lo,
    hi: r.hi,
    model: r.model,
  }));
}
