import { getMark, setMark } from '../store/marks.js';
import { sql } from '../store/sql.js';
import type { Stage } from '../store/stage.js';

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
    // the span of the touched days, passed to the counting query as constants (see daily_counts.sql)
    const span = await store.one<{ days: number; first: string | null; after: string | null }>(
      'SELECT count(*) AS days, min(day)::VARCHAR AS first, (max(day) + 1)::VARCHAR AS after FROM touched_days',
    );
    const days = span?.days ?? 0;
    let inserted = 0;
    if (days > 0)
      [, inserted] = await store.script(sql('aggregate/daily_counts.sql'), { first: span!.first, after: span!.after });
    await setMark(store, 'aggregate');
    return { days, rows: inserted ?? 0 };
  },
};
