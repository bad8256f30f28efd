/**
 * Load a generated demo city (src/synth) straight into a store: orders (the columns detection reads) and
 * daily_counts by the names the export gives. This skips ingest / tag / place on purpose, so detection is
 * measured on its own; `weisu demo` runs the full chain.
 */
import type { Store } from '../../src/store/db.js';
import { lit } from '../../src/store/sql.js';

export async function loadDemoOrders(store: Store, parquetFiles: readonly string[]): Promise<number> {
  const files = `[${parquetFiles.map(lit).join(', ')}]`;
  await store.exec(`
    INSERT INTO orders (order_id, created_at, category, cat1, cat2, content, district, street, row_hash, first_seq, seq, loaded_at)
    SELECT order_id, created_at, category,
           split_part(category, '/', 1),
           CASE WHEN split_part(category, '/', 2) = '' THEN split_part(category, '/', 1)
                ELSE split_part(category, '/', 1) || '/' || split_part(category, '/', 2) END,
           content, district, street, 0, 1, 1, now()
    FROM read_parquet(${files})`);
  await store.exec('DELETE FROM daily_counts');
  await store.exec(`
    INSERT INTO daily_counts
    SELECT created_at::DATE, cat1, cat2, district, street, count(*)::INTEGER, 0, 0, 0, 0
    FROM orders GROUP BY ALL`);
  await store.exec('DELETE FROM daily_leaf_counts');
  await store.exec(`
    INSERT INTO daily_leaf_counts (day, category, district, street, n)
    SELECT created_at::DATE, category, district, street, count(*)::INTEGER
    FROM orders WHERE length(category) - length(replace(category, '/', '')) >= 2 GROUP BY ALL`);
  return (await store.value<number>('SELECT count(*) FROM orders')) ?? 0;
}
