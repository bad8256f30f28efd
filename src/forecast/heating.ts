import type { Config } from '../store/config.js';
import type { Store } from '../store/db.js';
import { sql } from '../store/sql.js';
import { forecastConfig, type ForecastConfig } from './config.js';
import { configFrom } from '../store/config.js';

/**
 * China's central heating stops at the Qinling–Huaihe line (about 33° N): north of it the heating season is the
 * winter's wave, south of it there is none. The default season (11-15 … 03-15) is meant for the north; given to a
 * southern city it put six heating regressors into every model, moved forecasts of unrelated categories by up to
 * 16% and decided whether a rise was followed. A city that says nothing about heating in its config gets the season
 * when its orders lie north of the line (or carry no coordinates at all, as before) and none when they lie south.
 */
export const HEATING_LINE_LAT = 33;

export async function heatingOverride(store: Store, config: Config, asOf?: string): Promise<Partial<ForecastConfig>> {
  const own = config.raw.forecast as Record<string, unknown> | undefined;
  if (own && ('heatingStart' in own || 'heatingEnd' in own)) return {};
  // The line is China's: under any other calendar the heating season stays off unless the config sets it
  // (config.ts), whatever the latitude — a northern city elsewhere has no 15 November switch-on.
  const cfg = forecastConfig(config);
  if (cfg.calendar !== 'cn') return {};
  const lat = await store.value<number | null>(sql('forecast/median_lat.sql'));
  if (lat !== null && lat !== undefined && lat < HEATING_LINE_LAT) return { heatingStart: null, heatingEnd: null };
  if (!asOf) return {};
  const onset = await observedHeatingStart(store, asOf, cfg.seasonalPatterns.heating);
  return onset ? { heatingStart: onset } : {};
}

/**
 * The heating season's start as the city's own orders show it, MM-DD: the median over past seasons of the day the
 * heating categories stepped up most (heating_onsets.sql); null without a season to read. The start is set by each
 * city (15 November in Beijing, 1 November in Lanzhou or Taiyuan, mid-October in Harbin): with the default 11-15, a
 * north-western city's forecasts put its 1 November wave two weeks late.
 */
export async function observedHeatingStart(
  store: Store,
  asOf: string,
  pattern: string = forecastConfig(configFrom({})).seasonalPatterns.heating,
): Promise<string | null> {
  const rows = await store.all<{ season: number; onset: string }>(sql('forecast/heating_onsets.sql'), {
    as_of: asOf,
    pattern: `(?i)(${pattern})`,
  });
  if (rows.length === 0) return null;
  // medians of day-of-year (every candidate day lies in October–December, so month-day strings sort as days do)
  const days = rows.map((r) => r.onset).sort();
  return days[Math.floor((days.length - 1) / 2)];
}
