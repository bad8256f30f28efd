import { aggregateStage } from '../aggregate/stage.js';
import { placeStage } from '../spatial/stage.js';
import { tagStage } from '../tag/stage.js';
import type { Stage, StageContext, StageCounts } from '../store/stage.js';

/**
 * The per-order derivations every analytical command depends on. They are incremental (only orders changed
 * since their last run), so calling this before `weisu alerts` or `weisu hotspots` costs nothing when the
 * nightly run is current and makes an ad-hoc command on a freshly loaded store correct.
 */
export const derivationStages: readonly Stage[] = [tagStage, placeStage, aggregateStage];

export async function prepare(ctx: StageContext): Promise<Record<string, StageCounts>> {
  const out: Record<string, StageCounts> = {};
  for (const stage of derivationStages) {
    out[stage.name] = await ctx.store.tx(() => stage.run({ ...ctx, log: ctx.log.child({ stage: stage.name }) }));
  }
  return out;
}
