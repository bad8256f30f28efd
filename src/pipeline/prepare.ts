import { aggregateStage } from '../aggregate/stage.js';
import { placeStage } from '../spatial/stage.js';
import { tagStage } from '../tag/stage.js';
import type { Stage } from '../store/stage.js';

/**
 * The per-order derivations every analytical command depends on. They are incremental (only orders changed
 * since their last run), so running them before `weisu alerts` or `weisu hotspots` costs nothing when the
 * nightly run is current and makes an ad-hoc command on a freshly loaded store correct. Places come before tags:
 * tag's repeats by place leave out the coordinates the place stage finds to name no place (place_placeholders).
 */
export const derivationStages: readonly Stage[] = [placeStage, tagStage, aggregateStage];
