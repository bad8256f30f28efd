import { afterEach, describe, expect, it } from 'vitest';
import { tempStore } from '../helpers.js';
import { arithmetic, ingest, writeText } from './util.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

/**
 * A 留言板 / 信箱 export carries 留言编号, 留言时间, 留言主题 + 留言详情, 答复时间 — headers the shipped preset did not
 * know, so a Chinese user's first `weisu ingest` of one stopped with "找不到必填字段 order_id". The preset now reads
 * them, title first. Invented rows in the format of the 泰迪杯 2020 board (unpadded 'Y/M/D H:MM:SS').
 */
describe('the shipped preset on a 留言板 export', () => {
  it('loads it without a mapping: id, time, title + detail, 一级分类, 答复时间 and 答复单位', async () => {
    const t = await tempStore();
    cleanup = t.cleanup;
    const csv = [
      '留言编号,留言用户,留言主题,留言时间,留言详情,一级分类,答复单位,答复时间',
      '701,U001,小区停水三天,2021/3/5 9:07:01,"\n\t\t三月三日起停水，至今没有通知。\n",城乡建设,市水务局,2021/3/9 16:20:00',
      '702,U002,夜间施工噪声,2021/3/6 23:15:40,施工到凌晨两点！,环境保护,,',
    ].join('\n');
    const s = await ingest(t.store, [writeText(t.dir, 'board.csv', csv + '\n')]);
    expect(s).toMatchObject({ read: 2, loaded: 2, quarantined: 0 });
    expect(arithmetic(s)).toBe(true);
    const rows = await t.store.all<Record<string, string | null>>(
      `SELECT order_id, created_at::VARCHAR AS created_at, closed_at::VARCHAR AS closed_at, category, content, dept
       FROM orders ORDER BY order_id`,
    );
    expect(rows).toEqual([
      {
        order_id: '701',
        created_at: '2021-03-05 09:07:01',
        closed_at: '2021-03-09 16:20:00',
        category: '城乡建设',
        content: '小区停水三天。三月三日起停水，至今没有通知。',
        dept: '市水务局',
      },
      {
        order_id: '702',
        created_at: '2021-03-06 23:15:40',
        closed_at: null,
        category: '环境保护',
        content: '夜间施工噪声。施工到凌晨两点！',
        dept: null,
      },
    ]);
    // 留言用户 (a user name) is the one column left unread, and said so
    expect(s.files[0].warnings?.join('\n')).toContain('以下列未读入（字段映射未列出）：留言用户；');
  });
});
