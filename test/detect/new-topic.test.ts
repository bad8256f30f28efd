import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempStore, testContext } from '../helpers.js';
import { detectNewTopics, isFragment, phraseOf, toWordEdges } from '../../src/detect/new-topic.js';
import { detectConfig } from '../../src/detect/config.js';
import { currentWeek } from '../../src/detect/series.js';
import { addDays } from '../../src/store/dates.js';
import type { Store } from '../../src/store/db.js';
import { rng } from './gen.js';

const PHRASES = [
  '小区电梯故障维修不及时',
  '道路积水影响出行',
  '夜间施工噪音扰民',
  '暖气不热室温偏低',
  '垃圾清运不及时有异味',
  '占道经营影响通行',
  '物业服务态度差',
  '路灯不亮存在安全隐患',
  '停车难乱停车',
  '自来水水压低',
];
const CATS = ['城乡建设/物业管理', '城市管理/市容环境', '公用事业/供水', '交通运输/停车管理'];

interface OrderSpec {
  day: string;
  content: string;
  cat2: string;
  district: string;
  street: string;
}

async function insertOrders(store: Store, orders: OrderSpec[]): Promise<void> {
  const rows = orders.map((o, i) => ({ ...o, order_id: `T${i}` }));
  await store.exec(
    `INSERT INTO orders (order_id, created_at, category, cat1, cat2, content, district, street, row_hash, first_seq, seq, loaded_at)
     SELECT r.order_id, r.day::TIMESTAMP + INTERVAL 9 HOUR, r.cat2, split_part(r.cat2, '/', 1), r.cat2, r.content, r.district, r.street, 0, 1, 1, now()
     FROM (SELECT unnest(from_json($rows::JSON, '[{"order_id":"VARCHAR","day":"VARCHAR","content":"VARCHAR","cat2":"VARCHAR","district":"VARCHAR","street":"VARCHAR"}]'), recursive := true)) r`,
    { rows: JSON.stringify(rows) },
  );
}

function city(
  seed: number,
  asOf: string,
  burst: { term: string; perDay: number; street: string; cat2?: string } | null,
): OrderSpec[] {
  const r = rng(seed);
  const out: OrderSpec[] = [];
  const recentStart = addDays(currentWeek(asOf), -7);
  for (let d = addDays(asOf, -7 * 30); d < asOf; d = addDays(d, 1)) {
    for (let k = 0; k < 40; k++) {
      const a = PHRASES[Math.floor(r() * PHRASES.length)];
      const b = PHRASES[Math.floor(r() * PHRASES.length)];
      out.push({
        day: d,
        content: `市民反映${a}，另外${b}，请尽快处理。`,
        cat2: CATS[Math.floor(r() * CATS.length)],
        district: '第1区',
        street: `街道1-${1 + Math.floor(r() * 4)}`,
      });
    }
    if (burst && d >= recentStart) {
      for (let k = 0; k < burst.perDay; k++) {
        const lead = ['来电反映', '市民称', '有居民投诉', '反映'][Math.floor(r() * 4)];
        const place = ['商场里', '地铁站附近', '医院门诊楼', '火车站'][Math.floor(r() * 4)];
        out.push({
          day: d,
          content: `${lead}${place}${burst.term}，${PHRASES[Math.floor(r() * PHRASES.length)]}`,
          cat2: burst.cat2 ?? '市场监管/消费维权',
          district: '第1区',
          street: burst.street,
        });
      }
    }
  }
  return out;
}

describe('new_topic', () => {
  let t: Awaited<ReturnType<typeof tempStore>>;
  beforeAll(async () => {
    t = await tempStore();
  });
  afterAll(() => t.cleanup());

  it('finds a term that bursts from zero, names the whole phrase, its category and street', async () => {
    const asOf = '2025-06-02';
    await insertOrders(t.store, city(1, asOf, { term: '共享充电宝收费乱象', perDay: 2, street: '街道1-3' }));
    const cfg = detectConfig(testContext(t.store, asOf).config);
    const alerts = await detectNewTopics(t.store, asOf, currentWeek(asOf), '全市', cfg);
    expect(alerts.length).toBeGreaterThan(0);
    const top = alerts[0];
    expect(top.kind).toBe('new_topic');
    expect(String(top.details.term)).toContain('充电宝');
    expect(top.category).toBe('市场监管/消费维权');
    expect(top.level).toBe(2);
    expect(top.scope).toMatchObject({ level: 'street', name: '街道1-3' });
    expect(top.observed).toBeGreaterThanOrEqual(20);
    expect(top.reason).toContain('充电宝');
    // one topic, not one alert per word of it
    expect(
      alerts.filter((a) => String(a.details.term).includes('充电') || String(a.details.term).includes('收费')),
    ).toHaveLength(1);
  });

  it('names a category recorded without a level 2 at level 1', async () => {
    await t.store.exec('DELETE FROM orders');
    const asOf = '2025-06-02';
    // a one-level path is stored with cat2 = cat1 (insertOrders: cat1 is the path's first name)
    await insertOrders(
      t.store,
      city(1, asOf, { term: '共享充电宝收费乱象', perDay: 2, street: '街道1-3', cat2: '消费维权' }),
    );
    const cfg = detectConfig(testContext(t.store, asOf).config);
    const top = (await detectNewTopics(t.store, asOf, currentWeek(asOf), '全市', cfg))[0];
    expect(top.category).toBe('消费维权');
    expect(top.level).toBe(1);
  });

  it('stays quiet when nothing new is said, and ignores a handful of mentions', async () => {
    await t.store.exec('DELETE FROM orders');
    const asOf = '2025-06-02';
    await insertOrders(t.store, city(2, asOf, null));
    const cfg = detectConfig(testContext(t.store, asOf).config);
    expect(await detectNewTopics(t.store, asOf, currentWeek(asOf), '全市', cfg)).toEqual([]);
    await t.store.exec('DELETE FROM orders');
    // 3 mentions in 2 weeks is below the minimum support
    const few = city(3, asOf, null);
    few.push(
      ...[0, 1, 2].map((k) => ({
        day: addDays(asOf, -3 - k),
        content: '反映共享充电宝收费乱象',
        cat2: '市场监管/消费维权',
        district: '第1区',
        street: '街道1-1',
      })),
    );
    await insertOrders(t.store, few);
    expect(await detectNewTopics(t.store, asOf, currentWeek(asOf), '全市', cfg)).toEqual([]);
  });

  it('does not take a phrase that comes back at the same season every year for a new topic', async () => {
    await t.store.exec('DELETE FROM orders');
    const asOf = '2025-12-01';
    const burst = { term: '供暖费按实际面积计收', perDay: 2, street: '街道1-3' };
    // the same burst in the same weeks a year earlier, quiet in the 26 weeks before now
    const lastYear = city(5, addDays(asOf, -364), burst);
    const now = city(6, asOf, burst);
    await insertOrders(t.store, [...lastYear, ...now]);
    const cfg = detectConfig(testContext(t.store, asOf).config);
    const alerts = await detectNewTopics(t.store, asOf, currentWeek(asOf), '全市', cfg);
    expect(
      alerts.filter((a) => String(a.details.term).includes('供暖') || String(a.details.term).includes('面积')),
    ).toEqual([]);

    // without last year's season the same burst is a new topic — the check above is what silences it
    await t.store.exec('DELETE FROM orders');
    await insertOrders(t.store, now);
    const fresh = await detectNewTopics(t.store, asOf, currentWeek(asOf), '全市', cfg);
    expect(fresh.some((a) => String(a.details.term).includes('供暖') || String(a.details.term).includes('面积'))).toBe(
      true,
    );
  });

  it('takes a term that begins or ends with a particle for a fragment, not a dictionary word holding one', () => {
    for (const f of ['冻的', '冻了', '看着', '热吗', '的冻', '在小区']) expect(isFragment(f), f).toBe(true);
    for (const w of ['地铁', '工地', '获得', '过期', '了解', '充电宝', '暖气不热'])
      expect(isFragment(w), w).toBe(false);
  });

  it('raises no topic for a verb and a particle that burst together', async () => {
    await t.store.exec('DELETE FROM orders');
    const asOf = '2025-06-02';
    // "冻的" bursts from zero in many texts: the segmenter splits it into 冻|的, so the pair 冻的 is a candidate
    await insertOrders(t.store, city(3, asOf, { term: '冻的', perDay: 4, street: '街道1-2' }));
    const cfg = detectConfig(testContext(t.store, asOf).config);
    const alerts = await detectNewTopics(t.store, asOf, currentWeek(asOf), '全市', cfg);
    for (const a of alerts) {
      expect(isFragment(String(a.details.term)), String(a.details.term)).toBe(false);
      expect(isFragment(String(a.details.matched_term)), String(a.details.matched_term)).toBe(false);
    }
  });

  describe('the phrase an alert names ends at a word boundary', () => {
    const goods = ['会员卡', '养老卡', '保健品', '理财产品', '旅游套餐'];
    // a template whose object varies: the widened phrase stops at 了, before the quote
    const sold = goods.map(
      (g, i) => `${'东西南'[i % 3]}区市民来电：家里老人被推销办了“${g}”，花了好几千元，联系不上商家`,
    );

    it('does not strand a verb whose object was cut off (「家里老人被推销办」)', () => {
      for (const term of ['推销办', '家里老人', '推销']) expect(phraseOf(term, sold), term).toBe('家里老人被推销');
    });

    it('cuts back to the word boundary when the texts go on inside a word (办|理 of 办理)', () => {
      const texts = ['老人被推销办理会员卡', '老人被推销办理养老卡', '老人被推销办卡', '老人被推销办理保险'];
      expect(toWordEdges('老人被推销办', texts)).toBe('老人被推销');
    });

    it('keeps a complaint that ends on its own single character, and a run of single characters', () => {
      const lift = ['3号楼电梯坏了，困人半小时', '电梯坏了，物业不管', '小区电梯坏了，老人上下楼困难'];
      expect(phraseOf('电梯', lift)).toBe('电梯坏');
      const heat = ['家中暖气不热了，请处理', '暖气不热了，室温低', '暖气不热了，孩子感冒'];
      expect(phraseOf('暖气', heat)).toBe('暖气不热');
      const fire = ['小区充电桩起火冒烟', '地下车库充电桩起火', '电动车充电桩起火了'];
      expect(phraseOf('充电桩', fire)).toBe('充电桩起火');
      const drain = ['小区下水道堵了好几天，污水外溢', '楼下下水道堵了三天没人修', '单元下水道堵了一个星期'];
      expect(phraseOf('下水道', drain)).toBe('下水道堵');
    });
  });
});
