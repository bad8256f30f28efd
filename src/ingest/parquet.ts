import { DataType, RecordBatchReader, type Field } from 'apache-arrow';
import type { Store } from '../store/db.js';
import { ident, lit } from '../store/sql.js';
import { createUnreadable, type Source } from './staging.js';
import { statedZone, type StatedZone } from './zones.js';

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
  const zones = await parquetZones(store, path);
  const cols = columns
    .map((d) => {
      const c = ident(d.column_name);
      // a TIMESTAMPTZ prints with its offset (session zone), which created_at parsing understands, or as the wall
      // clock of the zone the file states (parquetZones) with that zone's offset; a list (the
      // export's category_levels) as JSON, whose strings stay whole where DuckDB's own text would not quote them
      if (d.column_type.endsWith('[]')) return `to_json(${c})::VARCHAR AS ${c}`;
      const zone = d.column_type === 'TIMESTAMP WITH TIME ZONE' ? zones.get(d.column_name) : undefined;
      if (zone) return `${zonedText(c, zone)} AS ${c}`;
      return `CAST(${c} AS ${numeric.has(d.column_name) ? 'DOUBLE' : 'VARCHAR'}) AS ${c}`;
    })
    .join(', ');
  await store.exec(
    `CREATE OR REPLACE TEMP VIEW ingest_src AS SELECT file_row_number AS _rec, file_row_number + 1 AS _line, ${cols} FROM ${src}`,
  );
  await createUnreadable(store);
  return { headers, numeric, linesExact: true, cleanup: () => {} };
}

/**
 * The zone each zoned timestamp column was kept in, as the file's Arrow schema states it (the footer key
 * ARROW:schema, which pyarrow, pandas and polars write: Parquet itself keeps only the instant). A column whose zone is
 * UTC, unknown, or not stated is absent: its instants are read as 'Z' times. An unreadable schema states nothing.
 */
export async function parquetZones(store: Store, path: string): Promise<Map<string, NonNullable<StatedZone>>> {
  const out = new Map<string, NonNullable<StatedZone>>();
  const b64 = await store.value<string>(
    "SELECT decode(value) FROM parquet_kv_metadata($path) WHERE key = 'ARROW:schema'::BLOB LIMIT 1",
    { path },
  );
  if (!b64) return out;
  let fields: Field[];
  try {
    // one IPC schema message; an end-of-stream marker after it makes it a stream the reader opens
    const reader = RecordBatchReader.from(Buffer.concat([Buffer.from(b64, 'base64'), END_OF_STREAM]));
    reader.open();
    fields = reader.schema.fields;
  } catch {
    return out;
  }
  for (const f of fields) {
    if (!DataType.isTimestamp(f.type)) continue;
    const z = statedZone((f.type as { timezone?: string | null }).timezone);
    // a zone name goes into the view as a literal: only one DuckDB itself knows
    if (z && 'zone' in z && !(await store.value<number>(ZONE_KNOWN, { z: z.zone }))) continue;
    if (z) out.set(f.name, z);
  }
  return out;
}

const END_OF_STREAM = Buffer.from([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]);
const ZONE_KNOWN = 'SELECT count(*) FROM pg_timezone_names() WHERE name = $z';

/** The view's expression for a zoned column: its instants as the stated zone's wall clock with the offset. */
function zonedText(column: string, z: NonNullable<StatedZone>): string {
  if ('zone' in z) return `ingest_zoned_text(${column}, ${lit(z.zone)})`;
  const seconds = Math.round(z.offsetMs / 1000);
  if (!Number.isInteger(seconds)) throw new Error(`unexpected offset ${z.offsetMs}`);
  return `ingest_offset_text(${column}, ${seconds})`;
}
