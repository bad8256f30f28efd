import { TopicsConfigSchema } from '../../src/topics/config.js';
import type { Calendar, CategoryMetrics, Extras } from '../../src/topics/score.js';

/** The topics' default config, a month of 30 days after one of 31 with a year before, and no extra evidence. */
export const cfg = TopicsConfigSchema.parse({});
export const cal: Calendar = {
  daysLast: 30,
  daysPrev: 31,
  daysLy: 30,
  daysLyNext: 31,
  daysNext: 31,
  hasPrev: true,
  hasYearAgo: true,
};
export const none: Extras = { structural: null, hotShare: null, forecast: null, alerts: 0 };

/** A level-2 category's month: n_last orders last month, n_ly a year before, n_prev the month before (per 30 days). */
export function cat(
  category: string,
  n_last: number,
  n_ly: number,
  n_prev = n_ly,
  extra: Partial<CategoryMetrics> = {},
): CategoryMetrics {
  return {
    level: 2,
    category,
    cat1: category.split('/')[0],
    n_last,
    n_prev: Math.round((n_prev * 31) / 30),
    n_ly,
    n_ly_next: n_ly,
    n_oos_last: 0,
    n_repeat_last: 0,
    n_unsat_last: 0,
    n_closed_last: 0,
    ...extra,
  };
}

/** The whole city (level 0) with these totals. */
export const city = (n_last: number, n_ly: number): CategoryMetrics => ({
  ...cat('x', n_last, n_ly),
  level: 0,
  category: null,
  cat1: null,
});
