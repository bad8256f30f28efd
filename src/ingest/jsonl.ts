import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Store } from '../store/db.js';
import { ident, lit } from '../store/sql.js';
import { createUnreadable, type Source, TempRowWriter } from './staging.js';

/**
 * JSON Lines: each line goes to a temp table as text with its line number, and DuckDB parses the JSON. A line that
 * is not a JSON object is unreadable (quarantined with its line); blank lines are skipped.
 */
export async function readJsonl(store: Store, path: string): Promise<Source> {
  const w = await TempRowWriter.create(store, 'ingest_jsonl', ['j']);
  try {
    const rl = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
    let line = 0;
    for await (const text of rl) {
      line++;
      const t = line === 1 ? text.replace(/^\uFEFF/, '') : text;
      if (t.trim()) w.row(line, [t]);
    }
  } finally {
    w.close();
  }
  await createUnreadable(store);
  await store.exec(`INSERT INTO ingest_unreadable (line, reason, raw)
    SELECT _line, 'unreadable row: not a JSON object', j FROM ingest_jsonl
    WHERE NOT CASE WHEN json_valid(j) THEN json_type(j) = 'OBJECT' ELSE false END`);
  await store.exec(`CREATE OR REPLACE TEMP TABLE ingest_jsonl_ok AS
    SELECT _line, j FROM ingest_jsonl WHERE CASE WHEN json_valid(j) THEN json_type(j) = 'OBJECT' ELSE false END ORDER BY _line`);
  const keys = await store.all<{ k: string }>(
    'SELECT k FROM (SELECT unnest(json_keys(j)) AS k, _line FROM ingest_jsonl_ok) GROUP BY k ORDER BY min(_line), k',
  );
  const headers = keys.map((r) => r.k);
  // ->> gives text for strings and the JSON text of numbers, booleans and nested values
  const cols = headers.map((h) => `j->>${lit('$."' + h.replace(/"/g, '\\"') + '"')} AS ${ident(h)}`).join(', ');
  await store.exec(
    `CREATE OR REPLACE TEMP VIEW ingest_src AS SELECT rowid - (SELECT min(rowid) FROM ingest_jsonl_ok) AS _rec, _line${cols ? ', ' + cols : ''} FROM ingest_jsonl_ok`,
  );
  return { headers, linesExact: true, cleanup: () => {} };
}
