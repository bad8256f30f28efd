import type { Stage } from '../store/stage.js';
import { detectAlerts } from './compute.js';
import { markEpisodes, storedEarlierAlarms } from './episodes.js';
import { replaceAlerts } from './store-alerts.js';

/**
 * Rising and emerging categories (yoy, mom, trend, spike, new_topic) at city, district and street scope, as of
 * ctx.asOf. Rewrites only its own kinds for that as-of, so re-running changes nothing. A rise the previous week's run
 * reported too is marked as continuing, with the week it began (episodes.ts).
 */
export const alertStage: Stage = {
  name: 'alerts',
  description: 'rising and emerging categories at city, district and street scope',
  async run(ctx) {
    const result = await detectAlerts(ctx.store, ctx.asOf, ctx.config);
    markEpisodes(result.alerts, result.week0, await storedEarlierAlarms(ctx.store, result.week0));
    const written = await replaceAlerts(ctx.store, ctx.asOf, result.alerts);
    const counts: Record<string, number> = { alerts: written, series: result.tested.length };
    for (const a of result.alerts) counts[a.kind] = (counts[a.kind] ?? 0) + 1;
    counts.continuing = result.alerts.filter((a) => a.details.continuing === true).length;
    ctx.log.info({ ...counts, tests: result.tests }, 'alerts');
    return counts;
  },
};
