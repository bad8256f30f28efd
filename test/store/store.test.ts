import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Store } from '../../src/store/db.js';
import { listMigrations } from '../../src/store/migrate.js';
import { addMonths, parseAsOf, weekStart } from '../../src/store/dates.js';
import { loadTaxonomy, categoryLevels } from '../../src/store/taxonomy.js';
import { tempDir, tempStore, runCli } from '../helpers.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

describe('store', () => {
  it('applies every migration once and records it', async () => {
    const t = await tempStore();
    cleanup = t.cleanup;
    const versions = (
      await t.store.all<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version')
    ).map((r) => r.version);
    expect(versions).toEqual(listMigrations().map((m) => m.version));
    t.store.close();
    // reopening applies nothing new and keeps data
    const again = await Store.open(t.dbPath);
    expect(await again.value('SELECT count(*) FROM schema_migrations')).toBe(versions.length);
    again.close();
  });

  it("0006 rebuilds an older store's orders with fixed compressions and keeps every order", async () => {
    const { dir, cleanup: rm } = tempDir();
    cleanup = rm;
    const dbPath = join(dir, 'old.duckdb');
    // a store as versions before 0006 left it: the earlier migrations only, and orders in it
    const old = await Store.open(dbPath, { migrate: false });
    await old.exec(
      'CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL DEFAULT current_localtimestamp())',
    );
    for (const m of listMigrations().filter((m) => m.version < 6)) {
      await old.exec(readFileSync(m.file, 'utf8'));
      await old.exec('INSERT INTO schema_migrations (version, name) VALUES ($v, $n)', { v: m.version, n: m.name });
    }
    await old.exec(`INSERT INTO orders (order_id, created_at, category, cat1, cat2, content, district, caller_hash, row_hash, first_seq, seq, loaded_at)
      SELECT 'O' || i, TIMESTAMP '2024-01-01' + to_minutes(i), 'A/B', 'A', 'A/B', '同一句话', 'D' || (i % 3), md5(i::VARCHAR), hash(i), 1, 1, TIMESTAMP '2024-06-01'
      FROM range(5000) t(i)`);
    await old.exec('CHECKPOINT');
    const before = await old.all('SELECT * FROM orders ORDER BY order_id');
    // DuckDB's own trial picks something other than FSST for a text that never changes
    expect(
      await old.value(
        "SELECT first(compression) FROM pragma_storage_info('orders') WHERE column_name = 'content' AND segment_type = 'VARCHAR'",
      ),
    ).not.toBe('FSST');
    old.close();
    const store = await Store.open(dbPath);
    try {
      // (0010 adds category_levels, filled from the path: the older columns are what must be kept)
      expect(await store.all('SELECT * EXCLUDE (category_levels) FROM orders ORDER BY order_id')).toEqual(before);
      expect(await store.value("SELECT count(*) FROM orders WHERE category_levels = ['A', 'B']")).toBe(5000);
      await store.exec('CHECKPOINT');
      const used = Object.fromEntries(
        (
          await store.all<{ column_name: string; c: string }>(
            "SELECT column_name, string_agg(DISTINCT compression, ',') AS c FROM pragma_storage_info('orders') WHERE segment_type = 'VARCHAR' GROUP BY ALL",
          )
        ).map((r) => [r.column_name, r.c]),
      );
      expect(used).toMatchObject({
        order_id: 'FSST',
        content: 'FSST',
        caller_hash: 'FSST',
        category: 'Dictionary',
        district: 'Dictionary',
      });
      expect(await store.value('SELECT max(version) FROM schema_migrations')).toBe(
        Math.max(...listMigrations().map((m) => m.version)),
      );
    } finally {
      store.close();
    }
  });

  it('rolls back everything a failed transaction wrote', async () => {
    const t = await tempStore();
    cleanup = t.cleanup;
    await expect(
      t.store.tx(async () => {
        await t.store.exec("INSERT INTO settings VALUES ('a', '1')");
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await t.store.value('SELECT count(*) FROM settings')).toBe(0);
  });

  it('binds only the parameters each statement of a script names', async () => {
    const t = await tempStore();
    cleanup = t.cleanup;
    const changed = await t.store.script(
      "INSERT INTO settings VALUES ($k, 'x'); INSERT INTO settings VALUES ('other', $v);",
      { k: 'key', v: 'val' },
    );
    expect(changed).toEqual([1, 1]);
    expect(await t.store.all('SELECT * FROM settings ORDER BY key')).toEqual([
      { key: 'key', value: 'x' },
      { key: 'other', value: 'val' },
    ]);
  });

  it('returns counts as numbers, dates as strings', async () => {
    const t = await tempStore();
    cleanup = t.cleanup;
    const row = await t.store.one("SELECT count(*) AS n, DATE '2024-02-29' AS d, 1.5::DECIMAL(4,1) AS x");
    expect(row).toEqual({ n: 1, d: '2024-02-29', x: 1.5 });
  });
});

describe('dates', () => {
  it('validates --as-of', () => {
    expect(parseAsOf('2024-02-29')).toBe('2024-02-29');
    expect(() => parseAsOf('2023-02-29')).toThrow(/不是日历上存在的日期/);
    expect(() => parseAsOf('2024/01/01')).toThrow(/YYYY-MM-DD/);
  });
  it('finds Monday week starts and adds months', () => {
    expect(weekStart('2024-01-07')).toBe('2024-01-01'); // Sunday → Monday before
    expect(weekStart('2024-01-01')).toBe('2024-01-01');
    expect(addMonths('2024-12', 1)).toBe('2025-01');
    expect(addMonths('2024-01', -1)).toBe('2023-12');
  });
});

describe('taxonomy', () => {
  it('has at least 12 level-1 and 60 level-2 categories', () => {
    const t = loadTaxonomy();
    expect(t.level1.length).toBeGreaterThanOrEqual(12);
    expect(t.level2.length).toBeGreaterThanOrEqual(60);
    expect(categoryLevels('城乡建设/供暖/暖气不热')).toEqual({ cat1: '城乡建设', cat2: '城乡建设/供暖' });
    expect(categoryLevels('其他')).toEqual({ cat1: '其他', cat2: '其他' });
  });
});

describe('cli', () => {
  it('rejects a bad --as-of with one line on stderr and exit 2', () => {
    const r = runCli(['--db', ':memory:', 'run', 'nightly', '--as-of', '2024-13-40']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/--as-of/);
    expect(r.stdout).toBe('');
  });
});
