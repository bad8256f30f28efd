import { describe, expect, it } from 'vitest';
import { excerpt } from '../../src/topics/candidates.js';
import { maskPersonal } from '../../src/store/mask.js';
import { tokenize, typicalOrders, type PoolOrder } from '../../src/topics/typical.js';
import { suggestUnits } from '../../src/topics/units.js';

const order = (id: string, content: string): PoolOrder => ({
  order_id: id,
  day: '2025-05-03',
  district: '东区',
  street: '一街道',
  content,
});

describe('typical orders', () => {
  // a pool about one theme (heating not warm) with orders that drift away from it to varying degrees
  const pool = [
    order('core1', '小区暖气不热，室温只有十五度，供热公司不处理'),
    order('core2', '暖气不热，室温太低，供热公司一直不处理'),
    order('core3', '家里暖气不热，室温低，联系供热公司没人处理'),
    order('core4', '暖气不热室温低，供热公司推诿'),
    order('mixed', '暖气不热，另外楼道灯也坏了很久'),
    order('off1', '楼下餐馆油烟扰民，晚上气味很大'),
    order('off2', '咨询孩子入学报名需要什么材料'),
    order('dup', '暖气不热，室温太低，供热公司一直不处理'),
  ];

  it('picks the orders nearest the centre, most central first, never the outliers', () => {
    const picked = typicalOrders(pool, 4);
    const ids = picked.map((p) => p.order_id);
    expect(ids).toHaveLength(4);
    expect(ids).not.toContain('off1');
    expect(ids).not.toContain('off2');
    for (let i = 1; i < picked.length; i++) expect(picked[i].similarity).toBeLessThanOrEqual(picked[i - 1].similarity);
    // the outliers score lowest of all when asked for everything
    const all = typicalOrders(pool, 8).map((p) => p.order_id);
    expect(all.slice(-2).sort()).toEqual(['off1', 'off2']);
  });

  it('shows identical texts once', () => {
    const ids = typicalOrders(pool, 8).map((p) => p.order_id);
    expect(ids.filter((i) => i === 'core2' || i === 'dup')).toHaveLength(1);
  });

  it('shows a wave of one template once and the other complaints of the category beside it', () => {
    // a month when one estate called forty times with the same words, and the category's other complaints
    const wave = Array.from({ length: 40 }, (_, i) =>
      order(`w${String(i).padStart(2, '0')}`, `云谷街道${i % 7}号小区垃圾清运不及时，堆积发臭`),
    );
    const others = [
      order('o1', '小区垃圾桶满了没人清运，夏天发臭'),
      order('o2', '垃圾清运车半夜作业噪音太大'),
      order('o3', '垃圾分类投放点设置不合理，清运不及时'),
      order('o4', '楼道里堆放的垃圾几天没人清运'),
    ];
    const picked = typicalOrders([...wave, ...others], 4);
    expect(picked).toHaveLength(4);
    // one order of the wave (texts equal up to digits are one text), the rest from the other complaints
    expect(picked.filter((p) => p.order_id.startsWith('w'))).toHaveLength(1);
    // closeness alone (no diversity) still never repeats a text up to digits
    const plain = typicalOrders([...wave, ...others], 4, 0);
    expect(plain.filter((p) => p.order_id.startsWith('w'))).toHaveLength(1);
    for (let i = 1; i < picked.length; i++) expect(picked[i].similarity).toBeLessThanOrEqual(picked[i - 1].similarity);
  });

  it('prefers a distinct complaint over a near-copy of one already chosen', () => {
    // two near-copies of the central complaint (a word apart) and a different complaint of the same theme
    const near = [
      order('a1', '暖气不热，室温太低，供热公司一直不处理'),
      order('a2', '暖气不热，室温太低，供热公司一直不处理，请尽快'),
      order('b1', '暖气管道漏水，家里地板泡坏了，供热公司不来修'),
      order('c1', '咨询孩子入学报名需要什么材料'),
    ];
    const ids = (d: number) =>
      typicalOrders(near, 2, d)
        .map((p) => p.order_id)
        .sort();
    expect(ids(0)).toEqual(['a1', 'a2']);
    expect(ids(0.3)).toContain('b1');
    expect(ids(0.3)).not.toContain('c1');
  });

  it('is deterministic and masks personal numbers in what it returns', () => {
    const withPhone = [
      ...pool,
      order('phone', '暖气不热，室温低，供热公司不处理，我的电话13812345678，身份证110101199003071234'),
    ];
    const a = typicalOrders(withPhone, 5);
    expect(typicalOrders(withPhone, 5)).toEqual(a);
    const text = typicalOrders(withPhone, 9)
      .map((p) => p.content)
      .join('\n');
    expect(text).not.toMatch(/13812345678/);
    expect(text).not.toMatch(/110101199003071234/);
    expect(text).toContain('138****5678');
  });

  it('tokenizes Chinese into words without digits or punctuation', () => {
    expect(tokenize('暖气不热，室温只有15度！')).toEqual(expect.arrayContaining(['暖气', '室温']));
    expect(tokenize('暖气不热，室温只有15度！').some((t) => /\d|，|！/.test(t))).toBe(false);
  });
});

describe('maskPersonal', () => {
  it.each([
    ['电话13812345678', '电话138****5678'],
    ['手机 +86 139-1234-5678 联系', '手机 139****5678 联系'],
    ['身份证11010119900307123X号', '身份证110***********123X号'],
    ['座机010-62345678', '座机010-******78'],
    ['卡号6222020200112233445', '卡号622**************45'],
    // the form ingest stores keeps the region code: what leaves the store keeps the province only
    ['身份证号130203********6025', '身份证号130***********6025'],
    ['身份证330602********123X。', '身份证330***********123X。'],
  ])('%s → %s', (input, out) => {
    expect(maskPersonal(input)).toBe(out);
  });

  it('leaves house numbers, dates and masked text alone', () => {
    for (const s of ['幸福路12号3单元501室', '2025年5月3日', '138****5678']) expect(maskPersonal(s)).toBe(s);
  });
});

describe('suggestUnits', () => {
  const mapping = {
    '城乡建设/物业管理': { lead: '市住房和城乡建设局', co: ['街道办事处'] },
    城乡建设: { lead: '市城管委', co: [] },
  };
  it('takes the mapping and adds the departments that really handled the orders', () => {
    const u = suggestUnits('城乡建设/物业管理', '城乡建设', mapping, [
      { dept: '市住房和城乡建设局', n: 50, share: 0.5 },
      { dept: '某区住建委', n: 40, share: 0.4 },
      { dept: '偶尔经手的单位', n: 3, share: 0.03 },
    ]);
    expect(u).toEqual({ lead: '市住房和城乡建设局', co: ['街道办事处', '某区住建委'] });
  });
  it('falls back to the level-1 mapping, then to the top handler', () => {
    expect(suggestUnits('城乡建设/路灯', '城乡建设', mapping, []).lead).toBe('市城管委');
    expect(suggestUnits('教育/招生', '教育', mapping, [{ dept: '市教育局', n: 9, share: 0.9 }])).toEqual({
      lead: '市教育局',
      co: [],
    });
    expect(suggestUnits('教育/招生', '教育', mapping, [])).toEqual({ lead: null, co: [] });
  });
});

describe('a typical order as quoted', () => {
  it('is one line: a web board detail indented with tabs and blank lines is flattened before it is cut', () => {
    const content =
      'A市在水一方大厦人为烂尾多年。\n\t\t\t\t\t\n\t\t\t\t\t位于书院路主干道的在水一方大厦一楼至四楼人为拆除水、电等设施后\n\t\t\t\t';
    const line = excerpt({ day: '2020-01-04', district: 'A3区', street: '', content }, 30);
    expect(line).toBe('【2020-01-04 A3区】A市在水一方大厦人为烂尾多年。 位于书院路主干道的在水一方大…');
    expect(line).not.toMatch(/[\t\n]/);
  });

  it('cuts a Latin text at a word and never inside a character (Konstanz)', () => {
    // the report quoted "…es besteht eine sehr hohe Unfallgefa…" and "…ein Ablauf ve…"
    const content =
      'Am Brunnen beim alten Rathaus ist seit Tagen das Geländer locker und die Platten sind gebrochen, es besteht eine sehr hohe Unfallgefahr.';
    const line = excerpt({ day: '2021-12-08', district: 'Petershausen-West', street: '', content }, 126);
    expect(line).toBe(
      '【2021-12-08 Petershausen-West】Am Brunnen beim alten Rathaus ist seit Tagen das Geländer locker und die Platten sind gebrochen, es besteht eine sehr hohe…',
    );
    // an emoji (two UTF-16 units) at the limit is kept whole or left out, never halved
    const emoji = excerpt({ day: '2021-12-29', district: '', street: '', content: 'Danke🙋‍♀️ und Grüße' }, 6);
    expect(emoji).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });

  it('keeps a space between Latin place names', () => {
    const line = excerpt(
      { day: '2017-12-29', district: "Mitch O'Farrell", street: 'RAMPART VILLAGE NC', content: '213 N GLENDALE BLVD' },
      80,
    );
    expect(line).toBe("【2017-12-29 Mitch O'Farrell RAMPART VILLAGE NC】213 N GLENDALE BLVD");
  });
});
