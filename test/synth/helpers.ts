import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

/** A scratch in-memory DuckDB to query generated files with SQL. */
export async function duck(): Promise<{
  conn: DuckDBConnection;
  all: <T = Record<string, unknown>>(sql: string) => Promise<T[]>;
  close: () => void;
}> {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  return {
    conn,
    all: async <T>(sql: string) => {
      const r = await conn.runAndReadAll(sql);
      return r.getRowObjectsJson() as unknown as T[];
    },
    close: () => {
      conn.closeSync();
      db.closeSync();
    },
  };
}

export function files(list: string[]): string {
  return `[${list.map((f) => `'${f.replaceAll("'", "''")}'`).join(', ')}]`;
}
