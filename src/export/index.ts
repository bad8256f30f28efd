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

/** The latest state of each derived table, as Arrow IPC files for dashboards and other tools. */
const LATEST: Record<string, string> = {
  daily_counts:
    'SELECT day::VARCHAR AS day, cat1, cat2, district, street, n, n_repeat, n_out_of_scope, n_unsatisfied, n_closed FROM daily_counts WHERE day < $before::DATE ORDER BY day',
  alerts:
    'SELECT * EXCLUDE (details), details::VARCHAR AS details FROM alerts WHERE as_of = (SELECT max(as_of) FROM alerts WHERE as_of <= $before::DATE)',
  hotspots: 'SELECT * FROM hotspots WHERE as_of = (SELECT max(as_of) FROM hotspots WHERE as_of <= $before::DATE)',
  forecasts: 'SELECT * FROM forecasts WHERE as_of = (SELECT max(as_of) FROM forecasts WHERE as_of <= $before::DATE)',
  topic_candidates:
    'SELECT * EXCLUDE (reasons, evidence, co_units), reasons::VARCHAR AS reasons, evidence::VARCHAR AS evidence, co_units::VARCHAR AS co_units FROM topic_candidates WHERE month = (SELECT max(month) FROM topic_candidates)',
};

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
  const orders =
    (await store.value<number>('SELECT count(*) FROM orders WHERE created_at < $before::TIMESTAMP', {
      before: opts.before,
    })) ?? 0;
  const partitions =
    (await store.value<number>(
      "SELECT count(DISTINCT strftime(created_at, '%Y-%m')) FROM orders WHERE created_at < $before::TIMESTAMP",
      { before: opts.before },
    )) ?? 0;
  const latestDir = join(dir, 'latest');
  mkdirSync(latestDir, { recursive: true });
  const aggregates: Record<string, number> = {};
  for (const [name, query] of Object.entries(LATEST)) {
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
