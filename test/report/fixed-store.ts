import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cellToLatLng, latLngToCell } from 'h3-js';
import { runTopics } from '../../src/topics/stage.js';
import { tempStore, testContext } from '../helpers.js';
import { risingIn, seedOrders, steady } from '../topics/fixture.js';

/**
 * A fixed small store for the report's golden and browser tests (month 2025-11): one category rising city-wide
 * (噪声污染, the only candidate), two steady large ones (the 备选), a small local burst of 消防安全 in 一街道 with a
 * street alert, hotspot cells with places and addresses, an automatic assignment with a later recorded choice,
 * a measured earlier topic and simulated 回传. Everything is written here; nothing depends on the clock.
 */
export const MONTH = '2025-11';
export const AS_OF = '2025-11-01';
export const CELLS = [latLngToCell(34.75, 113.6, 8), latLngToCell(34.76, 113.62, 8), latLngToCell(34.74, 113.67, 8)];
export const FIRE_CELL = latLngToCell(34.73, 113.61, 8);

const NOISE = ['夜间施工噪音扰民，我的电话13812345678', '工地凌晨施工噪声很大', '施工噪音持续到深夜'];
const PROPERTY = ['小区物业不作为，楼道垃圾无人清理', '物业费收取不合理，服务质量差'];
const PARKING = ['小区门口乱停车堵塞通道', '人行道违章停车无人管理'];
const FIRE = ['楼道堆放杂物堵塞消防通道', '电动车在楼道充电，存在火灾隐患'];

/** 消防安全: one order every fifth day, two a day from 20 October: a local burst too small for a city topic. */
const fireBurst = (d: string) => (d >= '2025-10-20' ? 2 : Number(d.slice(8)) % 5 === 0 ? 1 : 0);

function square(name: string, lon: number, lat: number, d: number) {
  const ring = [
    [lon, lat],
    [lon + d, lat],
    [lon + d, lat + d],
    [lon, lat + d],
    [lon, lat],
  ];
  return { type: 'Feature', properties: { name }, geometry: { type: 'Polygon', coordinates: [ring] } };
}

async function placeOrders(store: Awaited<ReturnType<typeof tempStore>>['store']): Promise<void> {
  // October's noise and fire orders get cells, a community and an address (house numbers vary, the road does not)
  await store.exec(
    `UPDATE orders SET address = CASE
        WHEN cat2 = '公共安全/消防安全' THEN '平安里' || (hash(order_id) % 9 + 1) || '号楼'
        WHEN hash(order_id) % 4 = 0 THEN '建设街' || (hash(order_id) % 50 + 1) || '号'
        ELSE '幸福路' || (hash(order_id) % 90 + 1) || '号' END
     WHERE cat2 IN ('生态环境/噪声污染', '公共安全/消防安全');
     INSERT INTO order_places (order_id, cell, grid_id, district, street, community, match, coord_status, seq)
     SELECT order_id,
            CASE WHEN cat2 = '公共安全/消防安全' THEN $fire ELSE [$c0, $c1, $c2][(hash(order_id) % 3)::BIGINT + 1] END,
            NULL, '东区', '一街道',
            CASE WHEN cat2 = '公共安全/消防安全' THEN '平安社区' ELSE '幸福社区' END, 'point', 'inside', 1
     FROM orders
     WHERE created_at >= '2025-10-01' AND cat2 IN ('生态环境/噪声污染', '公共安全/消防安全')`,
    { fire: FIRE_CELL, c0: CELLS[0], c1: CELLS[1], c2: CELLS[2] },
  );
  // every other order is placed by its street name (no coordinates), so no data-quality note about unplaced orders
  await store.exec(
    `INSERT INTO order_places (order_id, cell, grid_id, district, street, community, match, coord_status, seq)
     SELECT order_id, NULL, NULL, '东区', '一街道', NULL, 'name', 'missing', 1
     FROM orders WHERE order_id NOT IN (SELECT order_id FROM order_places)`,
  );
}

async function hotspotsAndAlerts(store: Awaited<ReturnType<typeof tempStore>>['store']): Promise<void> {
  for (const [i, c] of [...CELLS, FIRE_CELL].entries()) {
    const [lat, lon] = cellToLatLng(c);
    const fire = c === FIRE_CELL;
    await store.exec(
      `INSERT INTO hotspots (as_of, cell, lon, lat, category, count, z, p, q, kind, district, street, window_start, window_end)
       VALUES ($as_of, $c, $lon, $lat, $cat, $n, $z, 0.001, 0.01, $kind, '东区', '一街道', DATE '2025-10-04', $as_of)`,
      {
        as_of: AS_OF,
        c,
        lon,
        lat,
        cat: fire ? '公共安全/消防安全' : '生态环境/噪声污染',
        n: fire ? 24 : 40 - i * 10,
        z: fire ? 6.5 : 5 - i,
        kind: fire ? 'emerging' : 'hot',
      },
    );
  }
  await store.exec(
    `INSERT INTO alerts (as_of, category, level, scope_level, scope_name, kind, window_start, window_end, observed, expected, score, reason, details)
     VALUES ($as_of, '公共安全/消防安全', 2, 'street', '一街道', 'trend', '2025-09-07', '2025-10-26', 24, 4, 9.5,
             '东区一街道「公共安全/消防安全」近8周持续爬升，近4周高出500%', json_object('primary', true, 'district', '东区'))`,
    { as_of: AS_OF },
  );
}

/** This month's automatic assignment, a choice recorded after it, an earlier measured topic, simulated 回传. */
async function assignmentsAndFeedback(store: Awaited<ReturnType<typeof tempStore>>['store']): Promise<void> {
  await store.exec(
    `INSERT INTO assignments (item_id, source, item_type, level, as_of, month, category, title, evidence, co_units, assigned_at, deadline, status, status_at)
     VALUES ('T-now', 'topic', 'topic', 'city', '2025-11-01', '2025-11', '生态环境/噪声污染', 't', json_object('selected_by', 'auto'), [],
             '2025-11-01', '2025-12-01', '交办', '2025-11-01'),
            ('T-aug', 'topic', 'topic', 'street', '2025-08-01', '2025-08', '城乡建设/物业管理', 't', json_object('selected_by', '李主任'), [],
             '2025-08-01', '2025-09-01', '办结', '2025-08-20');
     INSERT INTO topic_selections VALUES ('2025-11', '生态环境/噪声污染', TIMESTAMP '2025-11-02 09:30:00', '张主任', NULL);
     INSERT INTO feedback (item_id, recipient_id, from_status, to_status, note, happened_at, recorded_at, source)
     VALUES ('T-aug', NULL, '交办', '办结', '模拟', '2025-08-20', '2025-08-20', 'simulated');
     INSERT INTO effects (as_of, subject_kind, subject_id, category, lead_unit, measure, method, action_start, action_end, pre_start, post_end,
       weeks_pre, weeks_post, treated_n, control_n, treated_pre, treated_post, counterfactual, effect, effect_lo, effect_hi, effect_pct, pct_lo, pct_hi,
       significant, summary, details)
     VALUES ('2025-11-01', 'topic', '2025-08:城乡建设/物业管理', '城乡建设/物业管理', '市住房和城乡建设局', 'category', 'did',
       '2025-08-01', '2025-08-20', '2025-05-01', '2025-10-31', 13, 10, 3, 5, 70, 52, 65, -13, -20, -6, -0.2, -0.3, -0.09, true,
       '物业管理诉求较未整治时下降20%（区间-30%至-9%）：整治的3个街道每周52件，按可比的5个未整治街道同期变化应为65件', NULL)`,
  );
}

/** Build the fixed store and compute the month's topics; the caller writes the report. */
export async function fixedReportStore() {
  const env = await tempStore();
  writeFileSync(
    join(env.dir, 'districts.geojson'),
    JSON.stringify({ type: 'FeatureCollection', features: [square('东区', 113.58, 34.71, 0.1)] }),
  );
  const raw = { city: { name: '测试市' }, spatial: { boundaries: { districts: join(env.dir, 'districts.geojson') } } };
  await seedOrders(
    env.store,
    [
      {
        cat2: '生态环境/噪声污染',
        perDay: risingIn(12, 1.8, '2025-10-01', '2025-11-01'),
        texts: NOISE,
        dept: '市生态环境局',
        tags: ['监管缺位'],
        unsatisfied: 0.3,
      },
      { cat2: '城乡建设/物业管理', perDay: steady(60), texts: PROPERTY, dept: '市住房和城乡建设局' },
      { cat2: '交通运输/停车管理', perDay: steady(25), texts: PARKING, dept: '市公安局交通管理局' },
      { cat2: '公共安全/消防安全', perDay: fireBurst, texts: FIRE, dept: '市消防救援支队' },
    ],
    '2024-06-01',
    '2025-11-01',
  );
  await placeOrders(env.store);
  await hotspotsAndAlerts(env.store);
  await assignmentsAndFeedback(env.store);
  await runTopics(testContext(env.store, AS_OF, raw));
  return { ...env, raw };
}
