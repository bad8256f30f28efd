import { dayNum, dayStr } from './features.js';
import type { SeriesForecast } from './models.js';
import { nbQuantile } from './nb.js';

export interface MonthForecast {
  /** First day of the month, YYYY-MM-DD. */
  month: string;
  /** Days of the month inside the forecast weeks. */
  coveredDays: number;
  yhat: number;
  lo: number;
  hi: number;
}

/**
 * The forecast per calendar month the forecast weeks touch: weekly means pro-rated by the days each week shares
 * with the month, and an interval from the model's dispersion of 4-week totals (alphaMonth) around that sum. The
 * sum of weekly bounds (what the report showed) treats every week as at its extreme at once: far too wide.
 */
export function monthlyRanges(f: SeriesForecast, coverage: number): MonthForecast[] {
  const tail = (1 - coverage) / 2;
  const byMonth = new Map<string, { days: number; yhat: number }>();
  for (const p of f.points) {
    for (let d = p.week; d < p.week + 7; d++) {
      const m = dayStr(d).slice(0, 7) + '-01';
      const e = byMonth.get(m) ?? { days: 0, yhat: 0 };
      e.days++;
      e.yhat += p.yhat / 7;
      byMonth.set(m, e);
    }
  }
  return [...byMonth.entries()]
    .sort((a, b) => dayNum(a[0]) - dayNum(b[0]))
    .map(([month, e]) => ({
      month,
      coveredDays: e.days,
      yhat: e.yhat,
      lo: Math.min(e.yhat, nbQuantile(e.yhat, f.alphaMonth, tail)),
      hi: Math.max(e.yhat, nbQuantile(e.yhat, f.alphaMonth, 1 - tail)),
    }));
}
