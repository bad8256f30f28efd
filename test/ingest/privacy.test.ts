import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Store } from '../../src/store/db.js';
import { tempStore } from '../helpers.js';
import { ingest, writeText } from './util.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

const PHONES = ['13812345678', '15987654321', '18611112222', '13700001111'];

describe('personal data', () => {
  it('never stores a raw phone number: hashed caller, masked text, masked quarantine rows', async () => {
    const t = await tempStore();
    cleanup = t.cleanup;
    const rows = [
      `P1,2024-01-02 08:00,城乡建设,请回电${PHONES[1]}或010-87654321,幸福路1号 电话${PHONES[2]},${PHONES[0]}`,
      `P2,2024-01-02 09:00,城乡建设,身份证110101199003071234，手机+86 137-0000-1111,,+86 138 1234 5678`,
      `P3,,城乡建设,坏时间 ${PHONES[1]},,${PHONES[0]}`, // quarantined: raw row must be masked too
      `P4,2024-01-02 09:00,城乡建设,多一列,x,${PHONES[3]},extra`, // unreadable
    ];
    const f = writeText(
      t.dir,
      'pii.csv',
      `order_id,created_at,category,content,address,caller_phone\n${rows.join('\n')}\n`,
    );
    const s = await ingest(t.store, [f]);
    expect(s).toMatchObject({ loaded: 2, quarantined: 2 });
    const o = await t.store.all<{ content: string; address: string | null; caller_hash: string }>(
      'SELECT content, address, caller_hash FROM orders ORDER BY order_id',
    );
    expect(o[0].content).toBe('请回电159****4321或010-****4321');
    expect(o[0].address).toBe('幸福路1号 电话186****2222');
    expect(o[1].content).toBe('身份证110101********1234，手机+86 137****1111');
    // the same number written two ways is the same caller
    expect(o[1].caller_hash).toBe(o[0].caller_hash);
    expect(o[0].caller_hash).toMatch(/^[0-9a-f]{64}$/);
    const raws = (await t.store.all<{ raw: string }>('SELECT raw FROM quarantine')).map((r) => r.raw).join('\n');
    for (const p of PHONES) expect(raws).not.toContain(p);
    t.store.close();
    // grep the database file itself (and its WAL, if any) for every raw number
    for (const name of readdirSync(t.dir).filter((n) => n.startsWith('test.duckdb'))) {
      const bytes = readFileSync(join(t.dir, name)).toString('latin1');
      for (const p of [...PHONES, '110101199003071234', '87654321'])
        expect(bytes.includes(p), `${p} in ${name}`).toBe(false);
    }
    const again = await Store.open(t.dbPath);
    expect(await again.value('SELECT count(*) FROM orders')).toBe(2);
    again.close();
  });

  it('masks North American numbers at ingest (a US or Canadian export): content and address', async () => {
    const t = await tempStore();
    cleanup = t.cleanup;
    const f = writeText(
      t.dir,
      'us.csv',
      `order_id,created_at,category,content,address\n` +
        `U1,2015-01-24 14:36:52,Street Lights,call me at (617) 555-0123,1679-1677 Washington St  MA  02118-1234\n` +
        `U2,2015-01-25 09:00:00,Noise,neighbour +1 617 555 0199 since 2015-01-24,"81A-81 Newbury St, tel 617.555.0177"\n`,
    );
    expect(await ingest(t.store, [f])).toMatchObject({ loaded: 2, quarantined: 0 });
    const o = await t.store.all<{ content: string; address: string }>(
      'SELECT content, address FROM orders ORDER BY order_id',
    );
    expect(o).toEqual([
      { content: 'call me at 617-***-**23', address: '1679-1677 Washington St  MA  02118-1234' },
      { content: 'neighbour 617-***-**99 since 2015-01-24', address: '81A-81 Newbury St, tel 617-***-**77' },
    ]);
  });

  it('masks variant forms at ingest and the values a quarantine reason repeats', async () => {
    const t = await tempStore();
    cleanup = t.cleanup;
    const rows = [
      'V1,2024-01-02 08:00,城乡建设,全角１３９８７６５４３２１ 座机0755 8765 4321 点号139.8765.4320',
      'V2,2024-01-02 08:00,城乡建设,身份证110101 19900307 1235 老证110101900307123 工单2024010500012345',
      'V3,13912340066,城乡建设,时间栏填成了电话',
    ];
    const f = writeText(t.dir, 'v.csv', `order_id,created_at,category,content\n${rows.join('\n')}\n`);
    // a caller number typed in full-width digits is the same caller
    const callers = writeText(
      t.dir,
      'c.csv',
      'order_id,created_at,category,content,caller_phone\nC1,2024-01-02 08:00,A,x,１３８１２３４５６７８\nC2,2024-01-03 08:00,A,y,138-1234-5678\n',
    );
    await ingest(t.store, [callers]);
    const hashes = await t.store.all<{ h: string }>(
      "SELECT caller_hash AS h FROM orders WHERE order_id IN ('C1', 'C2')",
    );
    expect(hashes).toHaveLength(2);
    expect(hashes[0].h).toMatch(/^[0-9a-f]{64}$/);
    expect(hashes[0].h).toBe(hashes[1].h);
    await t.store.exec("DELETE FROM orders WHERE order_id IN ('C1', 'C2')");
    const s = await ingest(t.store, [f]);
    expect(s).toMatchObject({ loaded: 2, quarantined: 1 });
    const o = await t.store.all<{ content: string }>('SELECT content FROM orders ORDER BY order_id');
    expect(o[0].content).toBe('全角139****4321 座机0755 ****4321 点号139****4320');
    expect(o[1].content).toBe('身份证110101********1235 老证110101******123 工单2024010500012345');
    const q = await t.store.one<{ reason: string; raw: string }>('SELECT reason, raw FROM quarantine');
    expect(q!.reason).toBe('受理时间 created_at 无法识别：139****0066');
    expect(q!.raw).not.toContain('13912340066');
  });
});
