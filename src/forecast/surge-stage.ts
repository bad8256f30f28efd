import { weekStart } from '../store/dates.js';
import { sql } from '../store/sql.js';
import type { Stage, StageCounts } from '../store/stage.js';
import { forecastConfig } from './config.js';
import { calendarHolidays } from './calendar.js';
import { configPath } from '../store/config.js';
import { findSurge, markRepeats, type Surge, type SurgeWeek } from './surge.js';
import { dataEnd } from '../store/data-end.js';

/**
 * surge_forecast alerts from the forecasts of the same as-of date (the forecast stage runs first): a wave expected
 * 2–8 weeks ahead, with its lead time, peak week and expected peak size — what the monthly topics need before
 * the wave arrives. Writes only its own kind.
 */
export const surgeStage: Stage = {
  name: 'surge',
  description: 'surge_forecast alerts for waves expected in the next 2–8 weeks',
  async run(ctx): Promise<StageCounts> {
    const { store, asOf, config } = ctx;
    const fcfg = forecastConfig(config);
    const cfg = fcfg.surge;
    const holidays = calendarHolidays(fcfg.calendar, (p) => configPath(config, p));
    // the recent level a wave is measured against ends where the data ends (store/data-end.ts)
    const end = await dataEnd(store, asOf);
    const dataAsOf = end.asOf;
    // Data that stopped two or more days before the as-of (detect's data_stale): no wave is warned of. A wave "2–8
    // weeks ahead" of a week the data never reached is already here or gone, and a reader of the stored alerts
    // must not get one that the CLI hides.
    if (dataAsOf < asOf) {
      await store.script(sql('forecast/delete_surges.sql'), { as_of: asOf });
      ctx.log.warn(
        { data_end: end.lastDay, missing_days: end.missingDays },
        'data stopped before the as-of: no surge warnings stored',
      );
      return { series: 0, surges: 0, city: 0, data_stale: 1, data_end: end.lastDay ?? '' };
    }
    const rows = await store.all<SurgeWeek>(sql('forecast/surge_inputs.sql'), {
      as_of: asOf,
      data_as_of: dataAsOf,
      city: config.city.name,
    });
    const bySeries = new Map<string, SurgeWeek[]>();
    for (const r of rows) {
      if (r.scope_level === 'district' && !cfg.districts) continue;
      const key = `${r.scope_level}\u0000${r.scope_name}\u0000${r.level}\u0000${r.category}`;
      const list = bySeries.get(key) ?? [];
      list.push(r);
      bySeries.set(key, list);
    }
    const firstWeek = weekStart(asOf);
    const surges: Surge[] = [];
    for (const weeks of bySeries.values()) {
      const s = findSurge(weeks, firstWeek, cfg, weekStart(dataAsOf), holidays);
      if (s) surges.push(s);
    }
    markRepeats(surges, config.city.name);
    await store.script(sql('forecast/delete_surges.sql'), { as_of: asOf });
    if (surges.length) {
      await store.script(sql('forecast/insert_surges.sql'), {
        as_of: asOf,
        rows: JSON.stringify(surges.map((s) => ({ ...s, details: JSON.stringify(s.details) }))),
      });
    }
    if (rows.length === 0) ctx.log.warn('no forecasts for this as-of date: run the forecast stage first');
    return {
      series: bySeries.size,
      surges: surges.length,
      city: surges.filter((s) => s.scope_level === 'city').length,
    };
  },
};
