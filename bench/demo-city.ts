import type { Store } from '../src/store/db.js';

/**
 * Load a generated demo city's Parquet orders straight into the store's orders table (what `weisu ingest` would
 * write), so the spatial bench and tests do not depend on the ingest stage. Returns the number of orders.
 */
export async function loadDemoOrders(store: Store, files: string[], seq = 1): Promise<number> {
  const list = files.map((f) => `'${f.replaceAll("'", "''")}'`).join(', ');
  await store.exec(`
    INSERT INTO orders (order_id, created_at, category, cat1, cat2, content, district, street, community, address, lon, lat,
                        row_hash, first_seq, seq, loaded_at)
    SELECT order_id, created_at, category, split_part(category, '/', 1), array_to_string(string_split(category, '/')[1:2], '/'),
           content, district, street, community, address, lon, lat, hash(order_id), ${seq}, ${seq}, now()
    FROM read_parquet([${list}])`);
  return (await store.value<number>('SELECT count(*) FROM orders')) ?? 0;
}
