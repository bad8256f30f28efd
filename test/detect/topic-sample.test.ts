import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempStore } from '../helpers.js';
import { sql } from '../../src/store/sql.js';
import { addDays } from '../../src/store/dates.js';
import { topicSampleParams } from '../../src/detect/new-topic.js';
import { rng } from './gen.js';

// What topic_sample.sql + topic_documents.sql must return: the sample as first written, ranking every order of
// each window through orders_enriched by hash (slow on a large store, the definition here).
const REFERENCE = `
WITH windowed AS (
  SELECT order_id, content, cat1, cat2, district_r AS district, street_r AS street,
    CASE WHEN created_at >= $recent_start::DATE THEN 'recent'
         WHEN created_at >= $prior_start::DATE  THEN 'prior'
         ELSE 'last_year' END AS win,
    ($recent_start::DATE - date_trunc('week', created_at)::DATE) // 14 AS fortnight
  FROM orders_enriched
  WHERE ((created_at >= $prior_start::DATE AND created_at < $recent_end::DATE)
         OR (created_at >= $last_year_start::DATE AND created_at < $last_year_end::DATE))
    AND created_at < $as_of::DATE AND content IS NOT NULL
)
SELECT win, fortnight, content, cat1, cat2, district, street, count(*) OVER (PARTITION BY win) AS window_orders
FROM windowed
QUALIFY row_number() OVER (PARTITION BY win ORDER BY hash(order_id), order_id)
        <= CASE WHEN win = 'recent' THEN $sample_recent WHEN win = 'last_year' THEN $sample_recent * 3 ELSE $sample_prior END
ORDER BY win, hash(order_id), order_id`;

describe('new_topic document sample', () => {
  let t: Awaited<ReturnType<typeof tempStore>>;
  const asOf = '2025-06-04';
  // the stage's own windows for the week starting 2025-05-26: recent 2025-05-19 … 2025-06-01
  const params = (sampleRecent: number, samplePrior: number) =>
    topicSampleParams(asOf, '2025-05-26', sampleRecent, samplePrior);

  beforeAll(async () => {
    t = await tempStore();
    const r = rng(11);
    const orders: { order_id: string; at: string; content: string; cat2: string; district: string; street: string }[] =
      [];
    // every day from before last year's window to past the as-of, a few orders a day
    for (let d = '2024-04-01'; d <= '2025-06-10'; d = addDays(d, 1)) {
      const perDay = 1 + Math.floor(r() * 4);
      for (let k = 0; k < perDay; k++) {
        const i = orders.length;
        orders.push({
          order_id: `GD${d.replaceAll('-', '')}-${String(k).padStart(6, '0')}`,
          at: `${d} ${String(8 + k).padStart(2, '0')}:30:00`,
          content: `市民反映第${i}件事，请处理。`,
          cat2: `类${i % 5}/子${i % 3}`,
          district: `区${i % 4}`,
          street: `街${i % 9}`,
        });
      }
    }
    await t.store.exec(
      `INSERT INTO orders (order_id, created_at, category, cat1, cat2, content, district, street, row_hash, first_seq, seq, loaded_at)
       SELECT o.order_id, o.at::TIMESTAMP, o.cat2, split_part(o.cat2, '/', 1), o.cat2, o.content, o.district, o.street, 0, 1, 1, now()
       FROM (SELECT unnest(from_json($rows::JSON, '[{"order_id":"VARCHAR","at":"VARCHAR","content":"VARCHAR","cat2":"VARCHAR","district":"VARCHAR","street":"VARCHAR"}]'), recursive := true)) o`,
      { rows: JSON.stringify(orders) },
    );
    // resolved places for two orders in three: some move district and street, some resolve only the district
    await t.store.exec(
      `INSERT INTO order_places (order_id, district, street, match, coord_status, seq)
       SELECT order_id,
              CASE WHEN hash(order_id) % 2 = 0 THEN '新区' END,
              CASE WHEN hash(order_id) % 4 = 0 THEN '新街' END,
              'point', 'inside', 1
       FROM orders WHERE hash(order_id) % 3 <> 0`,
    );
  });
  afterAll(() => t.cleanup());

  async function sampled(p: ReturnType<typeof params>) {
    await t.store.script(sql('detect/topic_sample.sql'), p);
    const rows = await t.store.all(sql('detect/topic_documents.sql'), { recent_start: p.recent_start });
    await t.store.exec('DROP TABLE detect_topic_sample');
    return rows;
  }

  it('draws the same orders, in the same order, as ranking every order of each window by hash', async () => {
    // samples smaller than every window (the hash cutoff decides), and larger than every window (all of it)
    for (const [sr, sp, want] of [
      [5, 40, { recent: 5, prior: 40, last_year: 15 }],
      [20, 100, { recent: 20, prior: 100, last_year: 60 }],
      [1000, 100000, null],
    ] as const) {
      const p = params(sr, sp);
      const reference = await t.store.all(REFERENCE, p);
      const got = await sampled(p);
      expect(got).toEqual(reference);
      const perWindow = Object.fromEntries(
        ['recent', 'prior', 'last_year'].map((w) => [w, got.filter((x) => x.win === w).length]),
      );
      if (want) expect(perWindow).toEqual(want);
      else for (const x of got) expect(x.window_orders).toBe(perWindow[String(x.win)]);
    }
  });

  it('reads only orders created before the as-of day, with their resolved place', async () => {
    // an as-of inside the recent window: nothing from that day on
    const p = { ...params(1000, 100000), as_of: '2025-05-26' };
    const rows = await sampled(p);
    expect(rows).toEqual(await t.store.all(REFERENCE, p));
    const before = await t.store.value<number>(
      `SELECT count(*) FROM orders WHERE created_at >= DATE '2025-05-19' AND created_at < DATE '2025-05-26'`,
    );
    expect(rows.filter((x) => x.win === 'recent')).toHaveLength(before!);
    expect(rows.some((x) => x.district === '新区')).toBe(true);
    expect(rows.some((x) => x.street === '新街')).toBe(true);
    expect(rows.some((x) => x.street !== '新街' && String(x.street).startsWith('街'))).toBe(true);
  });
});
