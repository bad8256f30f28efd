import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aggregateStage } from '../../src/aggregate/stage.js';
import { tempStore, testContext } from '../helpers.js';

// The aggregate pass that feeds level-3 detection: daily_leaf_counts holds paths of three levels or more, per day ×
// resolved district × street, summing to daily_counts for those paths; one- and two-level paths stay out of it.
describe('daily_leaf_counts', () => {
  let t: Awaited<ReturnType<typeof tempStore>>;
  beforeAll(async () => {
    t = await tempStore();
    await t.store.exec(
      `INSERT INTO orders (order_id, created_at, category, cat1, cat2, content, district, street, row_hash, first_seq, seq, loaded_at)
       SELECT 'O-' || i, TIMESTAMP '2025-03-03 08:00' + INTERVAL (i * 37) MINUTE,
              CASE i % 4 WHEN 0 THEN '城建/物业/电梯故障' WHEN 1 THEN '城建/物业/物业费' WHEN 2 THEN '城建/物业' ELSE '城建/供暖/暖气不热/整栋' END,
              '城建',
              CASE i % 4 WHEN 2 THEN '城建/物业' WHEN 3 THEN '城建/供暖' ELSE '城建/物业' END,
              'x', '甲区', '一街道', 0, 1, 1, now()::TIMESTAMP
       FROM range(200) r(i)`,
    );
    // one order placed by the spatial stage in another street: the resolved place is what is counted
    await t.store.exec(
      `INSERT INTO order_places (order_id, cell, district, street, match, coord_status, seq)
       VALUES ('O-0', NULL, '乙区', '二街道', 'point', 'inside', 1)`,
    );
    await t.store.tx(() => aggregateStage.run(testContext(t.store, '2025-03-20')));
  });
  afterAll(() => t.cleanup());

  it('holds every path of three levels or more, at the resolved place, and sums to daily_counts', async () => {
    const byCat = await t.store.all<{ category: string; n: number }>(
      'SELECT category, sum(n)::INTEGER AS n FROM daily_leaf_counts GROUP BY ALL ORDER BY category',
    );
    expect(byCat).toEqual([
      { category: '城建/供暖/暖气不热/整栋', n: 50 },
      { category: '城建/物业/物业费', n: 50 },
      { category: '城建/物业/电梯故障', n: 50 },
    ]);
    expect(await t.store.value<number>(`SELECT sum(n)::INTEGER FROM daily_leaf_counts WHERE street = '二街道'`)).toBe(
      1,
    );
    // the level-2 rows of the same orders: the leaf rows are their finer split
    const leafSum = await t.store.value<number>(
      `SELECT sum(n)::INTEGER FROM daily_leaf_counts WHERE category LIKE '城建/供暖/%'`,
    );
    expect(leafSum).toBe(
      await t.store.value<number>(`SELECT sum(n)::INTEGER FROM daily_counts WHERE cat2 = '城建/供暖'`),
    );
  });

  it('re-running for the same days replaces their rows, not adds to them', async () => {
    const before = await t.store.value<number>('SELECT sum(n)::INTEGER FROM daily_leaf_counts');
    await t.store.exec(`UPDATE orders SET seq = 2 WHERE order_id = 'O-1'`);
    await t.store.tx(() => aggregateStage.run(testContext(t.store, '2025-03-20')));
    expect(await t.store.value<number>('SELECT sum(n)::INTEGER FROM daily_leaf_counts')).toBe(before);
  });
});
