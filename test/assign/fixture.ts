import type { Store } from '../../src/store/db.js';

export interface FxOrder {
  id: string;
  at: string; // 'YYYY-MM-DD HH:MM:SS' or date
  category: string; // l1/l2/l3 or l1/l2
  content?: string;
  district?: string;
  street?: string;
  cell?: string | null;
  grid?: string | null;
  repeat?: boolean;
  address?: string;
  /** Outside public governance (负面清单). */
  outOfScope?: boolean;
}

/** Orders with their places and flags, written straight into the inter-stage tables. */
export async function addOrders(store: Store, orders: FxOrder[]): Promise<void> {
  for (const o of orders) {
    const parts = o.category.split('/');
    await store.exec(
      `INSERT INTO orders (order_id, created_at, category, cat1, cat2, content, district, street, address, row_hash, first_seq, seq, loaded_at)
       VALUES ($id, $at::TIMESTAMP, $cat, $cat1, $cat2, $content, $d, $s, $addr, 1, 1, 1, now()::TIMESTAMP)`,
      {
        id: o.id,
        at: o.at,
        cat: o.category,
        cat1: parts[0],
        cat2: parts.slice(0, 2).join('/'),
        content: o.content ?? `${parts[1] ?? ''}问题 ${o.id}`,
        d: o.district ?? '东区',
        s: o.street ?? '甲街道',
        addr: o.address ?? null,
      },
    );
    await store.exec(
      `INSERT INTO order_places (order_id, cell, grid_id, district, street, match, coord_status, seq) VALUES ($id, $cell, $grid, $d, $s, 'point', 'inside', 1)`,
      { id: o.id, cell: o.cell ?? null, grid: o.grid ?? null, d: o.district ?? '东区', s: o.street ?? '甲街道' },
    );
    await store.exec(`INSERT INTO order_flags (order_id, is_repeat, out_of_scope, seq) VALUES ($id, $r, $oos, 1)`, {
      id: o.id,
      r: Boolean(o.repeat),
      oos: Boolean(o.outOfScope),
    });
  }
}

export async function addHotspot(
  store: Store,
  h: {
    asOf: string;
    cell: string;
    category: string | null;
    count: number;
    z: number;
    kind?: string;
    grid?: string;
    district?: string;
    street?: string;
  },
): Promise<void> {
  await store.exec(
    `INSERT INTO hotspots (as_of, cell, lon, lat, category, count, z, p, q, kind, grid_id, district, street) VALUES ($as_of::DATE, $cell, 116.4, 39.9, $cat, $count, $z, 0.001, 0.01, $kind, $grid, $d, $s)`,
    {
      as_of: h.asOf,
      cell: h.cell,
      cat: h.category,
      count: h.count,
      z: h.z,
      kind: h.kind ?? 'hot',
      grid: h.grid ?? null,
      d: h.district ?? '东区',
      s: h.street ?? '甲街道',
    },
  );
}

export async function addTopic(
  store: Store,
  month: string,
  category: string,
  opts: { select?: boolean; lead?: string; co?: string[] } = {},
): Promise<void> {
  await store.exec(
    `INSERT INTO topic_candidates (month, rank, category, level, score, reasons, evidence, lead_unit, co_units, computed_at) VALUES ($m, 1, $c, 2, 3.5, '[]', '{}', $lead, $co::JSON, now()::TIMESTAMP)`,
    { m: month, c: category, lead: opts.lead ?? '市城市管理委员会', co: JSON.stringify(opts.co ?? ['区供热办']) },
  );
  if (opts.select)
    await store.exec(
      `INSERT INTO topic_selections (month, category, selected_at, selected_by) VALUES ($m, $c, now()::TIMESTAMP, '市长')`,
      { m: month, c: category },
    );
}

export const RECIPIENTS = [
  { id: 'g1', name: '网格员张三', kind: 'grid', grids: ['G1'], token: 'token-grid-one-0123456789' },
  { id: 'g2', name: '网格员李四', kind: 'grid', grids: ['G2'], token: 'token-grid-two-0123456789' },
  { id: 's1', name: '甲街道办', kind: 'street', streets: ['甲街道'], token: 'token-street-a-0123456789' },
  { id: 'u1', name: '市城管委', kind: 'unit', units: ['市城市管理委员会'], token: 'token-unit-one-0123456789' },
];

/** Streetlight hotspot in C1/G1 on 2026-03-01, heating topic for 2026-03 selected (see items.test.ts). */
export async function seedScenario(store: Store): Promise<void> {
  const orders: FxOrder[] = [];
  // a broken-streetlight cluster in cell C1 / grid G1 in the 4 weeks before 2026-03-01
  for (let i = 0; i < 8; i++)
    orders.push({
      id: `L${i}`,
      at: `2026-02-${String(10 + i).padStart(2, '0')} 09:00:00`,
      category: '城市管理/路灯照明/路灯不亮',
      cell: 'C1',
      grid: 'G1',
      content: `路灯不亮，联系电话13812345678，第${i}次`,
      repeat: i > 4,
      // where to go: most of them name one spot (one address masked as the text around it would be), two another
      address: i < 5 ? '幸福路12号北门 电话138****5678' : i < 7 ? '幸福路20号' : undefined,
    });
  // heating complaints in February in grids G1 and G2 (topic for March), and a few in January
  for (let i = 0; i < 6; i++)
    orders.push({
      id: `H1-${i}`,
      at: `2026-02-0${1 + i} 10:00:00`,
      category: '城乡建设/供暖/暖气不热',
      cell: 'C1',
      grid: 'G1',
    });
  for (let i = 0; i < 4; i++)
    orders.push({
      id: `H2-${i}`,
      at: `2026-02-1${i} 10:00:00`,
      category: '城乡建设/供暖/暖气不热',
      cell: 'C2',
      grid: 'G2',
      street: '乙街道',
    });
  for (let i = 0; i < 2; i++)
    orders.push({
      id: `HJ-${i}`,
      at: `2026-01-2${i} 10:00:00`,
      category: '城乡建设/供暖/暖气不热',
      cell: 'C1',
      grid: 'G1',
    });
  // an order after the as-of must not count
  orders.push({ id: 'FUT', at: '2026-03-02 10:00:00', category: '城乡建设/供暖/暖气不热', cell: 'C1', grid: 'G1' });
  await addOrders(store, orders);
  await addHotspot(store, {
    asOf: '2026-03-01',
    cell: 'C1',
    category: '城市管理/路灯照明',
    count: 8,
    z: 3.1,
    kind: 'hot',
    grid: 'G1',
  });
  await addHotspot(store, {
    asOf: '2026-03-01',
    cell: 'C1',
    category: '城市管理/路灯照明',
    count: 8,
    z: 2.5,
    kind: 'persistent',
    grid: 'G1',
  });
  await addHotspot(store, {
    asOf: '2026-03-01',
    cell: 'C9',
    category: '城市管理/路灯照明',
    count: 2,
    z: 1.0,
    kind: 'hot',
  }); // below thresholds
  await addTopic(store, '2026-03', '城乡建设/供暖', { select: true });
}
