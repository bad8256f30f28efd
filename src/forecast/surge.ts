import type { ForecastConfig } from './config.js';
import { loadHolidays } from './calendar.js';
import { dayNum, dayStr, springFestivalSpans, weekTouches } from './features.js';

export interface SurgeWeek {
  category: string;
  level: 1 | 2;
  scope_level: 'city' | 'district';
  scope_name: string;
  k: number;
  week_start: string;
  yhat: number;
  lo: number;
  hi: number;
  model: string;
  last_year: number | null;
  recent: Array<{ week_start: string; n: number }> | null;
  last8: number | null;
  last8_year_before: number | null;
  first_seen: string | null;
}

export interface Surge {
  category: string;
  level: 1 | 2;
  scope_level: 'city' | 'district';
  scope_name: string;
  window_start: string;
  window_end: string;
  observed: number;
  expected: number;
  score: number;
  reason: string;
  details: {
    lead_weeks: number;
    wave_start: string;
    peak_week: string;
    peak_yhat: number;
    peak_lo: number;
    peak_hi: number;
    recent_mean: number;
    last_year_same_week: number | null;
    growth: number | null;
    trigger: 'recent' | 'yoy' | 'both';
    model: string;
    /** False when the wave is told better by another surge (see markRepeats); absent = true. */
    primary?: boolean;
    /** A 大类 whose wave is one 小类's: that 小类. */
    explained_by?: { level: 'category'; name: string };
    /** A district's wave that is the city's wave: the city. */
    follows?: { level: 'city'; name: string };
  };
}

/**
 * One wave, one line for the leader: a 大类 whose wave is one 小类's (that 小类's peak ≥ 80% of the 大类's) is told by
 * the 小类, and a district's wave by the city's when the city waves too (劳动保障 and 劳资纠纷 in each of four
 * districts and the city made ten lines of one wave). The others are kept, marked primary = false, as the count
 * alerts are; `weisu alerts` lists the primary ones.
 */
export function markRepeats(surges: Surge[], cityName: string): void {
  const key = (s: Pick<Surge, 'scope_level' | 'scope_name' | 'level' | 'category'>) =>
    `${s.scope_level}|${s.scope_name}|${s.level}|${s.category}`;
  const byKey = new Map(surges.map((s) => [key(s), s]));
  for (const s of surges) {
    if (s.level === 1) {
      const child = surges.find(
        (c) =>
          c.level === 2 &&
          c.scope_level === s.scope_level &&
          c.scope_name === s.scope_name &&
          c.category.startsWith(s.category + '/') &&
          c.details.peak_yhat >= 0.8 * s.details.peak_yhat,
      );
      if (child) {
        s.details.primary = false;
        s.details.explained_by = { level: 'category', name: child.category };
        continue;
      }
    }
    if (s.scope_level === 'district' && byKey.has(key({ ...s, scope_level: 'city', scope_name: cityName }))) {
      s.details.primary = false;
      s.details.follows = { level: 'city', name: cityName };
    }
  }
}

/** Weeks touched by Spring Festival and the fortnight after: their lull is not the level a surge is judged by. */
function festivalWeeks(): Array<[number, number]> {
  return springFestivalSpans(loadHolidays(), 7, 14);
}

/** Mean of the last 4 complete weeks before the forecast, skipping Spring Festival weeks (zeros for weeks without orders). */
export function recentLevel(
  recent: SurgeWeek['recent'],
  firstWeek: number,
  skip: Array<[number, number]> = festivalWeeks(),
): number {
  const byWeek = new Map((recent ?? []).map((r) => [dayNum(r.week_start), r.n]));
  const vals: number[] = [];
  for (let w = firstWeek - 7; w >= firstWeek - 84 && vals.length < 4; w -= 7) {
    if (weekTouches(w, skip)) continue;
    vals.push(byWeek.get(w) ?? 0);
  }
  return vals.length ? vals.reduce((a, b) => a + b, 0) / vals.length : 0;
}

const fmtInt = (v: number) => Math.round(v).toLocaleString('en-US');

/**
 * A surge: within forecast weeks fromWeek..toWeek, the first week whose forecast (and its 80% lower bound) clears
 * `recentFactor` × the recent level, or `yoyFactor` × the same week last year scaled by the year's growth. The
 * alert carries the lead time to that week and the peak of the wave that follows. `dataWeek`: the week the data
 * reaches (the as-of's own week unless the data stopped before it).
 */
export function findSurge(
  weeks: SurgeWeek[],
  firstWeek: string,
  cfg: ForecastConfig['surge'],
  dataWeek: string = firstWeek,
): Surge | null {
  if (weeks.length === 0) return null;
  const s0 = weeks[0];
  // No recent weeks at all means the forecast's series matched no orders (a forecast stored under another city
  // name, say), not that the category was quiet: no claim either way.
  if (s0.recent === null) return null;
  // The mean of the last 8 weeks is a flat line: whatever it is compared with, it is not a wave coming.
  if (weeks.every((w) => w.model === 'mean' || w.model === 'zero')) return null;
  const first = dayNum(firstWeek);
  // the weeks before the data's last week (store/data-end.ts), not before the as-of: missing weeks are no zeros
  const recent = recentLevel(s0.recent, dayNum(dataWeek));
  // the last complete week: a wave already as high as its forecast peak is here, not ahead
  const latest = (s0.recent ?? []).find((r) => dayNum(r.week_start) === dayNum(dataWeek) - 7)?.n ?? 0;
  const base = Math.max(recent, latest);
  const seenYear = s0.first_seen !== null && dayNum(s0.first_seen) <= first - 420;
  const growth =
    seenYear && (s0.last8_year_before ?? 0) > 0
      ? Math.min(2, Math.max(0.5, ((s0.last8 ?? 0) + 1) / ((s0.last8_year_before ?? 0) + 1)))
      : null;
  const window = weeks.filter((w) => w.k >= cfg.fromWeek && w.k <= cfg.toWeek);
  // Against the recent level: the first week whose forecast, and its lower bound, clear the bar.
  const byRecent = window.find(
    (w) => w.yhat >= cfg.minPeak && w.yhat >= cfg.recentFactor * Math.max(base, 1) && w.lo > base,
  );
  // Against last year: the window as a whole (one week a year ago is too noisy a yardstick), growth-adjusted.
  let byYoy: SurgeWeek | undefined;
  if (growth !== null) {
    const known = window.filter((w) => w.last_year !== null || dayNum(w.week_start) - 364 >= dayNum(s0.first_seen!));
    const f = known.reduce((a, w) => a + w.yhat, 0);
    const lo = known.reduce((a, w) => a + w.lo, 0);
    const ly = known.reduce((a, w) => a + (w.last_year ?? 0) * growth, 0);
    if (ly > 0 && f >= cfg.yoyFactor * ly && lo > ly && known.some((w) => w.yhat >= cfg.minPeak)) {
      byYoy =
        known.find((w) => w.yhat >= cfg.minPeak && w.yhat >= cfg.yoyFactor * (w.last_year ?? 0) * growth) ?? known[0];
    }
  }
  const start = byRecent && byYoy ? (byRecent.k <= byYoy.k ? byRecent : byYoy) : (byRecent ?? byYoy);
  const trigger: Surge['details']['trigger'] = byRecent && byYoy ? 'both' : byRecent ? 'recent' : 'yoy';
  if (!start) return null;
  const after = window.filter((w) => w.k >= start.k);
  const peak = after.reduce((a, b) => (b.yhat > a.yhat ? b : a));
  // heating on 11-09 was "预计1周后…进入高峰，峰值周11-16约490件" with 787 in the week of 11-02: past its peak
  if (latest >= peak.yhat) return null;
  const lastYear = peak.last_year !== null && growth !== null ? peak.last_year * growth : null;
  const expected = trigger === 'yoy' && lastYear ? lastYear : Math.max(recent, 1);
  const score = peak.yhat / expected;
  const lead = start.k - 1;
  const name = s0.level === 2 ? s0.category.split('/').slice(1).join('/') : s0.category;
  const where = s0.scope_level === 'district' ? `${s0.scope_name}` : '';
  const when = lead === 0 ? '本周起' : `预计${lead}周后`;
  const vsRecent = recent > 0 ? `，为近4周均值的${(peak.yhat / recent).toFixed(1)}倍` : '，近4周几无此类诉求';
  const vsYearPct = lastYear && lastYear > 0 ? Math.round((peak.yhat / lastYear - 1) * 100) : null;
  const vsYear =
    vsYearPct === null
      ? ''
      : vsYearPct === 0
        ? '，与去年同期（按增长调整）持平'
        : `，较去年同期（按增长调整）${vsYearPct > 0 ? '高' : '低'}${Math.abs(vsYearPct)}%`;
  const reason = `${where}${when}${name}类诉求进入高峰，峰值周（${peak.week_start}起）约${fmtInt(peak.yhat)}件${vsRecent}${vsYear}`;
  return {
    category: s0.category,
    level: s0.level,
    scope_level: s0.scope_level,
    scope_name: s0.scope_name,
    window_start: start.week_start,
    window_end: dayStr(dayNum(peak.week_start) + 6),
    observed: round(peak.yhat),
    expected: round(expected),
    score: round(score),
    reason,
    details: {
      lead_weeks: lead,
      wave_start: start.week_start,
      peak_week: peak.week_start,
      peak_yhat: round(peak.yhat),
      peak_lo: round(peak.lo),
      peak_hi: round(peak.hi),
      recent_mean: round(recent),
      last_year_same_week: peak.last_year,
      growth: growth === null ? null : round(growth),
      trigger,
      model: peak.model,
    },
  };
}

function round(v: number): number {
  return Math.round(v * 100) / 100;
}
