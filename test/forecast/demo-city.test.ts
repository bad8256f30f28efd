/**
 * The heating wave of a generated demo city (src/synth, truth.json), forecast from 6 weeks ahead. daily_counts is
 * filled straight from the generated orders: the forecast reads nothing else.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forecastStage } from '../../src/forecast/stage.js';
import { surgeStage } from '../../src/forecast/surge-stage.js';
import { readForecasts } from '../../src/forecast/read.js';
import { generateCity } from '../../src/synth/index.js';
import type { Truth } from '../../src/synth/truth.js';
import { addDays, weekStart } from '../../src/store/dates.js';
import { tempDir, tempStore, testContext } from '../helpers.js';
import { daysFromOrderFiles } from './fixture.js';

describe('demo city heating wave', () => {
  const dir = tempDir('weisu-fc-city-');
  let t: Awaited<ReturnType<typeof tempStore>>;
  let truth: Truth;
  let config: Record<string, unknown>;
  beforeAll(async () => {
    const city = await generateCity({
      outDir: dir.dir,
      seed: 4242,
      scale: 0.05,
      start: '2023-01-01',
      end: '2026-01-05',
    });
    truth = city.truth;
    t = await tempStore();
    await daysFromOrderFiles(
      t.store,
      readdirSync(dir.dir)
        .filter((f) => /^orders-\d+\.parquet$/.test(f))
        .map((f) => join(dir.dir, f)),
    );
    config = {
      forecast: { heatingStart: truth.seasons.heatingStart.at(-1)!.slice(5), weather: join(dir.dir, 'weather.csv') },
    };
  }, 600_000);
  afterAll(() => {
    t?.cleanup();
    dir.cleanup();
  });

  it('forecasts the peak week within ±1 week from 6 weeks ahead, and warns of the wave', async () => {
    const start = truth.seasons.heatingStart.at(-1)!; // the last season in the data
    const weekly = await t.store.all<{ w: string; n: number }>(
      `SELECT date_trunc('week', day)::DATE::VARCHAR AS w, sum(n)::INTEGER AS n FROM daily_counts
       WHERE cat2 = '城乡建设/供暖' AND day >= $from AND day < $to GROUP BY 1 ORDER BY n DESC`,
      { from: weekStart(addDays(start, -28)), to: weekStart(addDays(start, 49)) },
    );
    const peak = weekly[0].w;
    const asOf = addDays(peak, -42);
    const ctx = testContext(t.store, asOf, config);
    await forecastStage.run(ctx);
    const heat = (await readForecasts(t.store, asOf, 13)).find(
      (s) => s.category === '城乡建设/供暖' && s.scope.level === 'city',
    )!;
    expect(heat.seasonal).toBe(true);
    const predicted = heat.points.reduce((a, b) => (b.yhat > a.yhat ? b : a)).week_start;
    expect(
      Math.abs(Date.parse(predicted) - Date.parse(peak)) / 86_400_000,
      `peak ${peak}, forecast ${predicted}`,
    ).toBeLessThanOrEqual(7);
    // From 6 weeks out, the wave is 4–5 weeks away: a surge warning for heating with that lead.
    await surgeStage.run(ctx);
    const alert = await t.store.one<{ details: string }>(
      `SELECT details::VARCHAR AS details FROM alerts WHERE as_of = $a AND kind = 'surge_forecast' AND category = '城乡建设/供暖' AND scope_level = 'city'`,
      { a: asOf },
    );
    expect(alert).toBeDefined();
    const d = JSON.parse(alert!.details) as { lead_weeks: number; peak_week: string };
    expect(d.lead_weeks).toBeGreaterThanOrEqual(2);
    expect(Math.abs(Date.parse(d.peak_week) - Date.parse(peak)) / 86_400_000).toBeLessThanOrEqual(7);
  }, 300_000);

  it('calls seasonal exactly the level-2 categories the generator made seasonal, the school waves among them', async () => {
    const asOf = '2025-12-29';
    await forecastStage.run(testContext(t.store, asOf, config));
    const found = (await readForecasts(t.store, asOf, 13))
      .filter((s) => s.scope.level === 'city' && s.level === 2 && s.seasonal)
      .map((s) => s.category)
      .sort();
    expect(found).toEqual([...truth.seasonalCategories].sort());
    expect(found).toContain('教育/学校周边');
  }, 300_000);
});
