import type { Stage } from '../store/stage.js';
import { assignConfig } from './config.js';
import { computeEffects, writeEffects, writeScorecard } from './effect.js';

/** Monthly: effect (成效) of every finished topic and hotspot item with enough weeks since, and the unit scorecard. */
export const effectStage: Stage = {
  name: 'effect',
  description: 'effect of finished topics and hotspots, and the unit scorecard',
  async run(ctx) {
    const cfg = assignConfig(ctx.config);
    const { rows, summary } = await computeEffects(ctx.store, cfg, ctx.asOf);
    await writeEffects(ctx.store, ctx.asOf, rows);
    const scorecard = await writeScorecard(ctx.store, cfg, ctx.asOf);
    return { ...summary, scorecard_rows: scorecard };
  },
};
