import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { categoryMatcher } from '../../src/assign/category-match.js';
import { assignConfig } from '../../src/assign/config.js';
import { generateItems } from '../../src/assign/generate.js';
import { itemType } from '../../src/assign/items.js';
import { configFrom } from '../../src/store/config.js';
import type { Store } from '../../src/store/db.js';
import { tempStore, testContext } from '../helpers.js';
import { addHotspot, addOrders, RECIPIENTS } from './fixture.js';

/** A US 311-style taxonomy (invented rows): a level name may itself hold '/', as NYC's `HEAT/HOT WATER` does. */
const ENGLISH = {
  heat: 'HEAT/HOT WATER/ENTIRE BUILDING',
  light: 'Street Light Condition/Street Light Out',
  noise: 'Noise - Residential/Loud Music/Party',
};

/** The city's rules for it: words for the heating matter, a path for the street lights. */
const ENGLISH_RULES = [
  { type: 'facility', keywords: ['Heat/Hot Water'] },
  { type: 'facility', categories: ['Street Light Condition'] },
];

describe('item type rules', () => {
  it('match a category by path (itself or a level above it) or by words in any level, any case', () => {
    const byPath = categoryMatcher({ categories: ['城市管理/路灯照明', '城乡建设'] });
    expect(byPath('城市管理/路灯照明')).toBe(true);
    expect(byPath('城市管理/路灯照明/路灯不亮')).toBe(true);
    expect(byPath('城乡建设/供暖')).toBe(true);
    expect(byPath('城市管理/路灯照明设施')).toBe(false); // a prefix of a name is not a level above
    expect(byPath('城市管理')).toBe(false);
    const byWords = categoryMatcher({ keywords: ['heat/hot water', ' 暖气 '] });
    expect(byWords(ENGLISH.heat)).toBe(true);
    expect(byWords('Housing/Heat/Hot Water')).toBe(true);
    expect(byWords('城乡建设/供暖/暖气不热')).toBe(true);
    expect(byWords(ENGLISH.noise)).toBe(false);
  });

  it('keep the default types: the Chinese facility paths, nothing of an English taxonomy', () => {
    const cfg = assignConfig(configFrom({}));
    expect(itemType(cfg, '城市管理/路灯照明')).toBe('facility');
    expect(itemType(cfg, '城乡建设/供暖')).toBe('facility');
    expect(itemType(cfg, '城市管理/市容环境')).toBe('general');
    for (const c of Object.values(ENGLISH)) expect(itemType(cfg, c)).toBe('general');
  });

  it('give an English taxonomy its types by the city’s words and paths, first rule first', () => {
    const cfg = assignConfig(configFrom({ assign: { itemTypes: ENGLISH_RULES } }));
    expect(itemType(cfg, ENGLISH.heat)).toBe('facility');
    expect(itemType(cfg, ENGLISH.light)).toBe('facility');
    expect(itemType(cfg, ENGLISH.noise)).toBe('general');
    const urgent = assignConfig(
      configFrom({
        assign: {
          deadlines: { urgent: 4, facility: 24, general: 168, topic: 'month_end' },
          itemTypes: [{ type: 'urgent', keywords: ['NO HEAT'] }, ...ENGLISH_RULES],
        },
      }),
    );
    expect(itemType(urgent, 'HEAT/HOT WATER/No Heat')).toBe('urgent');
    expect(itemType(urgent, ENGLISH.heat)).toBe('facility');
  });

  it('refuse a rule that names no category and no word, and an unknown key', () => {
    expect(() => assignConfig(configFrom({ assign: { itemTypes: [{ type: 'facility' }] } }))).toThrow(
      /itemTypes\.0: .*categories.*keywords/,
    );
    expect(() =>
      assignConfig(configFrom({ assign: { itemTypes: [{ type: 'facility', keyword: ['heat'] }] } })),
    ).toThrow(/itemTypes\.0: .*keyword/);
  });
});

describe('hotspot items of an English taxonomy', () => {
  let store: Store;
  let cleanup: () => void;
  beforeEach(async () => {
    ({ store, cleanup } = await tempStore());
    const orders = [];
    for (const [cell, category] of [
      ['C1', ENGLISH.heat],
      ['C2', ENGLISH.light],
      ['C3', ENGLISH.noise],
    ])
      for (let i = 0; i < 6; i++)
        orders.push({ id: `${cell}-${i}`, at: `2026-02-1${i} 09:00:00`, category, cell, grid: 'G1' });
    await addOrders(store, orders);
    for (const [cell, category] of [
      ['C1', 'HEAT/HOT WATER'],
      ['C2', 'Street Light Condition/Street Light Out'],
      ['C3', 'Noise - Residential/Loud Music'],
    ])
      await addHotspot(store, { asOf: '2026-03-01', cell, category, count: 6, z: 3, kind: 'emerging', grid: 'G1' });
  });
  afterEach(() => cleanup());

  async function deadlines(raw: Record<string, unknown>): Promise<Record<string, [string, number]>> {
    await generateItems(testContext(store, '2026-03-01', raw), { topics: false, hotspots: true });
    const rows = await store.all<{ cell: string; item_type: string; hours: number }>(
      `SELECT cell, item_type, date_diff('hour', assigned_at, deadline)::INTEGER AS hours
       FROM assignments WHERE source = 'hotspot' ORDER BY cell`,
    );
    return Object.fromEntries(rows.map((r) => [r.cell, [r.item_type, r.hours]]));
  }

  it('get the 24-hour facility deadline where the city’s rules name them, the week elsewhere', async () => {
    const got = await deadlines({ assign: { recipients: RECIPIENTS, itemTypes: ENGLISH_RULES } });
    expect(got).toEqual({ C1: ['facility', 24], C2: ['facility', 24], C3: ['general', 168] });
  });

  it('get the week everywhere under the default rules (today’s behaviour)', async () => {
    const got = await deadlines({ assign: { recipients: RECIPIENTS } });
    expect(got).toEqual({ C1: ['general', 168], C2: ['general', 168], C3: ['general', 168] });
  });
});
