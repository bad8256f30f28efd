import { afterEach, describe, expect, it } from 'vitest';
import { tempStore } from '../helpers.js';
import { arithmetic, HEADER, ingest, orderCount, writeText } from './util.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

describe('merge semantics (CONTRACT §5)', () => {
  it('loads, skips an identical file by hash, and counts a later export with new fields as updated', async () => {
    const t = await tempStore();
    cleanup = t.cleanup;
    const day1 = writeText(
      t.dir,
      'day1.csv',
      `${HEADER},closed_at,satisfaction\nA1,2024-01-02 08:00,城乡建设/供暖,暖气不热,,\nA2,2024-01-02 09:00,交通管理/停车,乱停车,,\nA3,2024-01-02 10:00,教育/入学,学位,,\n`,
    );
    const s1 = await ingest(t.store, [day1]);
    expect(s1).toMatchObject({ read: 3, loaded: 3, updated: 0, unchanged: 0, quarantined: 0 });
    const seq1 = await t.store.all<{ order_id: string; seq: number }>(
      'SELECT order_id, seq FROM orders ORDER BY order_id',
    );

    const again = await ingest(t.store, [day1]);
    expect(again).toMatchObject({ read: 3, loaded: 0, updated: 0, unchanged: 3, quarantined: 0 });
    expect(again.files[0].skipped).toBe(true);
    expect(await t.store.value('SELECT count(*) FROM ingested_files')).toBe(1);

    // the next export repeats A1 unchanged, closes A2, and adds A4
    const day2 = writeText(
      t.dir,
      'day2.csv',
      `${HEADER},closed_at,satisfaction\nA1,2024-01-02 08:00,城乡建设/供暖,暖气不热,,\nA2,2024-01-02 09:00,交通管理/停车,乱停车,2024-01-03 10:00,满意\nA4,2024-01-03 10:00,教育/入学,学位,,\n`,
    );
    const s2 = await ingest(t.store, [day2]);
    expect(s2).toMatchObject({ read: 3, loaded: 1, updated: 1, unchanged: 1, quarantined: 0 });
    expect(arithmetic(s2)).toBe(true);
    const rows = await t.store.all<{
      order_id: string;
      seq: number;
      first_seq: number;
      closed_at: string | null;
      satisfaction: string | null;
    }>('SELECT order_id, seq, first_seq, closed_at, satisfaction FROM orders ORDER BY order_id');
    expect(rows.map((r) => r.order_id)).toEqual(['A1', 'A2', 'A3', 'A4']);
    const byId = Object.fromEntries(rows.map((r) => [r.order_id, r]));
    expect(byId.A1.seq).toBe(seq1[0].seq); // unchanged keeps its seq
    expect(byId.A2.seq).toBeGreaterThan(seq1[1].seq); // updated gets the new batch
    expect(byId.A2.first_seq).toBe(seq1[1].seq);
    expect(byId.A2.closed_at).toBe('2024-01-03 10:00:00');
    expect(byId.A2.satisfaction).toBe('满意');
    expect(await t.store.value('SELECT count(DISTINCT order_id) = count(*) FROM orders')).toBe(true);
  });

  it('judges a re-sent order by its fields, not by the hash stored with it (which another DuckDB may compute differently)', async () => {
    const t = await tempStore();
    cleanup = t.cleanup;
    const rows = 'B1,2024-01-02 08:00,城乡建设/供暖,暖气不热\nB2,2024-01-02 09:00,交通管理/停车,乱停车\n';
    await ingest(t.store, [writeText(t.dir, 'a.csv', `${HEADER}\n${rows}`)]);
    // as if the store had been written by a DuckDB whose hash() differs
    await t.store.exec('UPDATE orders SET row_hash = row_hash + 1');
    const s = await ingest(t.store, [
      writeText(t.dir, 'b.csv', `${HEADER}\n${rows}B3,2024-01-03 10:00,教育/入学,学位\n`),
    ]);
    expect(s).toMatchObject({ read: 3, loaded: 1, updated: 0, unchanged: 2 });
    expect(await t.store.value("SELECT max(seq) FROM orders WHERE order_id IN ('B1', 'B2')")).toBe(1);
  });

  it('same order_id twice in one file: last wins, the second counts against the first', async () => {
    const t = await tempStore();
    cleanup = t.cleanup;
    const f = writeText(
      t.dir,
      'dup.csv',
      `${HEADER},satisfaction\nB1,2024-01-02 08:00,城乡建设,内容一,\nB1,2024-01-02 08:00,城乡建设,内容一,\nB1,2024-01-02 08:00,城乡建设,内容一,满意\nB2,2024-01-02 08:00,城乡建设,内容二,\n`,
    );
    const s = await ingest(t.store, [f]);
    expect(s).toMatchObject({ read: 4, loaded: 2, unchanged: 1, updated: 1, quarantined: 0 });
    expect(await orderCount(t.store)).toBe(2);
    expect(await t.store.value("SELECT satisfaction FROM orders WHERE order_id = 'B1'")).toBe('满意');
    expect(await t.store.value("SELECT source_line FROM orders WHERE order_id = 'B1'")).toBe(4);
  });

  it('a changed copy of known orders in a new file updates them without duplicating', async () => {
    const t = await tempStore();
    cleanup = t.cleanup;
    const rows = Array.from({ length: 500 }, (_, i) => `C${i},2024-02-01 08:00,城乡建设/排水,积水${i}`);
    await ingest(t.store, [writeText(t.dir, 'a.csv', `${HEADER}\n${rows.join('\n')}\n`)]);
    const changed = rows.map((r, i) => (i % 5 === 0 ? r + '（补充）' : r));
    const s = await ingest(t.store, [
      writeText(t.dir, 'b.csv', `${HEADER}\n${changed.join('\n')}\nC999,2024-02-02 08:00,城乡建设/排水,新\n`),
    ]);
    expect(s).toMatchObject({ read: 501, loaded: 1, updated: 100, unchanged: 400, quarantined: 0 });
    expect(await orderCount(t.store)).toBe(501);
    expect(
      await t.store.value('SELECT count(*) FROM (SELECT order_id FROM orders GROUP BY order_id HAVING count(*) > 1)'),
    ).toBe(0);
  });

  it('derives cat1 and cat2 from the category path', async () => {
    const t = await tempStore();
    cleanup = t.cleanup;
    await ingest(t.store, [
      writeText(
        t.dir,
        'c.csv',
        `${HEADER}\nD1,2024-01-02 08:00,城乡建设/供暖/暖气不热,x\nD2,2024-01-02 08:00, 交通管理 ,y\nD3,2024-01-02 08:00,城乡建设 / 排水,z\n`,
      ),
    ]);
    const r = await t.store.all<{ category: string; cat1: string; cat2: string }>(
      'SELECT category, cat1, cat2 FROM orders ORDER BY order_id',
    );
    expect(r).toEqual([
      { category: '城乡建设/供暖/暖气不热', cat1: '城乡建设', cat2: '城乡建设/供暖' },
      { category: '交通管理', cat1: '交通管理', cat2: '交通管理' },
      { category: '城乡建设/排水', cat1: '城乡建设', cat2: '城乡建设/排水' },
    ]);
  });
});
