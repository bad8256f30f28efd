import { describe, expect, it } from 'vitest';
import { aggregateStage } from '../../src/aggregate/stage.js';
import { sql } from '../../src/store/sql.js';
import { tempStore, testContext } from '../helpers.js';

/**
 * daily_leaf_counts holds the paths of three levels or more. A level name may hold '/' (NYC 311's complaint type
 * `HEAT/HOT WATER`, kept whole in orders.category_levels): the two-level order `HEAT/HOT WATER` › `ENTIRE BUILDING`
 * joins to a path with two slashes, and counting slashes made it a three-level leaf, so detection tested a level 3
 * the city does not have. The depth is the number of level names when the store has them. Invented orders.
 */
describe('daily_leaf_counts counts levels, not slashes', () => {
  it('leaves a two-level path with a slash in a name out, and keeps a real three-level path', async () => {
    const env = await tempStore();
    try {
      await env.store.exec(
        `INSERT INTO orders (order_id, created_at, category, cat1, cat2, content, district, street, row_hash,
                             first_seq, seq, loaded_at, category_levels)
         VALUES
           ('n-1', TIMESTAMP '2025-10-10 09:00:00', 'HEAT/HOT WATER/ENTIRE BUILDING', 'HEAT/HOT WATER',
            'HEAT/HOT WATER/ENTIRE BUILDING', 'no heat', 'BRONX', 'W', 1, 1, 1, now()::TIMESTAMP,
            ['HEAT/HOT WATER', 'ENTIRE BUILDING']),
           ('b-1', TIMESTAMP '2025-10-10 10:00:00', 'Public Works/Street Lights/Outages', 'Public Works',
            'Public Works/Street Lights', 'out', 'Dorchester', 'Ward 16', 2, 1, 1, now()::TIMESTAMP,
            ['Public Works', 'Street Lights', 'Outages']),
           ('z-1', TIMESTAMP '2025-10-10 11:00:00', '城乡建设/供暖/暖气不热', '城乡建设', '城乡建设/供暖', '暖气不热',
            '东区', '一街道', 3, 1, 1, now()::TIMESTAMP, NULL),
           ('e-1', TIMESTAMP '2025-10-10 12:00:00', '住房/物业/电梯/扶梯故障', '住房', '住房/物业', '扶梯停了',
            '东区', '一街道', 4, 1, 1, now()::TIMESTAMP, ['住房', '物业', '电梯/扶梯故障'])`,
      );
      await aggregateStage.run(testContext(env.store, '2025-10-11'));
      const leaves = await env.store.all<{ category: string; n: number }>(
        'SELECT category, n FROM daily_leaf_counts ORDER BY category',
      );
      expect(leaves).toEqual([
        { category: 'Public Works/Street Lights/Outages', n: 1 },
        { category: '住房/物业/电梯/扶梯故障', n: 1 },
        { category: '城乡建设/供暖/暖气不热', n: 1 },
      ]);
      // each path's level names as its orders store them (the slashes only where none are stored): detection cuts
      // the level-3 prefixes by these, so 电梯/扶梯故障 stays one level-3 name
      const names = await env.store.all<{ category: string; levels: string }>(
        `SELECT category, to_json(category_levels)::VARCHAR AS levels FROM leaf_paths ORDER BY category`,
      );
      expect(names).toEqual([
        { category: 'Public Works/Street Lights/Outages', levels: '["Public Works","Street Lights","Outages"]' },
        { category: '住房/物业/电梯/扶梯故障', levels: '["住房","物业","电梯/扶梯故障"]' },
        { category: '城乡建设/供暖/暖气不热', levels: '["城乡建设","供暖","暖气不热"]' },
      ]);
    } finally {
      env.cleanup();
    }
  }, 60_000);

  it('migration 0301 fills leaf_paths from the orders a store already holds, so detection needs no recount', async () => {
    const env = await tempStore();
    try {
      await env.store.exec(
        `INSERT INTO orders (order_id, created_at, category, cat1, cat2, content, district, street, row_hash,
                             first_seq, seq, loaded_at, category_levels)
         VALUES
           ('e-1', TIMESTAMP '2025-10-10 12:00:00', '住房/物业/电梯/扶梯故障', '住房', '住房/物业', '扶梯停了',
            '东区', '一街道', 4, 1, 1, now()::TIMESTAMP, ['住房', '物业', '电梯/扶梯故障']),
           ('n-1', TIMESTAMP '2025-10-10 09:00:00', 'HEAT/HOT WATER/ENTIRE BUILDING', 'HEAT/HOT WATER',
            'HEAT/HOT WATER/ENTIRE BUILDING', 'no heat', 'BRONX', 'W', 1, 1, 1, now()::TIMESTAMP,
            ['HEAT/HOT WATER', 'ENTIRE BUILDING'])`,
      );
      // the store as it was before 0301: the migration run on its orders
      await env.store.exec('DROP TABLE leaf_paths');
      await env.store.script(sql('schema/0301_leaf_paths.sql'));
      expect(
        await env.store.all(`SELECT category, to_json(category_levels)::VARCHAR AS levels FROM leaf_paths`),
      ).toEqual([{ category: '住房/物业/电梯/扶梯故障', levels: '["住房","物业","电梯/扶梯故障"]' }]);
    } finally {
      env.cleanup();
    }
  }, 60_000);
});
