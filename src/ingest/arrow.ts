import { readFileSync } from 'node:fs';
import { RecordBatchReader, DataType, type Field } from 'apache-arrow';
import type { Store } from '../store/db.js';
import { UserError } from '../store/errors.js';
import { createUnreadable, type Source, TempRowWriter, uniqueHeaders, viewOverRows } from './staging.js';
import { statedZone, wallText } from './zones.js';

/**
 * Arrow IPC (file or stream format), batch by batch into the staging table; `_line` is the 1-based row number.
 * Timestamps without a zone are wall-clock local times. A timestamp with a zone is an instant kept by its writer in
 * that zone: it is written as that zone's wall clock with its offset (2018-10-24T18:00:00.000-04:00 for
 * America/Toronto), which the SQL reads as any time with a written offset — its own wall clock when the config names
 * no city zone, converted to the city's zone when it does. With UTC as its zone it is an instant only, written with
 * 'Z' (read in the city's zone, by default Asia/Shanghai).
 */
export async function readArrow(store: Store, path: string): Promise<Source> {
  let reader: RecordBatchReader;
  try {
    reader = RecordBatchReader.from(readFileSync(path));
    reader.open();
  } catch (err) {
    throw new UserError(`${path}：不是可读的 Arrow IPC 文件（${(err as Error).message.split('\n')[0]}）`);
  }
  const fields: Field[] = reader.schema.fields;
  const headers = uniqueHeaders(fields.map((f) => f.name));
  const conv = fields.map((f) => converter(f.type));
  const w = await TempRowWriter.create(store, 'ingest_arrow', headers);
  let line = 0;
  try {
    for (const batch of reader) {
      const cols = fields.map((_, i) => batch.getChildAt(i));
      for (let r = 0; r < batch.numRows; r++) {
        line++;
        w.row(
          line,
          cols.map((c, i) => conv[i](c?.get(r))),
        );
      }
    }
  } finally {
    w.close();
  }
  await viewOverRows(store, 'ingest_arrow', headers);
  await createUnreadable(store);
  return { headers, linesExact: true, cleanup: () => {} };
}

function converter(type: DataType): (v: unknown) => string | null {
  if (DataType.isTimestamp(type) || DataType.isDate(type)) {
    const tz = DataType.isTimestamp(type) ? (type as { timezone?: string | null }).timezone : undefined;
    const stated = statedZone(tz);
    return (v) => {
      if (v === null || v === undefined) return null;
      const ms = v instanceof Date ? v.getTime() : Number(v);
      if (stated) return wallText(ms, stated);
      const iso = new Date(ms).toISOString().replace('T', ' ');
      return tz ? iso.replace(' ', 'T') : iso.slice(0, -1);
    };
  }
  return (v) => {
    if (v === null || v === undefined) return null;
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return String(v);
    if (v instanceof Date) return v.toISOString();
    return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? String(x) : x));
  };
}
