import type { Pipeline } from '../src/pipeline/types.js';
import { schedules } from './schedules.js';
import { ingestDropStage } from '../src/ingest/drop-stage.js';
import { tagStage } from '../src/tag/stage.js';
import { placeStage } from '../src/spatial/stage.js';
import { aggregateStage } from '../src/aggregate/stage.js';
import { alertStage } from '../src/detect/stage.js';
import { hotspotStage } from '../src/spatial/hotspot-stage.js';
import { pushStage } from '../src/assign/push-stage.js';
import { withClockGuard } from '../src/pipeline/clock-guard.js';

/**
 * Every night at 02:30: load yesterday's exports, label the new orders, update the daily counts, and tell grid
 * workers about today's hotspots. Each stage touches only new or changed orders. A night whose new rows are mostly
 * dated in the future (the clock is behind) fails and loads nothing (src/pipeline/clock-guard.ts).
 */
export const nightly: Pipeline = {
  ...schedules.nightly,
  stages: [withClockGuard(ingestDropStage), placeStage, tagStage, aggregateStage, alertStage, hotspotStage, pushStage],
};
