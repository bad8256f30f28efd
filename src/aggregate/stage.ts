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
    const days = (await store.value<number>('SELECT count(*) FROM touched_days')) ?? 0;
    const [, inserted] = await store.script(sql('aggregate/daily_counts.sql'));
    await setMark(store, 'aggregate');
    return { days, rows: inserted ?? 0 };
  },
};
