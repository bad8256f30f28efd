import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Store } from '../../src/store/db.js';

export interface TestOrder {
  id: string;
  created: string; // YYYY-MM-DD or timestamp
  category?: string; // l1/l2
  lon?: number | null;
  lat?: number | null;
  district?: string | null;
  street?: string | null;
  community?: string | null;
  channel?: string | null;
  seq?: number;
}

/** Insert orders straight into the store (what ingest would have written). */
export async function insertOrders(store: Store, orders: TestOrder[]): Promise<void> {
  if (orders.length === 0) return;
  const rows = orders.map((o) => ({
    order_id: o.id,
    created_at: o.created.length === 10 ? o.created + ' 10:00:00' : o.created,
    category: o.category ?? '城乡建设/供暖',
    lon: o.lon ?? null,
    lat: o.lat ?? null,
    district: o.district ?? null,
    street: o.street ?? null,
    community: o.community ?? null,
    channel: o.channel ?? null,
    seq: o.seq ?? 1,
  }));
  const dir = mkdtempSync(join(tmpdir(), 'weisu-orders-'));
  const file = join(dir, 'orders.jsonl');
  writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  await store.exec(
    `CREATE OR REPLACE TEMP TABLE test_orders_json AS SELECT json AS j FROM read_json_objects('${file}')`,
  );
  await store.exec(`
    INSERT INTO orders (order_id, created_at, category, cat1, cat2, content, district, street, community, lon, lat,
                        channel, row_hash, first_seq, seq, loaded_at)
    SELECT j->>'order_id', (j->>'created_at')::TIMESTAMP, j->>'category', split_part(j->>'category', '/', 1),
           array_to_string(string_split(j->>'category', '/')[1:2], '/'), 'test', j->>'district', j->>'street', j->>'community',
           (j->>'lon')::DOUBLE, (j->>'lat')::DOUBLE, j->>'channel', hash(j->>'order_id'), (j->>'seq')::BIGINT, (j->>'seq')::BIGINT, now()
    FROM test_orders_json`);
  await store.exec('DROP TABLE test_orders_json');
  rmSync(dir, { recursive: true, force: true });
}

export function rect(x0: number, y0: number, x1: number, y1: number): number[][][] {
  return [
    [
      [x0, y0],
      [x1, y0],
      [x1, y1],
      [x0, y1],
      [x0, y0],
    ],
  ];
}

export function featureCollection(
  features: { name: string; rings: number[][][]; props?: Record<string, unknown> }[],
): string {
  return JSON.stringify({
    type: 'FeatureCollection',
    features: features.map((f) => ({
      type: 'Feature',
      properties: { name: f.name, ...f.props },
      geometry: { type: 'Polygon', coordinates: f.rings },
    })),
  });
}

/**
 * Two districts side by side (甲区 west of lon 116.1, 乙区 east), 甲区 split into two streets at lat 39.95, one grid
 * in the south-west with a hole. Written to dir; returns the config section.
 */
export function writeTinyCity(dir: string): Record<string, unknown> {
  writeFileSync(
    join(dir, 'districts.geojson'),
    featureCollection([
      { name: '甲区', rings: rect(116.0, 39.9, 116.1, 40.0) },
      { name: '乙区', rings: rect(116.1, 39.9, 116.2, 40.0) },
    ]),
  );
  writeFileSync(
    join(dir, 'streets.geojson'),
    featureCollection([
      { name: '南街道', rings: rect(116.0, 39.9, 116.1, 39.95), props: { district: '甲区' } },
      { name: '北街道', rings: rect(116.0, 39.95, 116.1, 40.0), props: { district: '甲区' } },
      { name: '东街道', rings: rect(116.1, 39.9, 116.2, 40.0), props: { district: '乙区' } },
    ]),
  );
  writeFileSync(
    join(dir, 'grids.geojson'),
    JSON.stringify({
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          properties: { grid_id: 'G-001' },
          geometry: {
            type: 'Polygon',
            coordinates: [rect(116.0, 39.9, 116.05, 39.95)[0], rect(116.02, 39.92, 116.03, 39.93)[0]],
          },
        },
      ],
    }),
  );
  return {
    boundaries: {
      districts: join(dir, 'districts.geojson'),
      streets: join(dir, 'streets.geojson'),
      grids: join(dir, 'grids.geojson'),
    },
  };
}
