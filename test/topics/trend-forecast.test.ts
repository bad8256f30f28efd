import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runTopics } from '../../src/topics/stage.js';
import { tempStore, testContext } from '../helpers.js';
import { seedOrders, steady } from './fixture.js';

type Env = Awaited<ReturnType<typeof tempStore>>;

/**
 * A city with eleven months of history (Boston 311, 2015): a survey queue with a handful of orders all year got 172
 * in December, all from one place. The weekly forecast fitted a damped trend to that month and ran it on (82 → 423 a
 * week), and the topics read the rise as "季节性高峰将至，宜提前部署" and proposed it first. A forecast from a model that
 * is not seasonal carries the recent trend on — what 环比 and the trend alerts already weigh — and says nothing of
 * a coming wave. (Invented orders below reproduce the shape, not the data.)
 */
describe('a non-seasonal forecast is no coming wave', () => {
  let env: Env;
  beforeEach(async () => {
    env = await tempStore();
  });
  afterEach(() => env.cleanup());

  async function seedBurst(model: { name: string; seasonal: boolean }): Promise<void> {
    await seedOrders(
      env.store,
      [
        {
          cat2: 'Civil Rights/Survey',
          perDay: (d) => (d >= '2025-10-01' ? 6 : d.endsWith('-15') ? 1 : 0),
          texts: ['Survey'],
        },
        { cat2: 'Public Works/Street Cleaning', perDay: steady(25), texts: ['Street Cleaning'] },
      ],
      '2025-01-01',
      '2025-11-01',
    );
    // the forecast run of the as-of: the trend carried on, 2.5 times last month's rate
    await env.store.exec(
      `INSERT INTO forecasts (as_of, category, level, scope_level, scope_name, week_start, yhat, lo, hi, model)
       SELECT '2025-11-01', 'Civil Rights/Survey', 2, 'city', '全市', ws, 105, 20, 200, $model
       FROM (SELECT unnest(generate_series(DATE '2025-10-27', DATE '2025-12-01', INTERVAL 7 DAY))::DATE AS ws)`,
      { model: model.name },
    );
    await env.store.exec(
      `INSERT INTO forecast_models (as_of, category, level, scope_level, scope_name, model, history_weeks, seasonal,
                                    seasonal_strength)
       VALUES ('2025-11-01', 'Civil Rights/Survey', 2, 'city', '全市', $model, 43, $seasonal, 0)`,
      { model: model.name, seasonal: model.seasonal },
    );
  }

  it('gives a damped-trend forecast no weight as a wave and no 季节性高峰 wording', async () => {
    await seedBurst({ name: 'damped', seasonal: false });
    const res = await runTopics(testContext(env.store, '2025-11-01'));
    const survey = res.scored.find((s) => s.metrics.category === 'Civil Rights/Survey')!;
    expect(survey.components.forecast).toBe(0);
    const shown = [...res.candidates, ...res.alternates];
    for (const c of shown) expect(c.reasons.join('')).not.toContain('季节性高峰将至');
  });

  it('still reads a seasonal model of the same figures as a wave', async () => {
    await seedBurst({ name: 'ets', seasonal: true });
    const res = await runTopics(testContext(env.store, '2025-11-01'));
    const survey = res.scored.find((s) => s.metrics.category === 'Civil Rights/Survey')!;
    expect(survey.components.forecast).toBeGreaterThan(0);
  });

  it('says "没有" when no category qualifies, not "只有0个"', async () => {
    await seedOrders(
      env.store,
      [{ cat2: 'Public Works/Street Cleaning', perDay: steady(25), texts: ['Street Cleaning'] }],
      '2025-01-01',
      '2025-11-01',
    );
    const res = await runTopics(testContext(env.store, '2025-11-01'));
    expect(res.candidates).toHaveLength(0);
    expect(res.notes.join('')).toContain('本月没有符合条件');
    expect(res.notes.join('')).not.toContain('只有0个');
  });
});
