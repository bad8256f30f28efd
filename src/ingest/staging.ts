import type { DuckDBAppender } from '@duckdb/node-api';
import type { Store } from '../store/db.js';
import { ident } from '../store/sql.js';
import type { Format } from './files.js';

/**
 * What every reader produces, whatever the format:
 *  - temp view `ingest_src` with `_rec` (0-based record order), `_line` (line or row in the file, as a person
 *    counts it) and one VARCHAR column per source header (a typed format may keep its DOUBLE columns: `numeric`);
 *  - temp table `ingest_unreadable (line, reason, code, raw)` for rows that could not be parsed at all.
 */
export interface Source {
  headers: string[];
  /** Headers whose column ingest_src keeps as DOUBLE, so coordinates skip a round trip through text. */
  numeric?: ReadonlySet<string>;
  encoding?: string;
  /** The format the reader found, where the extension does not tell it: 'json' for one JSON document of records. */
  format?: Format;
  /** True when _line is exact already; otherwise exactLines() makes it so. */
  linesExact: boolean;
  /** Rows above the header that were skipped (a title row of an office export), for the load's warning. */
  title?: Array<{ line: number; text: string }>;
  /** The header's line (row) in the file, when rows above it were skipped. */
  headerLine?: number;
  /** Make ingest_src._line and ingest_unreadable.line true file lines (called before the rows are validated). */
  exactLines?: () => Promise<void>;
  cleanup: () => void;
}

export async function createUnreadable(store: Store): Promise<void> {
  await store.exec(
    'CREATE OR REPLACE TEMP TABLE ingest_unreadable (line BIGINT, reason VARCHAR, code VARCHAR, raw VARCHAR)',
  );
}

/** Unique, non-empty column names for a header row (duplicates get a suffix, as DuckDB would). */
export function uniqueHeaders(raw: Array<string | null | undefined>): string[] {
  const seen = new Map<string, number>();
  return raw.map((h, i) => {
    let name = String(h ?? '')
      .replace(/^\uFEFF/, '')
      .trim();
    // a header cell left empty (pandas' unnamed index, a blank cell) is named as the user finds it: by its place
    if (!name) name = `第${i + 1}列（无列名）`;
    const n = seen.get(name) ?? 0;
    seen.set(name, n + 1);
    return n ? `${name}_${n + 1}` : name;
  });
}

/**
 * A temp table of (_line BIGINT, <headers> VARCHAR) filled row by row through DuckDB's appender, for formats
 * DuckDB cannot read itself (XLSX, Arrow IPC, JSON Lines before parsing).
 */
export class TempRowWriter {
  private constructor(
    private readonly appender: DuckDBAppender,
    private readonly width: number,
  ) {}

  static async create(store: Store, table: string, headers: string[]): Promise<TempRowWriter> {
    const cols = ['_line BIGINT', ...headers.map((h) => `${ident(h)} VARCHAR`)].join(', ');
    await store.exec(`CREATE OR REPLACE TEMP TABLE ${ident(table)} (${cols})`);
    const appender = await store.conn.createAppender(table, 'main', 'temp');
    return new TempRowWriter(appender, headers.length);
  }

  /** An appender on a table made earlier (e.g. after ALTER TABLE added columns), `width` VARCHARs after _line. */
  static async attach(store: Store, table: string, width: number): Promise<TempRowWriter> {
    return new TempRowWriter(await store.conn.createAppender(table, 'main', 'temp'), width);
  }

  row(line: number, values: Array<string | null>): void {
    this.appender.appendBigInt(BigInt(line));
    for (let i = 0; i < this.width; i++) {
      const v = values[i];
      if (v === null || v === undefined) this.appender.appendNull();
      else this.appender.appendVarchar(v);
    }
    this.appender.endRow();
  }

  close(): void {
    this.appender.flushSync();
    this.appender.closeSync();
  }
}

/** The common view over a temp table written by TempRowWriter: record order is insertion order. */
export async function viewOverRows(store: Store, table: string, headers: string[]): Promise<void> {
  const cols = headers.map((h) => ident(h)).join(', ');
  // rowids of a table created inside a transaction do not start at 0 (and exceed 2^53): count from the first
  await store.exec(
    `CREATE OR REPLACE TEMP VIEW ingest_src AS SELECT rowid - (SELECT min(rowid) FROM ${ident(table)}) AS _rec, _line${cols ? ', ' + cols : ''} FROM ${ident(table)}`,
  );
}
