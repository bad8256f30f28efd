import type { Store } from '../../src/store/db.js';

/** One order for a hand-built fixture; unspecified columns are NULL. */
export interface FixtureOrder {
  order_id: string;
  created_at: string;
  category: string;
  content: string;
  district?: string;
  street?: string;
  community?: string;
  address?: string;
  lon?: number;
  lat?: number;
  caller_hash?: string;
  dept?: string;
  closed_at?: string;
  dispatch_count?: number;
  reopened?: boolean;
}

/** Write orders straight into the store as ingest would (same seq for the batch; an existing id is replaced). */
export async function putOrders(store: Store, orders: FixtureOrder[], seq: number): Promise<void> {
  for (const o of orders) {
    const parts = o.category.split('/');
    await store.exec('DELETE FROM orders WHERE order_id = $id', { id: o.order_id });
    await store.exec(
      `INSERT INTO orders (order_id, created_at, category, cat1, cat2, content, district, street, community, address, lon, lat,
         caller_hash, dept, closed_at, dispatch_count, reopened, row_hash, first_seq, seq, loaded_at)
       VALUES ($id, CAST($created AS TIMESTAMP), $category, $cat1, $cat2, $content, $district, $street, $community, $address,
         $lon, $lat, $caller, $dept, CAST($closed AS TIMESTAMP), $dispatch, $reopened, 0, $seq, $seq, current_localtimestamp())`,
      {
        id: o.order_id,
        created: o.created_at,
        category: o.category,
        cat1: parts[0],
        cat2: parts.slice(0, 2).join('/'),
        content: o.content,
        district: o.district ?? null,
        street: o.street ?? null,
        community: o.community ?? null,
        address: o.address ?? null,
        lon: o.lon ?? null,
        lat: o.lat ?? null,
        caller: o.caller_hash ?? null,
        dept: o.dept ?? null,
        closed: o.closed_at ?? null,
        dispatch: o.dispatch_count ?? null,
        reopened: o.reopened ?? null,
        seq,
      },
    );
  }
}
