import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { tempStore } from '../helpers.js';
import { generateCity } from '../../src/synth/index.js';
import type { Truth } from '../../src/synth/truth.js';
import { configFrom } from '../../src/store/config.js';
import { addDays } from '../../src/store/dates.js';
import { backtestAlerts } from '../../src/detect/backtest.js';
import { loadDemoOrders } from './demo-city.js';

// A small generated demo city (src/synth) with planted truth: the city-wide rise and the new term must be found,
// by the backtest's own matching rules, and quiet series must stay quiet.
describe('on a small generated demo city', () => {
  let t: Awaited<ReturnType<typeof tempStore>>;
  let truth: Truth;
  beforeAll(async () => {
    t = await tempStore();
    const city = await generateCity({
      outDir: join(t.dir, 'city'),
      seed: 7,
      scale: 0.1,
      start: '2024-06-01',
      end: '2026-06-01',
    });
    truth = city.truth;
    await loadDemoOrders(t.store, city.ordersFiles);
  }, 600_000);
  afterAll(() => t.cleanup());

  it('detects the city-wide rise and the new topic, with few false alarms', async () => {
    const config = configFrom({ city: { name: truth.city } });
    const to = addDays(truth.end, -1);
    const { report } = await backtestAlerts(t.store, config, truth, addDays(to, -7 * 8), to);
    const byId = new Map(report.events.map((e) => [e.id, e]));
    expect(byId.get('citywide-1')?.detected).toBe(true);
    expect(byId.get('citywide-1')!.delay_weeks!).toBeLessThanOrEqual(3);
    expect(byId.get('new_topic-1')?.detected).toBe(true);
    expect(report.false_alarms.quiet_units).toBeGreaterThan(500);
    expect(report.false_alarms.per_100).toBeLessThanOrEqual(1);
  }, 600_000);
});
