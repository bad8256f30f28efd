import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempStore } from '../helpers.js';
import { risingIn, seedOrders, steady } from './fixture.js';

const NOISE = ['夜间施工噪音扰民，电话13812345678', '工地凌晨施工噪声很大', '施工噪音持续到深夜'];
const PROPERTY = ['小区物业不作为，楼道垃圾无人清理', '物业费收取不合理，服务质量差'];
const PARKING = ['小区门口乱停车堵塞通道', '人行道违章停车无人管理'];

describe('weisu topics (CLI)', () => {
  let env: Awaited<ReturnType<typeof tempStore>>;
  beforeAll(async () => {
    env = await tempStore();
    await seedOrders(
      env.store,
      [
        {
          cat2: '生态环境/噪声污染',
          perDay: risingIn(12, 1.7, '2025-05-01', '2025-06-01'),
          texts: NOISE,
          dept: '市生态环境局',
        },
        { cat2: '交通运输/停车管理', perDay: risingIn(20, 1.4, '2025-05-01', '2025-06-01'), texts: PARKING },
        { cat2: '城乡建设/物业管理', perDay: steady(60), texts: PROPERTY },
      ],
      '2024-01-01',
      '2025-06-01',
    );
    env.store.close();
  }, 60_000);
  afterAll(() => env.cleanup());

  it(
    '--json prints exactly one JSON document in the CONTRACT §4 shape, with personal data masked',
    { timeout: 180_000 },
    () => {
      const res = runCli(['--db', env.dbPath, '--json', 'topics', '--month', '2025-06']);
      expect(res.code, res.stderr).toBe(0);
      const doc = JSON.parse(res.stdout) as { month: string; candidates: Record<string, unknown>[]; notes: string[] };
      expect(doc.month).toBe('2025-06');
      expect(doc.candidates.length).toBeGreaterThanOrEqual(2);
      const c = doc.candidates[0] as {
        rank: number;
        category: string;
        score: number;
        reasons: string[];
        lead_unit: string | null;
        co_units: string[];
        evidence: {
          orders_last_month: number;
          yoy: number | null;
          mom: number | null;
          forecast_next_month: number | null;
          root_causes: unknown[];
          hotspots: unknown[];
          typical_orders: string[];
        };
      };
      expect(c.rank).toBe(1);
      expect(c.category).toBe('生态环境/噪声污染');
      expect(typeof c.score).toBe('number');
      expect(c.reasons.length).toBeGreaterThan(0);
      expect(c.lead_unit).toBe('市生态环境局');
      expect(Array.isArray(c.co_units)).toBe(true);
      for (const k of [
        'orders_last_month',
        'yoy',
        'mom',
        'forecast_next_month',
        'root_causes',
        'hotspots',
        'typical_orders',
      ])
        expect(c.evidence).toHaveProperty(k);
      expect(c.evidence.typical_orders.length).toBeGreaterThanOrEqual(3);
      expect(res.stdout).not.toContain('13812345678');
      // the stages that are not built yet are named, not fatal
      expect(Array.isArray(doc.notes)).toBe(true);
      // two categories passed the bar: no 备选 (an added field beside the CONTRACT §4 candidates)
      expect((doc as unknown as { alternates: unknown[] }).alternates).toEqual([]);
    },
  );

  it('records a selection only for a candidate of the month, unless forced', { timeout: 300_000 }, () => {
    const bad = runCli([
      '--db',
      env.dbPath,
      'topics',
      'select',
      '--month',
      '2025-06',
      '--category',
      '城乡建设/物业管理',
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/不是 2025-06 的候选或备选/);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);

    const ok = runCli([
      '--db',
      env.dbPath,
      '--json',
      'topics',
      'select',
      '--month',
      '2025-06',
      '--category',
      '生态环境/噪声污染',
      '--by',
      '张主任',
    ]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({
      month: '2025-06',
      category: '生态环境/噪声污染',
      selected_by: '张主任',
      candidate: true,
    });

    const forced = runCli([
      '--db',
      env.dbPath,
      'topics',
      'select',
      '--month',
      '2025-06',
      '--category',
      '城乡建设/物业管理',
      '--force',
    ]);
    expect(forced.code, forced.stderr).toBe(0);
    // forcing does not make up a category
    const typo = runCli([
      '--db',
      env.dbPath,
      'topics',
      'select',
      '--month',
      '2025-06',
      '--category',
      '不存在/类别',
      '--force',
    ]);
    expect(typo.code).toBe(2);
    expect(typo.stderr.trim().split('\n')).toHaveLength(1);
    expect(typo.stderr).toContain('不存在/类别');

    const stored = runCli(['--db', env.dbPath, '--json', 'topics', '--month', '2025-06', '--stored']);
    const doc = JSON.parse(stored.stdout) as { selected: { category: string; selected_by: string | null }[] };
    expect(doc.selected.map((s) => s.category).sort()).toEqual(['城乡建设/物业管理', '生态环境/噪声污染']);
    expect(doc.selected.find((s) => s.category === '生态环境/噪声污染')?.selected_by).toBe('张主任');
  });

  it('rejects a malformed month with a one-line reason', { timeout: 120_000 }, () => {
    const res = runCli(['--db', env.dbPath, 'topics', '--month', '2025-13']);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/--month 应为 YYYY-MM 格式的月份/);
  });
});
