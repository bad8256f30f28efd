import {
  DuckDBConnection,
  DuckDBInstance,
  DuckDBTypeId,
  JsonDuckDBValueConverter,
  createDuckDBValueConverter,
  numberFromValue,
  doubleFromDecimalValue,
  type DuckDBValue,
  type DuckDBValueConverter,
  type Json,
} from '@duckdb/node-api';
import { migrate } from './migrate.js';

export type Params =
  | Record<string, DuckDBValue | number | string | boolean | null>
  | Array<DuckDBValue | number | string | boolean | null>;
export type Row = Record<string, Json>;

// Counts come back from DuckDB as BIGINT; JS code wants numbers. Values beyond 2^53 do not occur in this domain.
const numberConverter: DuckDBValueConverter<Json> = createDuckDBValueConverter<Json>({
  ...(Object.fromEntries(
    Object.values(DuckDBTypeId)
      .filter((v): v is DuckDBTypeId => typeof v === 'number')
      .map((id) => [
        id,
        (v: DuckDBValue, t: Parameters<DuckDBValueConverter<Json>>[1], c: DuckDBValueConverter<Json>) =>
          JsonDuckDBValueConverter(v, t, c),
      ]),
  ) as Record<DuckDBTypeId, DuckDBValueConverter<Json>>),
  [DuckDBTypeId.BIGINT]: numberFromValue,
  [DuckDBTypeId.UBIGINT]: numberFromValue,
  [DuckDBTypeId.HUGEINT]: numberFromValue,
  [DuckDBTypeId.UHUGEINT]: numberFromValue,
  [DuckDBTypeId.DECIMAL]: doubleFromDecimalValue,
});

export interface OpenOptions {
  /** Apply pending migrations from sql/schema (default true). */
  migrate?: boolean;
  /** DuckDB memory_limit, e.g. '1GB' (default: WEISU_MEMORY_LIMIT, else 1GB for a file, unlimited in memory). */
  memoryLimit?: string;
  threads?: number;
  /** Open the file read-only (no migrations; several read-only processes may share it). */
  readOnly?: boolean;
}

/**
 * One DuckDB database file and one connection. DuckDB allows a single writing process per file, so a
 * process opens the store once and passes it to the stages it runs.
 */
export class Store {
  private txDepth = 0;

  private constructor(
    readonly path: string,
    private readonly instance: DuckDBInstance,
    readonly conn: DuckDBConnection,
  ) {}

  static async open(path: string, opts: OpenOptions = {}): Promise<Store> {
    const config: Record<string, string> = {};
    // DuckDB would take 80% of the machine by default; a bounded buffer pool makes it spill to disk instead, so
    // a first run over millions of orders fits the nightly memory budget. WEISU_MEMORY_LIMIT overrides.
    const memoryLimit = opts.memoryLimit ?? process.env.WEISU_MEMORY_LIMIT ?? (path === ':memory:' ? undefined : '1GB');
    if (memoryLimit) config.memory_limit = memoryLimit;
    if (opts.threads) config.threads = String(opts.threads);
    if (opts.readOnly) config.access_mode = 'READ_ONLY';
    let instance: DuckDBInstance;
    try {
      instance = await DuckDBInstance.create(path, config);
    } catch (err) {
      const msg = (err as Error).message;
      if (/lock/i.test(msg)) throw new Error(`store ${path} is in use by another process (${msg.split('\n')[0]})`);
      throw err;
    }
    const conn = await instance.connect();
    const store = new Store(path, instance, conn);
    await store.exec("SET TimeZone = 'Asia/Shanghai'");
    if (opts.migrate !== false && !opts.readOnly) await migrate(store);
    return store;
  }

  /** Run one or more statements; returns the number of rows changed by the last one when DuckDB reports it. */
  async exec(text: string, params?: Params): Promise<number> {
    const res = await this.conn.run(text, params as never);
    return Number(res.rowsChanged ?? 0);
  }

  /**
   * Run a file of several statements with named parameters: each statement is bound with just the parameters it
   * names, so one params object serves a whole script. Returns rows changed per statement.
   */
  async script(
    text: string,
    params: Record<string, DuckDBValue | number | string | boolean | null> = {},
  ): Promise<number[]> {
    const extracted = await this.conn.extractStatements(text);
    const changed: number[] = [];
    for (let i = 0; i < extracted.count; i++) {
      const stmt = await extracted.prepare(i);
      const values: Record<string, unknown> = {};
      for (let p = 1; p <= stmt.parameterCount; p++) {
        const name = stmt.parameterName(p);
        if (!(name in params)) throw new Error(`SQL parameter $${name} not given`);
        values[name] = params[name];
      }
      if (stmt.parameterCount > 0) stmt.bind(values as never);
      const res = await stmt.run();
      changed.push(Number(res.rowsChanged ?? 0));
    }
    return changed;
  }

  /** All rows of a query as plain objects; BIGINT and DECIMAL become numbers, DATE and TIMESTAMP strings. */
  async all<T = Row>(text: string, params?: Params): Promise<T[]> {
    const reader = await this.conn.runAndReadAll(text, params as never);
    return reader.convertRowObjects(numberConverter) as unknown as T[];
  }

  async one<T = Row>(text: string, params?: Params): Promise<T | undefined> {
    const rows = await this.all<T>(text, params);
    return rows[0];
  }

  /** The first column of the first row. */
  async value<T = Json>(text: string, params?: Params): Promise<T | undefined> {
    const row = await this.one<Row>(text, params);
    if (!row) return undefined;
    return Object.values(row)[0] as T;
  }

  /**
   * Run fn inside one transaction: either all it wrote is committed or nothing is. Nested calls join the
   * outer transaction.
   */
  async tx<T>(fn: () => Promise<T>): Promise<T> {
    if (this.txDepth > 0) return fn();
    await this.conn.run('BEGIN TRANSACTION');
    this.txDepth++;
    try {
      const out = await fn();
      await this.conn.run('COMMIT');
      return out;
    } catch (err) {
      try {
        await this.conn.run('ROLLBACK');
      } catch {
        /* the transaction may already be aborted */
      }
      throw err;
    } finally {
      this.txDepth--;
    }
  }

  get inTransaction(): boolean {
    return this.txDepth > 0;
  }

  async checkpoint(): Promise<void> {
    await this.conn.run('CHECKPOINT');
  }

  close(): void {
    this.conn.closeSync();
    this.instance.closeSync();
  }
}
