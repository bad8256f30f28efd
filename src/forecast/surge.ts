import type { ForecastConfig } from './config.js';
import { loadHolidays, type Holiday } from './calendar.js';
import type { Weekly, SeriesForecast } from './models.js';
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
  /**
   * The series' complete weeks over the two years and 12 weeks before the data's last week, for the recurrence
   * rule (recursInPastSeasons); absent: the rule is not applied.
   */
  history?: Array<{ week_start: string; n: number }> | null;
  /** The series' recent orders over its model's expectation (forecast_models.tracking); absent or null: unknown. */
  tracking?: number | null;
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
function festivalWeeks(holidays: Holiday[] = loadHolidays()): Array<[number, number]> {
  return springFestivalSpans(holidays, 7, 14);
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

/** A past season counts as having the wave when it rose at least this much over its own weeks before. */
const PAST_RISE = 1.25;
/** The recent weeks at under this share of what the model expected for them: no wave of its course is warned of. */
const TRACKING_FLOOR = 0.8;
/** Past seasons that must show the wave before one is warned of. */
const PAST_SEASONS = 2;

/**
 * Whether the wave warned of (from startWeek to peakWeek) came in each of the last two years too: the same weeks a
 * year (two years) earlier, ±1 week, peaked at least PAST_RISE × the mean of the 4 weeks before that year's data
 * week. A wave seen once is a burst, not a season: copied forward it made warnings of ×18 where 2 orders came.
 */
export function recursInPastSeasons(
  history: Array<{ week_start: string; n: number }>,
  dataWeek: number,
  startWeek: number,
  peakWeek: number,
): boolean {
  const byWeek = new Map(history.map((r) => [dayNum(r.week_start), r.n]));
  const first = Math.min(...history.map((r) => dayNum(r.week_start)));
  let seen = 0;
  for (let b = 1; b <= PAST_SEASONS; b++) {
    const shift = 364 * b;
    if (dataWeek - shift - 28 < first) return false;
    let base = 0;
    for (let w = dataWeek - shift - 28; w < dataWeek - shift; w += 7) base += byWeek.get(w) ?? 0;
    base /= 4;
    let wave = 0;
    for (let w = startWeek - shift - 7; w <= peakWeek - shift + 7; w += 7) wave = Math.max(wave, byWeek.get(w) ?? 0);
    if (wave >= PAST_RISE * Math.max(base, 1)) seen++;
  }
  return seen >= PAST_SEASONS;
}

interface Levels {
  first: number;
  recent: number;
  latest: number;
  base: number;
  growth: number | null;
}

/** The yardsticks: recent level (last 4 complete weeks), latest week, and last year's growth. */
function levels(s0: SurgeWeek, firstWeek: string, dataWeek: string, holidays?: Holiday[]): Levels {
  const first = dayNum(firstWeek);
  // the weeks before the data's last week (store/data-end.ts), not before the as-of: missing weeks are no zeros
  const recent = recentLevel(s0.recent, dayNum(dataWeek), festivalWeeks(holidays));
  // the last complete week: a wave already as high as its forecast peak is here, not ahead
  const latest = (s0.recent ?? []).find((r) => dayNum(r.week_start) === dayNum(dataWeek) - 7)?.n ?? 0;
  const seenYear = s0.first_seen !== null && dayNum(s0.first_seen) <= first - 420;
  const growth =
    seenYear && (s0.last8_year_before ?? 0) > 0
      ? Math.min(2, Math.max(0.5, ((s0.last8 ?? 0) + 1) / ((s0.last8_year_before ?? 0) + 1)))
      : null;
  return { first, recent, latest, base: Math.max(recent, latest), growth };
}

/** The first week of the window that clears the recent level, and the one that clears last year's (growth-adjusted). */
function triggers(
  window: SurgeWeek[],
  s0: SurgeWeek,
  cfg: ForecastConfig['surge'],
  lv: Levels,
): { start: SurgeWeek; trigger: Surge['details']['trigger'] } | null {
  const byRecent = window.find(
    (w) => w.yhat >= cfg.minPeak && w.yhat >= cfg.recentFactor * Math.max(lv.base, 1) && w.lo > lv.base,
  );
  // Against last year: the window as a whole (one week a year ago is too noisy a yardstick), growth-adjusted.
  let byYoy: SurgeWeek | undefined;
  if (lv.growth !== null) {
    const g = lv.growth;
    const known = window.filter((w) => w.last_year !== null || dayNum(w.week_start) - 364 >= dayNum(s0.first_seen!));
    const f = known.reduce((a, w) => a + w.yhat, 0);
    const lo = known.reduce((a, w) => a + w.lo, 0);
    const ly = known.reduce((a, w) => a + (w.last_year ?? 0) * g, 0);
    if (ly > 0 && f >= cfg.yoyFactor * ly && lo > ly && known.some((w) => w.yhat >= cfg.minPeak)) {
      byYoy = known.find((w) => w.yhat >= cfg.minPeak && w.yhat >= cfg.yoyFactor * (w.last_year ?? 0) * g) ?? known[0];
    }
  }
  const start = byRecent && byYoy ? (byRecent.k <= byYoy.k ? byRecent : byYoy) : (byRecent ?? byYoy);
  if (!start) return null;
  return { start, trigger: byRecent && byYoy ? 'both' : byRecent ? 'recent' : 'yoy' };
}

/** The leader's line: when, what, how big, against the recent level and last year. */
function surgeReason(s0: SurgeWeek, lead: number, peak: SurgeWeek, recent: number, lastYear: number | null): string {
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
  return `${where}${when}${name}类诉求进入高峰，峰值周（${peak.week_start}起）约${fmtInt(peak.yhat)}件${vsRecent}${vsYear}`;
}

/**
 * A surge: within forecast weeks fromWeek..toWeek, the first week whose forecast (and its 80% lower bound) clears
 * `recentFactor` × the recent level, or `yoyFactor` × the same week last year scaled by the year's growth. The
 * alert carries the lead time to that week and the peak of the wave that follows. A rise over the recent level is
 * warned of only when the same wave came in each of the two past seasons (recursInPastSeasons), when the history is
 * given. `dataWeek`: the week the data reaches (the as-of's own week unless the data stopped before it).
 */
export function findSurge(
  weeks: SurgeWeek[],
  firstWeek: string,
  cfg: ForecastConfig['surge'],
  dataWeek: string = firstWeek,
  holidays?: Holiday[],
): Surge | null {
  if (weeks.length === 0) return null;
  const s0 = weeks[0];
  // No recent weeks at all means the forecast's series matched no orders (a forecast stored under another city
  // name, say), not that the category was quiet: no claim either way.
  if (s0.recent === null) return null;
  // The mean of the last 8 weeks (or a short history's daily rate) is a flat line: it is not a wave coming.
  if (weeks.every((w) => w.model === 'mean' || w.model === 'zero' || w.model === 'rate')) return null;
  const lv = levels(s0, firstWeek, dataWeek, holidays);
  const window = weeks.filter((w) => w.k >= cfg.fromWeek && w.k <= cfg.toWeek);
  const t = triggers(window, s0, cfg, lv);
  if (!t) return null;
  const { start, trigger } = t;
  const after = window.filter((w) => w.k >= start.k);
  const peak = after.reduce((a, b) => (b.yhat > a.yhat ? b : a));
  // heating on 11-09 was "预计1周后…进入高峰，峰值周11-16约490件" with 787 in the week of 11-02: past its peak
  if (lv.latest >= peak.yhat) return null;
  // a season running well under its usual course (ILI in the winter of 2020: 4,312 warned, 1,115 came) is not
  // about to bring its usual wave
  if (s0.tracking !== null && s0.tracking !== undefined && s0.tracking < TRACKING_FLOOR) return null;
  if (
    trigger !== 'yoy' &&
    s0.history &&
    !recursInPastSeasons(s0.history, dayNum(dataWeek), dayNum(start.week_start), dayNum(peak.week_start))
  )
    return null;
  const lastYear = peak.last_year !== null && lv.growth !== null ? peak.last_year * lv.growth : null;
  const expected = trigger === 'yoy' && lastYear ? lastYear : Math.max(lv.recent, 1);
  const lead = start.k - 1;
  return {
    category: s0.category,
    level: s0.level,
    scope_level: s0.scope_level,
    scope_name: s0.scope_name,
    window_start: start.week_start,
    window_end: dayStr(dayNum(peak.week_start) + 6),
    observed: round(peak.yhat),
    expected: round(expected),
    score: round(peak.yhat / expected),
    reason: surgeReason(s0, lead, peak, lv.recent, lastYear),
    details: {
      lead_weeks: lead,
      wave_start: start.week_start,
      peak_week: peak.week_start,
      peak_yhat: round(peak.yhat),
      peak_lo: round(peak.lo),
      peak_hi: round(peak.hi),
      recent_mean: round(lv.recent),
      last_year_same_week: peak.last_year,
      growth: lv.growth === null ? null : round(lv.growth),
      trigger,
      model: peak.model,
    },
  };
}

/**
 * The surge check on an in-memory series and its forecast (the bench, and anything without a store): the same
 * inputs surge_inputs.sql gives the stage, with the forecast's first week as the as-of's week.
 */
export function surgeFromSeries(
  s: Weekly,
  f: SeriesForecast,
  cfg: ForecastConfig['surge'],
  holidays: Holiday[],
  key: Pick<SurgeWeek, 'category' | 'level' | 'scope_level' | 'scope_name'> = {
    category: 'series',
    level: 1,
    scope_level: 'city',
    scope_name: 'city',
  },
): Surge | null {
  const n = s.y.length;
  const wk = (i: number) => ({ week_start: dayStr(s.start + 7 * i), n: s.y[i] });
  const recent = Array.from({ length: Math.min(12, n) }, (_, j) => wk(n - Math.min(12, n) + j));
  const history = Array.from({ length: Math.min(116, n) }, (_, j) => wk(n - Math.min(116, n) + j));
  const part = (a: number, b: number) => s.y.slice(Math.max(0, a), Math.max(0, b)).reduce((x, y) => x + y, 0);
  const weeks: SurgeWeek[] = f.points.map((p, k) => ({
    ...key,
    k: k + 1,
    week_start: dayStr(p.week),
    yhat: p.yhat,
    lo: p.lo,
    hi: p.hi,
    model: f.model,
    last_year: n + k - 52 >= 0 ? s.y[n + k - 52] : null,
    recent,
    last8: part(n - 8, n),
    last8_year_before: n >= 60 ? part(n - 60, n - 52) : null,
    first_seen: dayStr(s.start),
    history,
    tracking: f.tracking ?? null,
  }));
  const first = dayStr(s.start + 7 * n);
  return findSurge(weeks, first, cfg, first, holidays);
}

function round(v: number): number {
  return Math.round(v * 100) / 100;
}
