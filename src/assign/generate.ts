import type { StageContext, StageCounts } from '../store/stage.js';
import { sql } from '../store/sql.js';
import { assignConfig } from './config.js';
import { chosenTopic, hotspotItems, insertItems, pruneUntouched, route, topicItems } from './items.js';
import { recipientsListed, syncRecipients } from './recipients.js';

export interface GenerateOptions {
  topics: boolean;
  hotspots: boolean;
}

/**
 * Draw up the assignment items of an as-of: the month's chosen topic and/or the current hotspots, then route every
 * item to its recipients. Idempotent: the same inputs give the same item ids, existing items keep their status.
 */
export async function generateItems(ctx: StageContext, opts: GenerateOptions): Promise<StageCounts> {
  const { store, config, asOf } = ctx;
  const cfg = assignConfig(config);
  const listed = recipientsListed(config);
  const counts: StageCounts = { recipients: await syncRecipients(store, cfg, { listed, log: ctx.log }) };
  if (opts.topics) {
    const month = asOf.slice(0, 7);
    const topic = await chosenTopic(store, config, cfg, month);
    const items = topic ? await topicItems(store, cfg, topic, asOf) : [];
    counts.topic_withdrawn = await pruneUntouched(
      store,
      asOf,
      'topic',
      items.map((i) => i.item_id),
    );
    counts.topic_items = (await insertItems(store, items, asOf, ctx.runId)).length;
    counts.topic = topic ? `${topic.category} (${topic.selectedBy})` : 'none selected';
    if (!topic) ctx.log.info({ month }, 'no topic selected for the month: no topic items');
  }
  if (opts.hotspots) {
    const computed =
      (await store.value<number>(`SELECT count(*) FROM hotspots WHERE as_of = $a::DATE`, { a: asOf })) ?? 0;
    if (computed === 0) {
      // a hotspot run that found no hot cell writes no rows: that is a quiet night, not a missing stage
      const ran = (await store.value<number>(sql('assign/hotspots_ran.sql'), { as_of: asOf })) ?? 0;
      counts.hotspot_stage_ran = ran > 0 ? 1 : 0;
      if (ran === 0)
        ctx.log.warn('no hotspots computed for this as-of (run the hotspots stage first): no hotspot items');
      else ctx.log.info('the hotspots stage found no hot cell for this as-of: no hotspot items');
    }
    counts.hotspot_rows = computed;
    const { items, held } = await hotspotItems(store, config, cfg, asOf);
    counts.hotspot_withdrawn = await pruneUntouched(
      store,
      asOf,
      'hotspot',
      items.map((i) => i.item_id),
    );
    counts.hotspot_items = (await insertItems(store, items, asOf, ctx.runId)).length;
    counts.hotspot_chronic_held = held;
    if (held)
      ctx.log.info(
        { held, repeat_days: cfg.hotspot.persistentRepeatDays },
        'chronic hotspots handed out recently and not growing: held back',
      );
  }
  counts.routes = await route(store, cfg);
  return counts;
}
