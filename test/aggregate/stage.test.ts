import { afterEach, describe, expect, it } from 'vitest';
import { aggregateOptions, aggregateStage } from '../../src/aggregate/stage.js';
import { resetMark } from '../../src/store/marks.js';
import { sql } from '../../src/store/sql.js';
import type { Store } from '../../src/store/db.js';
import { tempStore, testContext } from '../helpers.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

/** Orders of ingest batch `seq` on the given days (n per day), with places for even and flags for odd order numbers. */
async function addOrders(store: Store, seq: number, days: string[], n: number): Promise<void> {
  await store.exec(
    `INSERT INTO orders (order_id, created_at, category, cat1, cat2, content, district, street, satisfaction, closed_at,
                         row_hash, first_seq, seq, loaded_at)
     SELECT 'O-' || d || '-' || i, d::TIMESTAMP + INTERVAL (i * 17) MINUTE, 'A/' || (i % 3), 'A', 'A/' || (i % 3), 'x',
            'D' || (i % 2), 'S' || (i % 4), CASE WHEN i % 5 = 0 THEN '不满意' END,
            CASE WHEN i % 2 = 0 THEN d::TIMESTAMP + INTERVAL 2 DAY END, 0, $seq, $seq, now()::TIMESTAMP
     FROM unnest(string_split($days, ',')) t(d), range($n) r(i)`,
    { seq, days: days.join(','), n },
  );
  await store.exec(
    `INSERT INTO order_places (order_id, cell, district, street, match, coord_status, seq)
     SELECT order_id, NULL, 'PD' || (hash(order_id) % 2), 'PS' || (hash(order_id) % 3), 'point', 'inside', seq
     FROM orders WHERE seq = $seq AND hash(order_id) % 2 = 0`,
    { seq },
  );
  await store.exec(
    `INSERT INTO order_flags (order_id, is_repeat, out_of_scope, seq)
     SELECT order_id, hash(order_id) % 3 = 0, hash(order_id) % 5 = 0, seq FROM orders WHERE seq = $seq AND hash(order_id) % 2 = 1`,
    { seq },
  );
}

const counts = (store: Store) => store.all('SELECT * FROM daily_counts ORDER BY ALL');

describe('aggregate stage', () => {
  it('counts every dissatisfied rating, on three- and five-level scales, and nothing else', async () => {
    const t = await tempStore();
    cleanup = t.cleanup;
    const ratings = [
      '不满意',
      '非常不满意',
      '很不满意',
      '不太满意',
      '满意',
      '非常满意',
      '基本满意',
      '未评价',
      '一般',
      null,
    ];
    await t.store.exec(
      `INSERT INTO orders (order_id, created_at, category, cat1, cat2, content, satisfaction, row_hash, first_seq, seq, loaded_at)
       SELECT 'R' || i, TIMESTAMP '2026-02-10 09:00', 'A/B', 'A', 'A/B', 'x', r, 0, 1, 1, now()::TIMESTAMP
       FROM (SELECT unnest(from_json($r, '["VARCHAR"]')) AS r, generate_subscripts(from_json($r, '["VARCHAR"]'), 1) AS i)`,
      { r: JSON.stringify(ratings) },
    );
    await aggregateStage.run(testContext(t.store, '2026-03-01'));
    expect(await t.store.value('SELECT sum(n_unsatisfied)::INTEGER FROM daily_counts')).toBe(4);
    expect(await t.store.value('SELECT sum(n)::INTEGER FROM daily_counts')).toBe(ratings.length);
  });

  it('recomputes only the touched days, scattered ones included, to the same counts as a full rebuild', async () => {
    const t = await tempStore();
    cleanup = t.cleanup;
    const { store } = t;
    const ctx = testContext(store, '2026-03-01');
    await addOrders(store, 1, ['2026-01-05', '2026-01-06', '2026-02-10', '2026-02-11'], 40);
    expect(await aggregateStage.run(ctx)).toEqual({ days: 4, rows: expect.any(Number) });

    // a new day, and an update to an order of a day a month earlier: two touched days far apart
    await addOrders(store, 2, ['2026-02-12'], 30);
    await store.exec(
      "UPDATE orders SET satisfaction = '不满意', seq = 2 WHERE order_id = (SELECT min(order_id) FROM orders WHERE created_at::DATE = '2026-01-06')",
    );
    const untouched = await store.all("SELECT * FROM daily_counts WHERE day = '2026-01-05' ORDER BY ALL");
    const second = await aggregateStage.run(ctx);
    expect(second.days).toBe(2);
    const incremental = await counts(store);
    expect(await store.all("SELECT * FROM daily_counts WHERE day = '2026-01-05' ORDER BY ALL")).toEqual(untouched);

    // nothing new: nothing to do
    expect(await aggregateStage.run(ctx)).toEqual({ days: 0, rows: 0 });
    expect(await counts(store)).toEqual(incremental);

    await resetMark(store, 'aggregate');
    await store.exec('DELETE FROM daily_counts');
    await aggregateStage.run(ctx);
    expect(await counts(store)).toEqual(incremental);
    expect(incremental.length).toBeGreaterThan(0);
  });

  it('counts a long run of touched days span by span, to the same counts as in one query', async () => {
    const t = await tempStore();
    cleanup = t.cleanup;
    const { store } = t;
    const ctx = testContext(store, '2026-04-01');
    const days = Array.from({ length: 20 }, (_, i) => `2026-02-${String(i + 1).padStart(2, '0')}`);
    await addOrders(store, 1, days, 12);
    await aggregateStage.run(ctx);
    const whole = await counts(store);
    const before = aggregateOptions.spanOrders;
    try {
      // 12 orders a day: spans of about 30 orders hold two or three days, and no day is split between two spans
      aggregateOptions.spanOrders = 30;
      await store.script(sql('aggregate/touched_days.sql'), { mark: 0 });
      const spans = await store.all<{ days: number; first: string; after: string }>(
        sql('aggregate/touched_spans.sql'),
        { span_orders: aggregateOptions.spanOrders },
      );
      expect(spans.length).toBe(8);
      expect(spans.reduce((a, r) => a + r.days, 0)).toBe(20);
      for (let i = 1; i < spans.length; i++) expect(spans[i].first).toBe(spans[i - 1].after);
      await resetMark(store, 'aggregate');
      await store.exec('DELETE FROM daily_counts');
      expect(await aggregateStage.run(ctx)).toEqual({ days: 20, rows: whole.length });
      expect(await counts(store)).toEqual(whole);
    } finally {
      aggregateOptions.spanOrders = before;
    }
  });
});
