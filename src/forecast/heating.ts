import type { Config } from '../store/config.js';
import type { Store } from '../store/db.js';
import { sql } from '../store/sql.js';
import type { ForecastConfig } from './config.js';

/**
 * China's central heating stops at the Qinling–Huaihe line (about 33° N): north of it the heating season is the
 * winter's wave, south of it there is none. The default season (11-15 … 03-15) is meant for the north; given to a
 * southern city it put six heating regressors into every model, moved forecasts of unrelated categories by up to
 * 16% and decided whether a rise was followed. A city that says nothing about heating in its config gets the season
 * when its orders lie north of the line (or carry no coordinates at all, as before) and none when they lie south.
 */
export const HEATING_LINE_LAT = 33;

export async function heatingOverride(store: Store, config: Config): Promise<Partial<ForecastConfig>> {
  const own = config.raw.forecast as Record<string, unknown> | undefined;
  if (own && ('heatingStart' in own || 'heatingEnd' in own)) return {};
  const lat = await store.value<number | null>(sql('forecast/median_lat.sql'));
  if (lat === null || lat === undefined || lat >= HEATING_LINE_LAT) return {};
  return { heatingStart: null, heatingEnd: null };
}
