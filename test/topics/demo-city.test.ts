import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestFiles } from '../../src/ingest/index.js';
import { derivationStages } from '../../src/pipeline/prepare.js';
import { runPipeline } from '../../src/pipeline/runner.js';
import { loadConfig } from '../../src/store/config.js';
import { createLogger } from '../../src/store/log.js';
import { generateCity } from '../../src/synth/index.js';
import type { Truth } from '../../src/synth/truth.js';
import { runTopics } from '../../src/topics/stage.js';
import { tempStore } from '../helpers.js';

// The demo city with planted truth, small and short: 14 months so that the last two months have a year-ago
// comparison. The generator plants a city-wide rise through the last full month (here November 2026). Scale 0.1
// (≈ 200 orders a day): below that the generator's minimum hotspot volume (6 orders a week in one cell) is a +150%
// rise of a small category, a local hotspot that can outrank the city-wide rise (see docs/topics.md).
describe('topics on the demo city (planted truth)', () => {
  let env: Awaited<ReturnType<typeof tempStore>>;
  let truth: Truth;
  let configFile: string;
  beforeAll(async () => {
    env = await tempStore();
    const log = createLogger({ test: true });
    const city = await generateCity({
      outDir: join(env.dir, 'city'),
      seed: 7,
      scale: 0.1,
      start: '2025-10-01',
      end: '2026-12-01',
      log,
    });
    truth = city.truth;
    configFile = city.configFile;
    await ingestFiles(env.store, city.ordersFiles, { salt: 'test-salt-0123456789', log });
    const { config, log: runLog, outDir } = ctx('2026-12-01');
    const prepare = { name: 'prepare', description: '', cron: '', stages: derivationStages };
    await runPipeline(env.store, prepare, { asOf: '2026-12-01', config, log: runLog, outDir });
  }, 900_000);
  afterAll(() => env.cleanup());

  const ctx = (asOf: string) => ({
    store: env.store,
    asOf,
    runId: 't',
    log: createLogger({ test: true }),
    config: loadConfig(configFile),
    outDir: env.dir,
    progress: () => {},
  });

  it('the planted city-wide rise is candidate 1 in the month after it', async () => {
    const event = truth.events.find((e) => e.kind === 'citywide')!;
    expect(event.end).toBe('2026-12-01');
    const res = await runTopics(ctx('2026-12-01'));
    const table = res.scored
      .slice(0, 4)
      .map(
        (s) =>
          `${s.metrics.category} ${s.score} ${JSON.stringify(s.components)} n=${s.metrics.n_last} ly=${s.metrics.n_ly} prev=${s.metrics.n_prev}`,
      );
    expect(res.candidates[0].category, table.join('\n')).toBe(event.category);
    expect(res.candidates[0].evidence.yoy_adjusted).toBeGreaterThan(0.3);
  });

  it('with the heating wave ahead (as of Nov 1) heating is proposed, before the wave', async () => {
    const res = await runTopics(ctx('2026-11-01'));
    const heat = res.candidates.find((c) => c.category === '城乡建设/供暖');
    expect(heat, JSON.stringify(res.candidates.map((c) => c.category))).toBeDefined();
    expect(heat!.components.forecast).toBeGreaterThan(0);
    expect(heat!.evidence.forecast_next_month).toBeGreaterThan(heat!.evidence.orders_last_month * 2);
  });
});
