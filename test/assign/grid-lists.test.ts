import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { handlersFor } from '../../src/assign/handlers.js';
import { generateItems } from '../../src/assign/generate.js';
import { configFrom } from '../../src/store/config.js';
import type { Store } from '../../src/store/db.js';
import { tempStore, testContext } from '../helpers.js';
import { addHotspot, addOrders, RECIPIENTS } from './fixture.js';

let store: Store;
let cleanup: () => void;
const raw = { assign: { recipients: RECIPIENTS } };

beforeEach(async () => {
  ({ store, cleanup } = await tempStore());
});
afterEach(() => cleanup());

interface Item {
  grid_id: string | null;
  level: string;
  item_type: string;
  category: string;
  hours: number;
  title: string;
  ev: string;
}

async function items(): Promise<Item[]> {
  return store.all<Item>(
    `SELECT grid_id, level, item_type, category, date_diff('hour', assigned_at, deadline)::INTEGER AS hours, title,
            CAST(evidence AS VARCHAR) AS ev
     FROM assignments WHERE source = 'hotspot' ORDER BY category`,
  );
}

describe('handler types', () => {
  it('say who can act, from the level-2 entry, the level-1 entry, an unseen taxonomy’s words, or the default', () => {
    const h = handlersFor(configFrom({}));
    expect(h.of('城市管理/路灯照明')).toBe('grid');
    expect(h.of('公用事业/供电')).toBe('unit');
    expect(h.of('劳动权益/拖欠工资')).toBe('unit');
    expect(h.of('卫生健康/医疗服务')).toBe('unit');
    expect(h.of('住房保障/不动产登记')).toBe('unit');
    expect(h.of('民事纠纷/商业纠纷')).toBe('out');
    // an unseen city's own names
    expect(h.of('劳动保障/欠薪')).toBe('unit');
    expect(h.of('卫生健康/医保报销')).toBe('unit');
    expect(h.of('城管/垃圾清运')).toBe('grid');
    // a city's own entries and default come first
    const own = handlersFor(configFrom({ handlers: { categories: { '公用事业/供电': 'grid' }, default: 'unit' } }));
    expect(own.of('公用事业/供电')).toBe('grid');
    expect(own.of('城管/垃圾清运')).toBe('unit');
    expect(() => handlersFor(configFrom({ handlers: { categories: { x: 'nobody' } } }))).toThrow(/handlers/);
  });

  it('read an English 311 taxonomy by the same matters, in any case, and a city’s own words', () => {
    const h = handlersFor(configFrom({}));
    expect(h.of('Inspectional Services/Building')).toBe('unit');
    expect(h.of('Public Works Department/Health')).toBe('unit');
    expect(h.of('Utilities/WATER MAIN BREAK')).toBe('unit');
    expect(h.of('Sanitation/Missed Trash Pickup')).toBe('grid');
    expect(h.of('Street Lights/Street Light Outages')).toBe('grid');
    const own = handlersFor(
      configFrom({ handlers: { keywords: { unit: ['Animal Control'], out: ['neighbor dispute'] } } }),
    );
    expect(own.of('Animal Issues/animal control request')).toBe('unit');
    expect(own.of('Quality of Life/Neighbor Dispute')).toBe('out');
    expect(h.of('Animal Issues/animal control request')).toBe('grid');
  });
});

describe('grid lists', () => {
  it('give the grid only what it can act on above its usual level; the unit gets the rest without 24-hour deadlines', async () => {
    const orders = [];
    for (const [cell, category, grid] of [
      ['C1', '城市管理/路灯照明/路灯不亮', 'G1'],
      ['C2', '公用事业/供电/停电', 'G1'],
      ['C3', '城市管理/排水防涝/井盖缺失', 'G1'],
      ['C4', '民事纠纷/商业纠纷/合同', 'G1'],
    ])
      for (let i = 0; i < 6; i++)
        orders.push({ id: `${cell}-${i}`, at: `2026-02-1${i} 09:00:00`, category, cell, grid, address: '幸福里3号楼' });
    await addOrders(store, orders);
    // C1: new heat (emerging); C2: a utility, new heat too; C3: chronic at its usual level; C4: out of scope
    await addHotspot(store, {
      asOf: '2026-03-01',
      cell: 'C1',
      category: '城市管理/路灯照明',
      count: 6,
      z: 3,
      kind: 'emerging',
      grid: 'G1',
    });
    await addHotspot(store, {
      asOf: '2026-03-01',
      cell: 'C2',
      category: '公用事业/供电',
      count: 6,
      z: 3,
      kind: 'emerging',
      grid: 'G1',
    });
    await addHotspot(store, {
      asOf: '2026-03-01',
      cell: 'C3',
      category: '城市管理/排水防涝',
      count: 6,
      z: 3,
      kind: 'persistent',
      grid: 'G1',
    });
    await addHotspot(store, {
      asOf: '2026-03-01',
      cell: 'C4',
      category: '民事纠纷/商业纠纷',
      count: 6,
      z: 3,
      kind: 'emerging',
      grid: 'G1',
    });
    await generateItems(testContext(store, '2026-03-01', raw), { topics: false, hotspots: true });
    const got = await items();
    expect(got.map((i) => i.category)).toEqual(['公用事业/供电', '城市管理/排水防涝', '城市管理/路灯照明']);
    const [power, drain, light] = got;
    expect(light).toMatchObject({ grid_id: 'G1', level: 'grid', item_type: 'facility', hours: 24 });
    // the utility goes to its unit, with the unit's week
    expect(power).toMatchObject({ grid_id: null, level: 'street', item_type: 'unit', hours: 168 });
    expect(JSON.parse(power.ev).handler).toBe('unit');
    // the chronic cell at its usual level goes to the unit too, with a month, and says why
    expect(drain).toMatchObject({ grid_id: null, level: 'street', item_type: 'chronic', hours: 720 });
    expect(drain.title).toContain('常年多发，未超出往常水平');
    const routes = await store.all<{ recipient_id: string; item: string }>(
      `SELECT r.recipient_id, a.category AS item FROM assignment_recipients r JOIN assignments a USING (item_id) ORDER BY ALL`,
    );
    expect(routes.filter((r) => r.recipient_id === 'g1').map((r) => r.item)).toEqual(['城市管理/路灯照明']);
  });

  it('names the place most orders point to: building and house numbers dropped, crossings in one order', async () => {
    const addresses = [
      '蓝天里3号楼2单元',
      '蓝天里小区12号楼',
      '北城区幸福街道蓝天里5栋',
      '蓝天里 7号楼１单元',
      '燕山大街与黄河街交口',
      '黄河街与燕山大街交口',
      '康泰西里2号楼',
    ];
    await addOrders(
      store,
      addresses.map((address, i) => ({
        id: `A${i}`,
        at: `2026-02-1${i} 09:00:00`,
        category: '城市管理/市容环境/乱堆乱放',
        cell: 'C9',
        grid: 'G1',
        address,
      })),
    );
    await addHotspot(store, {
      asOf: '2026-03-01',
      cell: 'C9',
      category: '城市管理/市容环境',
      count: 7,
      z: 3,
      kind: 'hot',
      grid: 'G1',
    });
    await generateItems(testContext(store, '2026-03-01', raw), { topics: false, hotspots: true });
    const [item] = await items();
    const ev = JSON.parse(item.ev);
    expect([ev.address, ev.address_orders, ev.address_of]).toEqual(['蓝天里', 4, 7]);
    // with the crossing the larger group, both spellings of it count together
    await addOrders(
      store,
      ['燕山大街与黄河街路口', '黄河街和燕山大街交叉口', '燕山大街与黄河街交口'].map((address, i) => ({
        id: `B${i}`,
        at: `2026-02-2${i} 09:00:00`,
        category: '城市管理/市容环境/乱堆乱放',
        cell: 'C9',
        grid: 'G1',
        address,
      })),
    );
    await store.exec('DELETE FROM assignments');
    await generateItems(testContext(store, '2026-03-01', raw), { topics: false, hotspots: true });
    const [again] = await items();
    const ev2 = JSON.parse(again.ev);
    expect([ev2.address, ev2.address_orders, ev2.address_of]).toEqual(['燕山大街与黄河街交口', 5, 10]);
  });
});
