import { configPath, type Config } from '../store/config.js';
import { forecastConfig, type ForecastConfig } from './config.js';
import { calendarHolidays } from './calendar.js';
import { featureSpec } from './features.js';
import {
  forecastSeries,
  pooledDefault,
  rankSeries,
  seasonalWave,
  type ModelContext,
  type SeriesForecast,
} from './models.js';
import type { KeyedSeries, SeriesKey } from './series.js';
import { loadWeather } from './weather.js';

export interface KeyedForecast extends SeriesKey, SeriesForecast {
  seasonal: boolean;
  strength: number;
}

export function modelContext(config: Config, override?: Partial<ForecastConfig>): ModelContext {
  const cfg = { ...forecastConfig(config), ...override };
  const weather = cfg.weather ? loadWeather(configPath(config, cfg.weather)) : undefined;
  const holidays = calendarHolidays(cfg.calendar, (p) => configPath(config, p));
  return { cfg, spec: featureSpec(cfg, weather, holidays), holidays };
}

/** City series whose annual wave is strong enough to forecast per district too. */
export function seasonalCategories(series: KeyedSeries[], ctx: ModelContext): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of series) {
    if (s.scopeLevel !== 'city') continue;
    const strength = seasonalWave(s, ctx);
    if (strength !== null) out.set(`${s.level}\u0000${s.category}`, strength);
  }
  return out;
}

/**
 * Forecast every city series, and the district series of the seasonal categories, `h` weeks past the end of the
 * history (all series end at the same week). The default model is chosen pooled (models.ts pooledDefault), once
 * over the city series and once over the district series.
 */
export function forecastAll(
  series: KeyedSeries[],
  h: number,
  ctx: ModelContext,
  progress?: (done: number, total: number) => void,
): KeyedForecast[] {
  const seasonal = seasonalCategories(series, ctx);
  const chosen = series.filter((s) => s.scopeLevel === 'city' || seasonal.has(`${s.level}\u0000${s.category}`));
  const rankings = chosen.map((s, i) => {
    const r = rankSeries(s, h, ctx);
    if (progress && (i % 10 === 9 || i === chosen.length - 1)) progress(i + 1, chosen.length);
    return r;
  });
  // one default per pool: district series, seasonal city series, the other city series
  const pool = (s: KeyedSeries) =>
    s.scopeLevel !== 'city' ? 'district' : seasonal.has(`${s.level}\u0000${s.category}`) ? 'seasonal' : 'city';
  const preferred = new Map(
    ['district', 'seasonal', 'city'].map((p) => [p, pooledDefault(rankings.filter((_, i) => pool(chosen[i]) === p))]),
  );
  return chosen.map((s, i) => {
    const key = `${s.level}\u0000${s.category}`;
    const f = forecastSeries(s, h, ctx, { ranking: rankings[i], preferred: preferred.get(pool(s)) });
    return {
      category: s.category,
      level: s.level,
      scopeLevel: s.scopeLevel,
      scopeName: s.scopeName,
      ...f,
      seasonal: seasonal.has(key),
      strength: seasonal.get(key) ?? 0,
    };
  });
}

/** The series as they stood before day number `origin` (a backtest origin). */
export function truncateSeries(series: KeyedSeries[], origin: number): KeyedSeries[] {
  const out: KeyedSeries[] = [];
  for (const s of series) {
    const n = Math.floor((origin - s.start) / 7);
    if (n <= 0) continue;
    out.push({ ...s, y: s.y.slice(0, n) });
  }
  return out;
}
