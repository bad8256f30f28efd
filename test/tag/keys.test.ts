import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/db.js';
import { tagStage } from '../../src/tag/stage.js';
import { tempStore, testContext } from '../helpers.js';
import { putOrders } from './fixtures.js';

let store: Store;
let cleanup: () => void;
beforeEach(async () => {
  ({ store, cleanup } = await tempStore());
});
afterEach(() => cleanup());

const CAT = '城乡建设/物业管理/电梯故障';
const run = () => tagStage.run(testContext(store, '2024-06-01'));

// The repeat windows partition by a 128-bit hash of the caller and place keys instead of sorting the strings
// (sql/tag/keys.sql). These checks hold them to what the strings themselves give.
describe('repeat keys', () => {
  it('two places whose keys collide under DuckDB hash() stay two places', async () => {
    // '城乡建设/物业管理|@116.858,39.765' and '…|@116.358,39.715' have the same hash() in DuckDB 1.5
    await putOrders(
      store,
      [
        {
          order_id: 'A',
          created_at: '2024-03-01 09:00',
          category: CAT,
          content: '电梯坏了',
          caller_hash: 'x1',
          lon: 116.858,
          lat: 39.765,
        },
        {
          order_id: 'B',
          created_at: '2024-03-05 09:00',
          category: CAT,
          content: '电梯坏了',
          caller_hash: 'x2',
          lon: 116.358,
          lat: 39.715,
        },
      ],
      1,
    );
    await run();
    const f = await store.all<{ order_id: string; is_repeat: boolean }>(
      'SELECT order_id, is_repeat FROM order_flags ORDER BY order_id',
    );
    expect(f).toEqual([
      { order_id: 'A', is_repeat: false },
      { order_id: 'B', is_repeat: false },
    ]);
  });

  it('orders at a point the place stage found to name no place are not repeats of one another by place', async () => {
    // the geocoder's default point (place_placeholders) and a real one, each with two orders 4 days apart
    await store.exec(
      "INSERT INTO place_placeholders (lon, lat, reason, orders, share) VALUES (116.0123, 39.9123, 'shared', 300, 0.14)",
    );
    const at = (id: string, day: string, lon: number, lat: number) => ({
      order_id: id,
      created_at: `2024-03-${day} 09:00`,
      category: CAT,
      content: '电梯坏了',
      lon,
      lat,
    });
    await putOrders(
      store,
      [
        at('H1', '01', 116.0123, 39.9123),
        at('H2', '05', 116.0123, 39.9123),
        at('R1', '01', 116.2, 39.8),
        at('R2', '05', 116.2, 39.8),
      ],
      1,
    );
    await run();
    const f = await store.all<{ order_id: string; is_repeat: boolean }>(
      'SELECT order_id, is_repeat FROM order_flags ORDER BY order_id',
    );
    expect(f).toEqual([
      { order_id: 'H1', is_repeat: false },
      { order_id: 'H2', is_repeat: false },
      { order_id: 'R1', is_repeat: false },
      { order_id: 'R2', is_repeat: true },
    ]);
  });

  it('on a grid of places whose keys collide under DuckDB hash(), flags are what windows over the key strings give', async () => {
    // grid points whose place keys share a hash() value (16,000 such groups in a 1,000 × 100 grid with DuckDB 1.5),
    // each visited three times 12 days apart, points of one group minutes apart, callers shared every 300 rows
    await store.exec(`
      INSERT INTO orders (order_id, created_at, category, cat1, cat2, content, lon, lat, caller_hash, closed_at,
                          row_hash, first_seq, seq, loaded_at)
      WITH grid AS (
        SELECT 116.0 + (i % 1000) * 0.001 AS lon, 39.7 + (i // 1000) * 0.001 AS lat FROM range(100000) t(i)
      ),
      hashed AS (
        SELECT lon, lat, hash('城乡建设/物业管理|@' || round(lon, 3)::VARCHAR || ',' || round(lat, 3)::VARCHAR) AS h FROM grid
      ),
      colliding AS (
        SELECT row_number() OVER (ORDER BY h, lon, lat) AS r, lon, lat
        FROM hashed
        WHERE h IN (SELECT h FROM hashed GROUP BY h HAVING count(*) > 1 ORDER BY h LIMIT 500)
      )
      SELECT 'G' || v || '-' || r, TIMESTAMP '2024-01-01' + INTERVAL (v * 12) DAY + INTERVAL (r * 7) MINUTE,
             '${CAT}', '城乡建设', '城乡建设/物业管理', '电梯坏了', lon, lat, 'c' || v || '-' || (r % 300),
             TIMESTAMP '2024-01-02' + INTERVAL (v * 12) DAY + INTERVAL (r * 7) MINUTE, 0, 1, 1, now()
      FROM colliding, range(3) v(v)`);
    await run();
    const diff = await store.value<number>(`
      WITH keyed AS (
        SELECT order_id, created_at,
               caller_hash || '|' || cat2 AS caller_key,
               cat2 || '|@' || round(lon, 3)::VARCHAR || ',' || round(lat, 3)::VARCHAR AS place_key
        FROM orders
      ),
      chains AS (
        SELECT order_id, created_at,
               lag(order_id)   OVER (PARTITION BY caller_key ORDER BY created_at, order_id) AS c_prev,
               lag(created_at) OVER (PARTITION BY caller_key ORDER BY created_at, order_id) AS c_at,
               lag(order_id)   OVER (PARTITION BY place_key  ORDER BY created_at, order_id) AS p_prev,
               lag(created_at) OVER (PARTITION BY place_key  ORDER BY created_at, order_id) AS p_at
        FROM keyed
      ),
      expected AS (
        SELECT order_id,
               coalesce(CASE WHEN c_at >= created_at - INTERVAL 30 DAY THEN c_prev END,
                        CASE WHEN p_at >= created_at - INTERVAL 30 DAY THEN p_prev END) AS repeat_of,
               CASE WHEN c_at >= created_at - INTERVAL 30 DAY THEN 'caller'
                    WHEN p_at >= created_at - INTERVAL 30 DAY THEN 'place' END AS repeat_kind
        FROM chains
      )
      SELECT count(*) FROM expected e FULL JOIN order_flags f USING (order_id)
      WHERE e.repeat_of IS DISTINCT FROM f.repeat_of OR e.repeat_kind IS DISTINCT FROM f.repeat_kind
         OR f.is_repeat IS DISTINCT FROM (e.repeat_of IS NOT NULL)`);
    expect(diff).toBe(0);
    // the fixture is not trivial: both kinds occur, and DuckDB's hash() would have merged some of its places
    const kinds = await store.all<{ repeat_kind: string; n: number }>(
      'SELECT repeat_kind, count(*) AS n FROM order_flags WHERE is_repeat GROUP BY 1 ORDER BY 1',
    );
    expect(kinds.map((k) => k.repeat_kind)).toEqual(['caller', 'place']);
  });
});
