import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/db.js';
import { tempStore } from '../helpers.js';
import { ingest } from './util.js';

let cleanups: Array<() => void> = [];
afterEach(() => {
  cleanups.forEach((c) => c());
  cleanups = [];
});

/** A seeded export of new orders with every kind of row the direct way must treat as the row-by-row way does. */
function fixture(n: number, seed: number, clean = false): string {
  let x = seed;
  const rnd = () => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648;
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
  const lines = ['工单编号,受理时间,诉求分类,诉求内容,所属区县,诉求地址,经度,纬度,来电号码,办结时间,满意度,是否解决'];
  for (let i = 0; i < n; i++) {
    const r = clean ? 0.07 + rnd() * 0.93 : rnd();
    const id = r < 0.01 ? '' : `D${seed}-${i}`;
    const created =
      r < 0.02
        ? '昨天'
        : r < 0.03
          ? '1985-01-01 00:00'
          : pick([
              '2024-01-02 08:03:04',
              '2024/1/3 9:05',
              '2024年1月4日 10时15分',
              '20240105120000',
              '2024-01-06T08:00:00+08:00',
            ]);
    const cat = r < 0.04 ? '' : pick(['城乡建设/供暖/暖气不热', '交通管理 > 停车', '教育／入学', '社会保障']);
    const content =
      r < 0.05
        ? ' '
        : pick([
            '暖气不热',
            '"楼道积水，""很严重""\n第二行"',
            '联系电话13812345678，请回电',
            '身份证110101199003071234',
            '固话010-87654321',
          ]);
    const [lon, lat] =
      r < 0.06
        ? ['200', '39.9']
        : r < 0.07
          ? ['116.4', '']
          : r < 0.3
            ? ['', '']
            : [(116 + rnd()).toFixed(6), (39 + rnd()).toFixed(6)];
    const closed = r < 0.1 ? '不详' : r < 0.5 ? '' : '2024-02-01 10:00';
    lines.push(
      [
        id,
        created,
        cat,
        content,
        pick(['和平区', '河西区', '']),
        pick(['幸福路1号', '手机13900001111门口', '']),
        lon,
        lat,
        pick(['13812345678', '+86 139-0000-1111', '']),
        closed,
        pick(['满意', '']),
        pick(['是', '否', '']),
      ].join(','),
    );
    if (rnd() < 0.01 && !clean) lines.push('');
    if (rnd() < 0.005 && !clean) lines.push('broken,row');
  }
  return lines.join('\n') + '\n';
}

async function dump(store: Store) {
  const orders = await store.all(`SELECT * EXCLUDE (loaded_at) FROM orders ORDER BY order_id`);
  const quarantine = await store.all('SELECT * EXCLUDE (quarantined_at) FROM quarantine ORDER BY line');
  return { orders, quarantine };
}

describe('the direct way (a file of only new orders) gives the same store as the row-by-row way', () => {
  it.each([
    ['lenient', false],
    ['--strict', true],
  ] as const)('seeded fixture, %s', async (_label, strict) => {
    const a = await tempStore();
    const b = await tempStore();
    cleanups.push(a.cleanup, b.cleanup);
    const f = join(a.dir, 'new.csv');
    writeFileSync(f, fixture(3000, 7));
    const direct = await ingest(a.store, [f], { strict });
    const staged = await ingest(b.store, [f], { strict, direct: false });
    expect(direct).toEqual(staged);
    expect(direct.quarantined).toBeGreaterThan(100);
    if (!strict) expect(direct.loaded).toBeGreaterThan(2000);
    const [da, db] = [await dump(a.store), await dump(b.store)];
    expect(da.orders.length).toBe(strict ? 0 : direct.loaded);
    expect(da).toEqual(db);
    // the same file again is skipped; a changed copy goes row by row in both stores
    writeFileSync(f + '2.csv', fixture(3000, 7).replace(/满意/g, '不满意'));
    const again = [await ingest(a.store, [f + '2.csv']), await ingest(b.store, [f + '2.csv'])];
    expect(again[0]).toEqual(again[1]);
    expect(await dump(a.store)).toEqual(await dump(b.store));
  });

  it('a clean Parquet file: same orders, and the unreadable closed_at warning is counted once', async () => {
    const a = await tempStore();
    const b = await tempStore();
    cleanups.push(a.cleanup, b.cleanup);
    const csv = join(a.dir, 'clean.csv');
    writeFileSync(csv, fixture(2000, 11, true));
    const pq = join(a.dir, 'clean.parquet');
    await a.store.exec(
      `COPY (SELECT * FROM read_csv('${csv}', all_varchar = true, header = true)) TO '${pq}' (FORMAT parquet)`,
    );
    const direct = await ingest(a.store, [pq]);
    const staged = await ingest(b.store, [pq], { direct: false });
    expect(direct).toEqual(staged);
    expect(direct.quarantined).toBe(0);
    expect(direct.files[0].warnings?.[0]).toMatch(/办结时间 closed_at 无法识别/);
    expect(await dump(a.store)).toEqual(await dump(b.store));
  });
});
