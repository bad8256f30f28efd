import type { Store } from '../store/db.js';
import { ident, lit } from '../store/sql.js';
import { createUnreadable, type Source } from './staging.js';

/**
 * Parquet is read in place (no copy): every column cast to VARCHAR so the same validation applies to all formats,
 * except DOUBLE and DECIMAL columns, which stay numbers (printing a million coordinates and parsing them back cost a
 * tenth of a load; a FLOAT is printed, since widening it to DOUBLE would show its binary error: 116.3 → 116.30000305).
 * A Hive-partitioned export is read file by file; the partition columns (year=, month=) are not order fields.
 */
export async function readParquet(store: Store, path: string): Promise<Source> {
  const src = `read_parquet(${lit(path)}, file_row_number = true, hive_partitioning = false)`;
  const described = await store.all<{ column_name: string; column_type: string }>(`DESCRIBE SELECT * FROM ${src}`);
  const columns = described.filter((d) => d.column_name !== 'file_row_number');
  const headers = columns.map((d) => d.column_name);
  const numeric = new Set(
    columns.filter((d) => d.column_type === 'DOUBLE' || d.column_type.startsWith('DECIMAL')).map((d) => d.column_name),
  );
  const cols = columns
    .map((d) => {
      const c = ident(d.column_name);
      // a TIMESTAMPTZ prints with its offset (session zone), which created_at parsing understands; a list (the
      // export's category_levels) as JSON, whose strings stay whole where DuckDB's own text would not quote them
      if (d.column_type.endsWith('[]')) return `to_json(${c})::VARCHAR AS ${c}`;
      return `CAST(${c} AS ${numeric.has(d.column_name) ? 'DOUBLE' : 'VARCHAR'}) AS ${c}`;
    })
    .join(', ');
  await store.exec(
    `CREATE OR REPLACE TEMP VIEW ingest_src AS SELECT file_row_number AS _rec, file_row_number + 1 AS _line, ${cols} FROM ${src}`,
  );
  await createUnreadable(store);
  return { headers, numeric, linesExact: true, cleanup: () => {} };
}
