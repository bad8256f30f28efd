import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { afterEach, describe, expect, it } from 'vitest';
import { exportStore } from '../../src/export/index.js';
import { ingestFiles } from '../../src/ingest/index.js';
import { Store } from '../../src/store/db.js';
import { createLogger } from '../../src/store/log.js';
import { runCli, tempDir } from '../helpers.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

/** A small store with orders over three months, one with a masked phone number in its text. */
async function smallStore(dir: string): Promise<Store> {
  const csv = join(dir, 'orders.csv');
  const rows = [
    'order_id,created_at,category,content,district,street,lon,lat,caller_phone,dept,closed_at,satisfaction,resolved,dispatch_count,reopened',
  ];
  for (let i = 0; i < 90; i++) {
    const day = new Date(Date.UTC(2026, 7, 1) + i * 86_400_000).toISOString().slice(0, 10);
    rows.push(
      `X${i},${day} 09:${String(i % 60).padStart(2, '0')}:00,城乡建设/供暖/暖气不热,暖气不热 联系13912345${String(678 + i).slice(-3)},和平区,南湖街道,${116.3 + i / 1000},${39.9 + i / 2000},1390000${String(1000 + i)},热力公司,${i % 3 ? `${day} 18:00:00` : ''},${i % 4 ? '满意' : '不满意'},${i % 2 ? '是' : '否'},${i % 5},${i % 7 === 0 ? '是' : '否'}`,
    );
  }
  const { writeFileSync } = await import('node:fs');
  writeFileSync(csv, rows.join('\n') + '\n');
  const store = await Store.open(join(dir, 'a.duckdb'));
  await ingestFiles(store, [csv], { salt: 'export-test-salt', log: createLogger() });
  await store.exec(
    `INSERT INTO daily_counts SELECT created_at::DATE, cat1, cat2, district, street, count(*), 0, 0, 0, 0 FROM orders GROUP BY ALL`,
  );
  return store;
}

const CANONICAL =
  'order_id, created_at, category, content, district, street, community, address, lon, lat, caller_hash, channel, order_type, dept, closed_at, satisfaction, resolved, dispatch_count, reopened';

describe('export and restore', () => {
  it('writes Hive-partitioned Parquet and Arrow IPC, and ingest reads the folder back to the same orders', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const a = await smallStore(t.dir);
    cleanups.push(() => a.close());
    const out = join(t.dir, 'export');
    const summary = await exportStore(a, out, { city: '测试市', before: '2100-01-01' });
    expect(summary.orders).toBe(90);
    expect(summary.partitions).toBe(3);
    expect(readdirSync(join(out, 'orders')).sort()).toEqual(['year=2026']);
    expect(readdirSync(join(out, 'orders', 'year=2026')).sort()).toEqual(['month=08', 'month=09', 'month=10']);
    const counts = tableFromIPC(readFileSync(join(out, 'latest', 'daily_counts.arrow')));
    expect(counts.numRows).toBe(90);
    expect(JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'))).toMatchObject({ city: '测试市', orders: 90 });

    // nothing personal leaves the store: no raw phone numbers in the exported Parquet
    const probe = await Store.open(':memory:', { migrate: false });
    cleanups.push(() => probe.close());
    const leaked = await probe.value<number>(
      `SELECT count(*) FROM read_parquet('${out}/orders/*/*/*.parquet', hive_partitioning = true) WHERE regexp_matches(content, '1[3-9][0-9]{9}')`,
    );
    expect(leaked).toBe(0);

    // restore into a fresh store
    const b = await Store.open(join(t.dir, 'b.duckdb'));
    cleanups.push(() => b.close());
    const restored = await ingestFiles(b, [join(out, 'orders')], { salt: 'another-salt', log: createLogger() });
    expect(restored).toMatchObject({ read: 90, loaded: 90, quarantined: 0 });
    const pick = `SELECT ${CANONICAL} FROM orders ORDER BY order_id`;
    expect(await b.all(pick)).toEqual(await a.all(pick));
    // a second restore of the same folder changes nothing
    expect(await ingestFiles(b, [join(out, 'orders')], { salt: 'another-salt', log: createLogger() })).toMatchObject({
      read: 90,
      unchanged: 90,
      loaded: 0,
      updated: 0,
    });
  });

  it('weisu export --as-of keeps only earlier orders, and --json is one document', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const a = await smallStore(t.dir);
    a.close();
    const out = join(t.dir, 'ex2');
    const r = runCli(['--db', join(t.dir, 'a.duckdb'), '--json', 'export', '--out', out, '--as-of', '2026-09-01']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ orders: 31, partitions: 1 });
    expect(existsSync(join(out, 'orders', 'year=2026', 'month=09'))).toBe(false);
  });
});
