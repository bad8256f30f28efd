import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tableFromJSON, tableToIPC } from 'apache-arrow';
import type { Store } from '../store/db.js';
import { sql } from '../store/sql.js';

export interface ExportSummary {
  dir: string;
  orders: number;
  partitions: number;
  aggregates: Record<string, number>;
}

/** The derived tables whose latest state (sql/export/latest_<table>.sql) is written as Arrow IPC for dashboards. */
const LATEST = ['daily_counts', 'alerts', 'hotspots', 'forecasts', 'topic_candidates'];

/**
 * Write the store as `dir/orders/year=YYYY/month=MM/*.parquet` (readable back by `weisu ingest dir`, and by a
 * province running one SQL over many cities' folders) plus `dir/latest/<table>.arrow` and a manifest.
 */
export async function exportStore(
  store: Store,
  dir: string,
  opts: { city: string; before: string },
): Promise<ExportSummary> {
  const ordersDir = join(dir, 'orders');
  mkdirSync(ordersDir, { recursive: true });
  const copy = sql('export/orders_partitioned.sql').replace('__DIR__', ordersDir.replace(/'/g, "''"));
  await store.exec(copy, { city: opts.city, before: opts.before });
  const counts = await store.one<{ orders: number; partitions: number }>(sql('export/orders_counts.sql'), {
    before: opts.before,
  });
  const orders = counts?.orders ?? 0;
  const partitions = counts?.partitions ?? 0;
  const latestDir = join(dir, 'latest');
  mkdirSync(latestDir, { recursive: true });
  const aggregates: Record<string, number> = {};
  for (const name of LATEST) {
    const query = sql(`export/latest_${name}.sql`);
    const rows = await store.all<Record<string, unknown>>(
      query,
      query.includes('$before') ? { before: opts.before } : undefined,
    );
    if (rows.length === 0) continue;
    writeFileSync(join(latestDir, `${name}.arrow`), tableToIPC(tableFromJSON(rows), 'file'));
    aggregates[name] = rows.length;
  }
  const summary: ExportSummary = { dir, orders, partitions, aggregates };
  writeFileSync(
    join(dir, 'manifest.json'),
    JSON.stringify(
      {
        city: opts.city,
        before: opts.before,
        exported_at: new Date().toISOString(),
        layout: 'orders/year=YYYY/month=MM/*.parquet (Hive); latest/*.arrow (Arrow IPC file)',
        ...summary,
      },
      null,
      2,
    ),
  );
  return summary;
}
