import { sql } from '../store/sql.js';
import type { Stage } from '../store/stage.js';
import { computeTopics, type MonthTopics } from './candidates.js';
import { cityUnits } from '../store/units.js';
import { topicsConfig } from './config.js';
import type { StageContext } from '../store/stage.js';
import { configPath } from '../store/config.js';
import { calendarHolidays, springFestivals } from '../forecast/calendar.js';
import { forecastConfig } from '../forecast/config.js';

/**
 * The month's 调度 topic candidates. A run as of any day of month M computes M's topics as of M's first day, from
 * the orders before it, and replaces whatever was stored for M (idempotent).
 */
export const topicStage: Stage = {
  name: 'topics',
  description: 'the month 调度 topic candidates with their evidence',
  async run(ctx) {
    const result = await runTopics(ctx);
    return {
      month: result.month,
      candidates: result.candidates.length,
      scored: result.scored.length,
      top: result.candidates[0]?.category ?? '',
    };
  },
};

export async function runTopics(ctx: StageContext): Promise<MonthTopics> {
  const { store, config } = ctx;
  const cfg = topicsConfig(config);
  const month = ctx.asOf.slice(0, 7);
  const units = await cityUnits(store, config, `${month}-01`);
  // the holiday calendar the forecast stage models (forecast.calendar: cn, none, or a file): 环比's season is aligned
  // on its Spring Festival
  const holidays = calendarHolidays(forecastConfig(config).calendar, (p) => configPath(config, p));
  const result = await computeTopics(store, month, cfg, units, config.city.name, springFestivals(holidays));
  await store.tx(async () => {
    await store.script(sql('topics/save_candidates.sql'), { month });
    for (const c of result.candidates) {
      await store.script(sql('topics/insert_candidate.sql'), {
        month,
        rank: c.rank,
        category: c.category,
        level: c.level,
        score: c.score,
        reasons: JSON.stringify(c.reasons),
        evidence: JSON.stringify(c.evidence),
        lead_unit: c.lead_unit,
        co_units: JSON.stringify(c.co_units),
        components: JSON.stringify(c.components),
      });
    }
    await store.script(sql('topics/save_alternates.sql'), { month, rows: JSON.stringify(result.alternates) });
    const rows = result.scored.map((s) => ({
      category: s.metrics.category,
      level: s.metrics.level,
      score: s.score,
      eligible: s.eligible,
      excluded_why: s.excludedWhy,
      metrics: {
        ...s.metrics,
        ...s.derived,
        forecast: s.extras.forecast?.yhat ?? null,
        hot_share: s.extras.hotShare,
        structural: s.extras.structural,
      },
      components: s.components,
    }));
    if (rows.length) await store.script(sql('topics/insert_scores.sql'), { month, rows: JSON.stringify(rows) });
    await store.script(sql('topics/insert_run.sql'), {
      month,
      as_of: result.as_of,
      scored: result.scored.length,
      eligible: result.scored.filter((s) => s.eligible).length,
      notes: JSON.stringify(result.notes),
    });
  });
  ctx.log.info({ event: 'topics', month, candidates: result.candidates.map((c) => c.category) }, `topics for ${month}`);
  return result;
}
