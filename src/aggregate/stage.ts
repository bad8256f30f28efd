import { getMark, setMark } from '../store/marks.js';
import { sql } from '../store/sql.js';
import type { Stage } from '../store/stage.js';

/**
 * Orders per counting query, about. A first run touches every day of the store: one query would hash the orders'
 * places and flags whole (10M of each in a big city); cut into spans, memory follows a span, and each span costs one
 * more scan of the places and flags, so spans are large.
 */
export const aggregateOptions = { spanOrders: 2_000_000 };

/**
 * Daily counts per level-2 category × district × street, recomputed only for days that hold new or changed
 * orders. Runs after tagging and places so repeat / scope flags and resolved streets are counted.
 */
export const aggregateStage: Stage = {
  name: 'aggregate',
  description: 'daily counts per category and street, for the days touched by new orders',
  async run({ store }) {
    const mark = await getMark(store, 'aggregate');
    await store.script(sql('aggregate/touched_days.sql'), { mark });
    // the touched days cut into spans of about aggregateOptions.spanOrders orders, each passed to the counting query as constants
    // (see daily_counts.sql)
    const spans = await store.all<{ days: number; first: string; after: string }>(sql('aggregate/touched_spans.sql'), {
      span_orders: aggregateOptions.spanOrders,
    });
    let days = 0;
    let inserted = 0;
    for (const s of spans) {
      const [, n] = await store.script(sql('aggregate/daily_counts.sql'), { first: s.first, after: s.after });
      days += s.days;
      inserted += n ?? 0;
    }
    await setMark(store, 'aggregate');
    return { days, rows: inserted };
  },
};
