import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/db.js';
import { tagStage } from '../../src/tag/stage.js';
import { dataPath } from '../../src/store/paths.js';
import { tempStore, testContext } from '../helpers.js';
import { putOrders, type FixtureOrder } from './fixtures.js';

let store: Store;
let cleanup: () => void;
let dir: string;
beforeEach(async () => {
  ({ store, cleanup, dir } = await tempStore());
});
afterEach(() => cleanup());

const LIGHT = '城市管理/路灯照明/路灯不亮';
const HEAT = '城乡建设/供暖/暖气不热';
const run = (asOf = '2024-06-01', raw: Record<string, unknown> = {}) => tagStage.run(testContext(store, asOf, raw));
const flags = async () =>
  Object.fromEntries(
    (
      await store.all<{
        order_id: string;
        is_repeat: boolean;
        repeat_kind: string | null;
        repeat_of: string | null;
        out_of_scope: boolean;
        scope_rule: string | null;
      }>(
        'SELECT order_id, is_repeat, repeat_kind, repeat_of, out_of_scope, scope_rule FROM order_flags ORDER BY order_id',
      )
    ).map((r) => [r.order_id, r]),
  );
const snapshot = async () => ({
  tags: await store.all('SELECT * FROM order_tags ORDER BY order_id, tag'),
  flags: await store.all('SELECT * FROM order_flags ORDER BY order_id'),
  rates: await store.all('SELECT * FROM repeat_rates ORDER BY ALL'),
});

const repeatFixture: FixtureOrder[] = [
  // caller repeat: same caller, same category, 10 days later; the first was closed → repeat after closure
  {
    order_id: 'C1',
    created_at: '2024-03-01 09:00',
    category: LIGHT,
    content: '路灯不亮',
    caller_hash: 'h1',
    street: '和平街道',
    closed_at: '2024-03-02 09:00',
  },
  {
    order_id: 'C2',
    created_at: '2024-03-11 09:00',
    category: LIGHT,
    content: '路灯还是不亮',
    caller_hash: 'h1',
    street: '和平街道',
  },
  // same caller, other category: not a repeat
  {
    order_id: 'C3',
    created_at: '2024-03-12 09:00',
    category: HEAT,
    content: '暖气不热',
    caller_hash: 'h1',
    street: '和平街道',
  },
  // same caller and category but 40 days after C2: outside the window
  {
    order_id: 'C4',
    created_at: '2024-04-21 09:00',
    category: LIGHT,
    content: '路灯不亮',
    caller_hash: 'h1',
    street: '和平街道',
  },
  // place repeat by address (different callers), 5 days apart
  {
    order_id: 'P1',
    created_at: '2024-03-05 10:00',
    category: LIGHT,
    content: '路灯不亮',
    caller_hash: 'h2',
    street: '新华街道',
    address: '新华路 12 号',
  },
  {
    order_id: 'P2',
    created_at: '2024-03-10 10:00',
    category: LIGHT,
    content: '路灯坏了',
    caller_hash: 'h3',
    street: '新华街道',
    address: '新华路12号',
  },
  // place repeat by coordinates (rounded to 3 decimals)
  {
    order_id: 'G1',
    created_at: '2024-03-05 10:00',
    category: HEAT,
    content: '暖气不热',
    caller_hash: 'h4',
    lon: 116.40012,
    lat: 39.90021,
  },
  {
    order_id: 'G2',
    created_at: '2024-03-20 10:00',
    category: HEAT,
    content: '暖气不热',
    caller_hash: 'h5',
    lon: 116.40031,
    lat: 39.90009,
  },
  // same address, other street name: a different place
  {
    order_id: 'X1',
    created_at: '2024-03-06 10:00',
    category: LIGHT,
    content: '路灯不亮',
    caller_hash: 'h6',
    street: '东风街道',
    address: '新华路12号',
  },
];

describe('repeats', () => {
  it('flags caller and place repeats within 30 days, and nothing outside the window or category', async () => {
    await putOrders(store, repeatFixture, 1);
    await run();
    const f = await flags();
    expect(f.C1.is_repeat).toBe(false);
    expect(f.C2).toMatchObject({ is_repeat: true, repeat_kind: 'caller', repeat_of: 'C1' });
    expect(f.C3.is_repeat).toBe(false);
    expect(f.C4.is_repeat).toBe(false);
    expect(f.P1.is_repeat).toBe(false);
    expect(f.P2).toMatchObject({ is_repeat: true, repeat_kind: 'place', repeat_of: 'P1' });
    expect(f.G2).toMatchObject({ is_repeat: true, repeat_kind: 'place', repeat_of: 'G1' });
    expect(f.X1.is_repeat).toBe(false);
  });

  it('a repeat after closure points to 服务落实不到位 through structure', async () => {
    await putOrders(store, repeatFixture, 1);
    await run();
    const c2 = await store.all<{ tag: string; sources: string }>(
      "SELECT tag, sources FROM order_tags WHERE order_id = 'C2'",
    );
    expect(c2.find((t) => t.tag === '服务落实不到位')?.sources).toContain('structure');
    const p2 = await store.all<{ tag: string; sources: string }>(
      "SELECT tag, sources FROM order_tags WHERE order_id = 'P2'",
    );
    expect(p2.some((t) => t.sources.includes('structure'))).toBe(false); // P1 was never closed
  });

  it('honours a configured window', async () => {
    await putOrders(store, repeatFixture, 1);
    await run('2024-06-01', { tag: { repeatWindowDays: 45 } });
    expect((await flags()).C4).toMatchObject({ is_repeat: true, repeat_of: 'C2' });
  });

  it('stores repeat rates per month, category and street', async () => {
    await putOrders(store, repeatFixture, 1);
    await run();
    const r = await store.all<{ n: number; n_repeat: number; n_caller: number; rate: number }>(
      "SELECT n, n_repeat, n_caller, rate FROM repeat_rates WHERE month = DATE '2024-03-01' AND cat2 = '城市管理/路灯照明' AND street = '和平街道'",
    );
    expect(r).toEqual([{ n: 2, n_repeat: 1, n_caller: 1, rate: 0.5 }]);
  });

  it('a new order in a later run is found to repeat an order tagged in an earlier run', async () => {
    await putOrders(store, repeatFixture, 1);
    await run();
    await putOrders(
      store,
      [
        {
          order_id: 'C5',
          created_at: '2024-05-10 09:00',
          category: LIGHT,
          content: '路灯又不亮了',
          caller_hash: 'h1',
          street: '和平街道',
        },
      ],
      2,
    );
    expect((await run()).orders).toBe(1);
    expect((await flags()).C5).toMatchObject({ is_repeat: true, repeat_kind: 'caller', repeat_of: 'C4' });
  });

  it('a late-arriving earlier order makes an already tagged later order a repeat', async () => {
    await putOrders(
      store,
      repeatFixture.filter((o) => o.order_id !== 'P1'),
      1,
    );
    await run();
    expect((await flags()).P2.is_repeat).toBe(false);
    await putOrders(
      store,
      repeatFixture.filter((o) => o.order_id === 'P1'),
      2,
    );
    const counts = await run();
    expect(counts.orders).toBe(2); // P1 itself and P2, which shares its place
    expect((await flags()).P2).toMatchObject({ is_repeat: true, repeat_of: 'P1' });
  });
});

describe('scope guard', () => {
  it('marks out-of-scope orders with the rule, keeps them tagged and counted', async () => {
    await putOrders(
      store,
      [
        {
          order_id: 'S1',
          created_at: '2024-03-01 09:00',
          category: '民事纠纷/邻里纠纷',
          content: '楼上邻居家里吵闹，双方发生口角',
        },
        {
          order_id: 'S2',
          created_at: '2024-03-01 09:00',
          category: '政务服务/政策咨询',
          content: '同事借钱不还，要求政府出面',
        },
        {
          order_id: 'S3',
          created_at: '2024-03-01 09:00',
          category: '民事纠纷/邻里纠纷',
          content: '邻居在楼道堆放杂物堵塞消防通道',
        },
        { order_id: 'S4', created_at: '2024-03-01 09:00', category: LIGHT, content: '路灯不亮' },
      ],
      1,
    );
    await run();
    const f = await flags();
    expect(f.S1).toMatchObject({ out_of_scope: true, scope_rule: '民事纠纷' });
    expect(f.S2).toMatchObject({ out_of_scope: true, scope_rule: '私人借贷' });
    expect(f.S3.out_of_scope).toBe(false);
    expect(f.S4.out_of_scope).toBe(false);
    expect(await store.value('SELECT count(DISTINCT order_id) FROM order_tags')).toBe(4);
    expect(await store.value('SELECT sum(n_out_of_scope) FROM repeat_rates')).toBe(2);
  });

  it('uses a replacement rule file from config', async () => {
    const p = join(dir, 'rules.json');
    writeFileSync(p, JSON.stringify({ rules: [{ id: '路灯', keywords: ['路灯'] }] }));
    await putOrders(
      store,
      [{ order_id: 'S4', created_at: '2024-03-01 09:00', category: LIGHT, content: '路灯不亮' }],
      1,
    );
    await run('2024-06-01', { tag: { scopeRules: p } });
    expect((await flags()).S4).toMatchObject({ out_of_scope: true, scope_rule: '路灯' });
  });
});

describe('incremental runs', () => {
  const more: FixtureOrder[] = [
    {
      order_id: 'N1',
      created_at: '2024-05-01 09:00',
      category: HEAT,
      content: '供热管道老化，暖气一直不热',
      caller_hash: 'h9',
    },
    {
      order_id: 'N2',
      created_at: '2024-05-02 09:00',
      category: LIGHT,
      content: '路灯坏了，物业和路灯所互相推诿',
      caller_hash: 'h8',
    },
  ];

  it('tags only new or changed orders, and a re-run changes nothing', async () => {
    await putOrders(store, repeatFixture, 1);
    expect((await run()).orders).toBe(repeatFixture.length);
    const before = await snapshot();
    expect((await run()).orders).toBe(0);
    expect(await snapshot()).toEqual(before);

    // one changed order (new content, new seq) and two new ones
    await putOrders(
      store,
      [{ ...repeatFixture.find((o) => o.order_id === 'X1')!, content: '路灯老化，多个部门互相推诿没人管' }],
      2,
    );
    await putOrders(store, more, 2);
    const counts = await run();
    expect(counts.orders).toBe(3);
    const after = await snapshot();
    const untouched = (rows: unknown[]) =>
      (rows as Array<{ order_id: string }>).filter((r) => !['X1', 'N1', 'N2'].includes(r.order_id));
    expect(untouched(after.tags)).toEqual(untouched(before.tags));
    expect(untouched(after.flags)).toEqual(untouched(before.flags));
    const x1 = await store.all<{ tag: string; seq: number }>("SELECT tag, seq FROM order_tags WHERE order_id = 'X1'");
    expect(x1.map((t) => t.tag)).toContain('权责交叉');
    expect(x1.every((t) => t.seq === 2)).toBe(true);
    const again = await snapshot();
    expect((await run()).orders).toBe(0);
    expect(await snapshot()).toEqual(again);
  });

  it('tags everything again when the lexicon changes', async () => {
    await putOrders(store, repeatFixture, 1);
    // the team-text model (the real-message model already tags C1 基础设施短板 before the edit)
    await run('2024-06-01', { tag: { textModel: 'team' } });
    const lex = JSON.parse((await import('node:fs')).readFileSync(dataPath('root_causes.json'), 'utf8')) as {
      tags: Array<{ tag: string; terms: Array<{ term: string; weight: number }> }>;
    };
    // before the edit C1 (路灯不亮) stays below 基础设施短板's threshold; a decisive term lifts it
    expect(await store.value("SELECT count(*) FROM order_tags WHERE order_id = 'C1' AND tag = '基础设施短板'")).toBe(0);
    lex.tags.find((t) => t.tag === '基础设施短板')!.terms.push({ term: '不亮', weight: 10 });
    const p = join(dir, 'lex.json');
    writeFileSync(p, JSON.stringify(lex));
    const counts = await run('2024-06-01', { tag: { lexicon: p, textModel: 'team' } });
    expect(counts.orders).toBe(repeatFixture.length);
    expect(await store.value("SELECT count(*) FROM order_tags WHERE order_id = 'C1' AND tag = '基础设施短板'")).toBe(1);
  }, 120_000);
});

describe('increments and a full run agree', () => {
  it('orders arriving over several runs (late ones included) end with what one full re-tag gives', async () => {
    // the shared-key expansion (sql/tag/targets.sql) and the every-order path (targets_all.sql) must agree
    const batches = [
      repeatFixture.filter((o) => ['C2', 'P2', 'G2', 'X1'].includes(o.order_id)),
      repeatFixture.filter((o) => ['C1', 'C3', 'G1'].includes(o.order_id)),
      repeatFixture.filter((o) => ['C4', 'P1'].includes(o.order_id)),
    ];
    for (let b = 0; b < batches.length; b++) {
      await putOrders(store, batches[b], b + 1);
      await run();
    }
    const incremental = await snapshot();
    await store.exec("DELETE FROM tag_state; DELETE FROM stage_marks WHERE stage = 'tag'");
    expect((await run()).orders).toBe(repeatFixture.length);
    expect(await snapshot()).toEqual(incremental);
    expect((await flags()).C2).toMatchObject({ is_repeat: true, repeat_of: 'C1' });
  });
});

describe('as-of independence', () => {
  it('an order gets the same tags and flags whether or not later orders exist', async () => {
    const early = repeatFixture.filter((o) => o.created_at < '2024-03-08');
    await putOrders(store, early, 1);
    await run('2024-03-08');
    const alone = await store.all('SELECT * EXCLUDE (seq) FROM order_tags ORDER BY order_id, tag');
    const aloneFlags = await store.all('SELECT * EXCLUDE (seq) FROM order_flags ORDER BY order_id');

    const other = await tempStore();
    try {
      await putOrders(other.store, repeatFixture, 1);
      await tagStage.run(testContext(other.store, '2024-06-01'));
      const ids = early.map((o) => `'${o.order_id}'`).join(',');
      expect(
        await other.store.all(
          `SELECT * EXCLUDE (seq) FROM order_tags WHERE order_id IN (${ids}) ORDER BY order_id, tag`,
        ),
      ).toEqual(alone);
      expect(
        await other.store.all(`SELECT * EXCLUDE (seq) FROM order_flags WHERE order_id IN (${ids}) ORDER BY order_id`),
      ).toEqual(aloneFlags);
    } finally {
      other.cleanup();
    }
  });
});
