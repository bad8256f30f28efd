import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runTopics } from '../../src/topics/stage.js';
import { tempStore, testContext } from '../helpers.js';
import { heatingWave, risingIn, seedOrders, steady } from './fixture.js';

const PROPERTY = ['小区物业不作为，楼道垃圾无人清理', '物业费收取不合理，服务质量差', '物业公司不维修电梯'];
const NOISE = ['夜间施工噪音扰民，影响休息', '工地凌晨施工噪声很大', '施工噪音持续到深夜'];
const PARKING = ['小区门口乱停车堵塞通道', '人行道违章停车无人管理', '占用消防通道停车'];
const LIGHTS = ['路灯不亮，夜间出行不安全', '多盏路灯损坏无人维修', '路灯长期不亮'];
const ROADS = ['道路坑洼不平，车辆颠簸', '路面塌陷存在安全隐患', '道路破损长期未修'];
const POLICY = ['咨询社保缴费政策', '咨询公积金提取政策', '咨询落户政策'];
const HEAT = ['暖气不热，室温只有十五度', '供暖温度不达标，家中老人受冻', '暖气片冰凉，供热公司不处理'];

type Env = Awaited<ReturnType<typeof tempStore>>;

describe('topic ranking on planted fixtures', () => {
  let env: Env;
  beforeEach(async () => {
    env = await tempStore();
  });
  afterEach(() => env.cleanup());

  it('a real rise beats a routine large category; out-of-scope and no-rise categories are left out', async () => {
    await seedOrders(
      env.store,
      [
        { cat2: '城乡建设/物业管理', perDay: steady(120), texts: PROPERTY, dept: '市住建局' },
        {
          cat2: '生态环境/施工噪音',
          perDay: risingIn(12, 1.7, '2025-05-01', '2025-06-01'),
          texts: NOISE,
          dept: '市生态环境局',
        },
        {
          cat2: '政务服务/政策咨询',
          perDay: risingIn(20, 2.5, '2025-05-01', '2025-06-01'),
          texts: POLICY,
          outOfScope: true,
        },
        { cat2: '交通管理/违章停车', perDay: steady(30), texts: PARKING },
      ],
      '2024-01-01',
      '2025-06-01',
    );
    const res = await runTopics(testContext(env.store, '2025-06-01'));
    const cats = res.candidates.map((c) => c.category);
    expect(cats[0]).toBe('生态环境/施工噪音');
    expect(cats).not.toContain('城乡建设/物业管理');
    expect(cats).not.toContain('政务服务/政策咨询');
    const why = (c: string) => res.scored.find((s) => s.metrics.category === c)?.excludedWhy;
    expect(why('城乡建设/物业管理')).toBe('routine');
    expect(why('政务服务/政策咨询')).toBe('out_of_scope');
    // the routine category is by far the largest: it lost on rise, not on size
    const big = res.scored.find((s) => s.metrics.category === '城乡建设/物业管理')!;
    const noise = res.candidates[0];
    expect(big.metrics.n_last).toBeGreaterThan(noise.evidence.orders_last_month * 5);
    expect(noise.evidence.orders_last_month).toBe(Math.round(12 * 1.7) * 31);
    expect(noise.evidence.yoy).toBeCloseTo(Math.round(12 * 1.7) / 12 - 1, 2);
    expect(noise.evidence.mom).toBeCloseTo(Math.round(12 * 1.7) / 12 - 1, 2);
    expect(noise.reasons[0]).toMatch(/^上月620件，同比上升67%，环比上升67%$/);
    // the unit mapping has no entry for this category: the department that handled the orders leads
    expect(noise.lead_unit).toBe('市生态环境局');
  });

  it('a hotspot run that found no hot cell is a snapshot of nothing hot, not a missing one', async () => {
    await seedOrders(
      env.store,
      [{ cat2: '生态环境/施工噪音', perDay: risingIn(12, 1.7, '2025-05-01', '2025-06-01'), texts: NOISE }],
      '2024-01-01',
      '2025-06-01',
    );
    const before = await runTopics(testContext(env.store, '2025-06-01'));
    expect(before.notes).toContain('未找到近期热点区块结果，热点集中度未计入评分。');
    expect(before.candidates[0].evidence.hotspot_share).toBeNull();
    await env.store.exec(
      `INSERT INTO runs (run_id, pipeline, as_of, started_at, status) VALUES ('r1', 'nightly', '2025-05-28', now(), 'ok');
       INSERT INTO run_stages (run_id, stage, started_at, status) VALUES ('r1', 'hotspots', now(), 'ok');`,
    );
    const after = await runTopics(testContext(env.store, '2025-06-01'));
    expect(after.notes).not.toContain('未找到近期热点区块结果，热点集中度未计入评分。');
    expect(after.candidates[0].evidence.hotspot_share).toBe(0);
    expect(after.candidates[0].evidence.hotspot_as_of).toBe('2025-05-28');
  });

  it('structural root causes weigh: equal rises, the structurally caused one ranks higher', async () => {
    await seedOrders(
      env.store,
      [
        {
          cat2: '城乡建设/路灯照明',
          perDay: risingIn(15, 1.5, '2025-05-01', '2025-06-01'),
          texts: LIGHTS,
          tags: ['权责交叉', '基础设施短板'],
        },
        {
          cat2: '交通管理/道路破损',
          perDay: risingIn(15, 1.5, '2025-05-01', '2025-06-01'),
          texts: ROADS,
          tags: ['服务落实不到位'],
        },
        { cat2: '城乡建设/物业管理', perDay: steady(80), texts: PROPERTY },
      ],
      '2024-01-01',
      '2025-06-01',
    );
    const res = await runTopics(testContext(env.store, '2025-06-01'));
    const lights = res.scored.find((s) => s.metrics.category === '城乡建设/路灯照明')!;
    const roads = res.scored.find((s) => s.metrics.category === '交通管理/道路破损')!;
    expect(lights.extras.structural).toBeCloseTo(1, 5);
    expect(roads.extras.structural).toBe(0);
    expect(lights.score).toBeGreaterThan(roads.score);
    const first = res.candidates[0];
    expect(first.category).toBe('城乡建设/路灯照明');
    expect(first.evidence.root_causes.map((r) => r.tag).sort()).toEqual(['基础设施短板', '权责交叉']);
    expect(first.reasons.some((r) => r.startsWith('结构性根因占100%'))).toBe(true);
  });

  it("proposes heating before the wave (as of Nov 1), from last year's season when no forecast is stored", async () => {
    await seedOrders(
      env.store,
      [
        { cat2: '城乡建设/供暖', perDay: heatingWave(3, 60), texts: HEAT },
        { cat2: '城乡建设/物业管理', perDay: steady(80), texts: PROPERTY },
        { cat2: '交通管理/违章停车', perDay: steady(40), texts: PARKING },
      ],
      '2024-01-01',
      '2025-11-01',
    );
    const res = await runTopics(testContext(env.store, '2025-11-01'));
    const heat = res.candidates.find((c) => c.category === '城乡建设/供暖');
    expect(heat).toBeDefined();
    expect(heat!.rank).toBe(1);
    // October had no rise: the forecast component alone carried it
    expect(heat!.components.yoy).toBe(0);
    expect(heat!.components.forecast).toBe(1);
    expect(heat!.evidence.forecast_source).toBe('seasonal_naive');
    expect(heat!.evidence.forecast_next_month).toBeGreaterThan(heat!.evidence.orders_last_month * 5);
    expect(heat!.reasons.join('')).toContain('季节性高峰将至');
    expect(res.notes.join('')).toContain('未找到本月预测结果');
    // a month into the wave without any rise against last year, heating is still proposed only on mom
    expect(heat!.evidence.yoy).toBeCloseTo(0, 5);
  });

  /** Heating at 5 a day and property at 80 since 2024, and a stored city forecast of heating for Oct 27 – Dec 7, 2025. */
  async function heatingWithForecast(f: { yhat: number; lo: number; hi: number; model: string }): Promise<void> {
    await seedOrders(
      env.store,
      [
        { cat2: '城乡建设/供暖', perDay: steady(5), texts: HEAT },
        { cat2: '城乡建设/物业管理', perDay: steady(80), texts: PROPERTY },
      ],
      '2024-01-01',
      '2025-11-01',
    );
    await env.store.exec(
      `INSERT INTO forecasts (as_of, category, level, scope_level, scope_name, week_start, yhat, lo, hi, model) SELECT '2025-11-01', '城乡建设/供暖', 2, 'city', '全市', ws, $yhat, $lo, $hi, $model
       FROM (SELECT unnest(generate_series(DATE '2025-10-27', DATE '2025-12-01', INTERVAL 7 DAY))::DATE AS ws)`,
      f,
    );
  }

  it('uses stored forecasts when present', async () => {
    await heatingWithForecast({ yhat: 700, lo: 500, hi: 900, model: 'test' });
    const res = await runTopics(testContext(env.store, '2025-11-01'));
    const heat = res.candidates.find((c) => c.category === '城乡建设/供暖')!;
    expect(heat.evidence.forecast_source).toBe('forecast');
    expect(heat.evidence.forecast_next_month).toBe(3000); // 30 days × 100 per day
    expect(heat.evidence.forecast_range).toEqual({ lo: Math.round((500 * 30) / 7), hi: Math.round((900 * 30) / 7) });
  });

  it('does not take a flat mean forecast for a coming wave: last year\u2019s change from this month to the next decides', async () => {
    // 5 a day all along; the stored "forecast" is the mean of 8 busier weeks (20 a day): a short-history model
    await heatingWithForecast({ yhat: 140, lo: 100, hi: 180, model: 'mean' });
    const res = await runTopics(testContext(env.store, '2025-11-01'));
    const heat = res.scored.find((c) => c.metrics.category === '城乡建设/供暖')!;
    expect(heat.extras.forecast?.source).toBe('seasonal_naive');
    expect(heat.components.forecast).toBe(0);
    expect(res.candidates.map((c) => c.category)).not.toContain('城乡建设/供暖');
  });

  it('a whole 大类 rising is proposed at level 1, and its level-2 categories are not proposed again', async () => {
    await seedOrders(
      env.store,
      [
        { cat2: '交通管理/违章停车', perDay: risingIn(30, 1.6, '2025-05-01', '2025-06-01'), texts: PARKING },
        { cat2: '交通管理/道路破损', perDay: risingIn(30, 1.6, '2025-05-01', '2025-06-01'), texts: ROADS },
        { cat2: '城乡建设/物业管理', perDay: steady(150), texts: PROPERTY },
        { cat2: '生态环境/施工噪音', perDay: risingIn(10, 1.3, '2025-05-01', '2025-06-01'), texts: NOISE },
      ],
      '2024-01-01',
      '2025-06-01',
    );
    const res = await runTopics(testContext(env.store, '2025-06-01'));
    expect(res.candidates[0].category).toBe('交通管理');
    expect(res.candidates[0].level).toBe(1);
    expect(res.candidates.map((c) => c.category)).not.toContain('交通管理/违章停车');
    expect(res.candidates.map((c) => c.category)).not.toContain('交通管理/道路破损');
    // one rising child of a steady 大类 does not make the 大类 a topic
    const cs = res.scored.find((s) => s.metrics.category === '城乡建设');
    expect(cs?.eligible).toBe(false);
  });

  it('is idempotent: a second run for the same month stores the same rows', async () => {
    await seedOrders(
      env.store,
      [
        { cat2: '生态环境/施工噪音', perDay: risingIn(12, 1.7, '2025-05-01', '2025-06-01'), texts: NOISE },
        { cat2: '城乡建设/物业管理', perDay: steady(50), texts: PROPERTY },
      ],
      '2024-01-01',
      '2025-06-01',
    );
    const q = `SELECT rank, category, score, evidence::VARCHAR AS e FROM topic_candidates ORDER BY rank`;
    await runTopics(testContext(env.store, '2025-06-01'));
    const a = await env.store.all(q);
    await runTopics(testContext(env.store, '2025-06-15'));
    const b = await env.store.all(q);
    expect(b).toEqual(a);
    expect(await env.store.value('SELECT count(*) FROM topic_runs')).toBe(1);
    expect(await env.store.value('SELECT count(DISTINCT month) FROM topic_scores')).toBe(1);
  });

  it('never counts orders on or after the month start', async () => {
    await seedOrders(
      env.store,
      [
        { cat2: '生态环境/施工噪音', perDay: risingIn(12, 5, '2025-06-01', '2025-07-01'), texts: NOISE },
        { cat2: '城乡建设/物业管理', perDay: steady(50), texts: PROPERTY },
      ],
      '2024-01-01',
      '2025-07-01',
    );
    const res = await runTopics(testContext(env.store, '2025-06-01'));
    expect(res.candidates.map((c) => c.category)).not.toContain('生态环境/施工噪音');
    expect(res.scored.find((s) => s.metrics.category === '生态环境/施工噪音')!.metrics.n_last).toBe(12 * 31);
  });

  it('compares like with like when the data stops before the month ends: the same first days of every month', async () => {
    env = await tempStore();
    // orders up to 2025-05-24 only: the last 7 days of May have not been loaded
    await seedOrders(
      env.store,
      [
        { cat2: '城乡建设/物业管理', perDay: steady(120), texts: PROPERTY },
        { cat2: '生态环境/施工噪音', perDay: risingIn(12, 1.7, '2025-05-01', '2025-06-01'), texts: NOISE },
        { cat2: '交通管理/违章停车', perDay: steady(30), texts: PARKING },
      ],
      '2024-01-01',
      '2025-05-25',
    );
    const res = await runTopics(testContext(env.store, '2025-06-01'));
    const d = (c: string) => res.scored.find((x) => x.metrics.category === c)!.derived;
    // counted over 31 days, the steady categories fell by 7/31 = 23 % and the planted ×1.7 rose by only 32 %
    expect(d('城乡建设/物业管理').mom).toBeCloseTo(0, 3);
    expect(d('城乡建设/物业管理').yoy).toBeCloseTo(0, 3);
    expect(d('生态环境/施工噪音').mom).toBeCloseTo(20 / 12 - 1, 3); // 12 × 1.7 rounds to 20 a day
    // the others: 施工噪音 20 + 违章停车 30 a day against 12 + 30 a year before
    expect(d('城乡建设/物业管理').cityGrowth).toBeCloseTo(50 / 42 - 1, 3);
    expect(res.candidates.map((c) => c.category)).toEqual(['生态环境/施工噪音']);
    expect(res.notes).toContain(
      '工单数据只到2025-05-24，上月最后7天尚未入库：上月按前24天计算，环比、同比也取各月前24天。',
    );
  });
});
