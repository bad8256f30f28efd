import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/store/paths.js';
import { tempStore } from '../helpers.js';
import { arithmetic, ingest, writeText } from './util.js';

const FIX = join(packageRoot, 'test/fixtures/ingest');
let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

type Place = { order_id: string; district: string | null; street: string | null };

/**
 * Exports that take their places from the national division code table write its grouping rows as places: 市辖区
 * (the districts of 北京/天津/重庆), 省直辖县级行政区划. Read as a 区县, 市辖区 put 房山区 (北京) and 河东区 (天津)
 * under one district. Such a value names no place: it is read as empty, and the next column mapped to the field fills
 * it. Invented rows in the 人民网 留言板 export's format.
 */
describe('place values that name no place', () => {
  it('are empty, so the mapping next column (province after city) names the district', async () => {
    const t = await tempStore();
    cleanup = t.cleanup;
    const s = await ingest(t.store, [join(FIX, 'liuyan-board.csv')], {
      mapping: join(FIX, 'liuyan-board.mapping.json'),
    });
    expect(s).toMatchObject({ read: 5, loaded: 5, quarantined: 0 });
    expect(arithmetic(s)).toBe(true);
    const rows = await t.store.all<Place>('SELECT order_id, district, street FROM orders ORDER BY order_id');
    expect(rows.map((r) => [r.order_id, r.district, r.street])).toEqual([
      ['90001', '北京市', '房山区'],
      ['90002', '天津市', '河东区'],
      ['90003', '河北省', null],
      ['90004', '河北省', '定州市'],
      ['90005', '邯郸市', '邱县'],
    ]);
    expect(s.files[0].warnings?.join('\n')).toContain("3个地名不指具体地点（'市辖区' 2、'省直辖县级行政区划' 1）");
    // the type keeps its '/' and loses the blanks the web page put around it
    expect(await t.store.value<string>("SELECT order_type FROM orders WHERE order_id = '90001'")).toBe('投诉/求助');
  });

  it('apply to a single place column of the shipped preset, and a mapping may give its own list', async () => {
    const t = await tempStore();
    cleanup = t.cleanup;
    const text = ['工单编号,受理时间,诉求分类,诉求内容,区县,街道', '1,2024-03-01 09:00,供水,停水,市辖区,东风街道'];
    text.push('2,2024-03-01 10:00,供水,停水,朝阳区,未知', '3,2024-03-01 11:00,供水,停水,县,城关镇');
    const s = await ingest(t.store, [writeText(t.dir, 'a.csv', text.join('\n') + '\n')]);
    expect(s).toMatchObject({ read: 3, loaded: 3 });
    const rows = await t.store.all<Place>('SELECT order_id, district, street FROM orders ORDER BY order_id');
    expect(rows.map((r) => [r.district, r.street])).toEqual([
      [null, '东风街道'],
      ['朝阳区', null],
      [null, '城关镇'],
    ]);
    const own = writeText(
      t.dir,
      'own.json',
      JSON.stringify({
        columns: {
          工单编号: 'order_id',
          受理时间: 'created_at',
          诉求分类: 'category',
          诉求内容: 'content',
          区县: 'district',
          街道: 'street',
        },
        place_placeholders: ['未知'],
      }),
    );
    const t2 = await tempStore();
    try {
      await ingest(t2.store, [writeText(t2.dir, 'b.csv', text.join('\n') + '\n')], { mapping: own });
      const own2 = await t2.store.all<Place>('SELECT order_id, district, street FROM orders ORDER BY order_id');
      expect(own2.map((r) => [r.district, r.street])).toEqual([
        ['市辖区', '东风街道'],
        ['朝阳区', null],
        ['县', '城关镇'],
      ]);
    } finally {
      t2.cleanup();
    }
  });
});
