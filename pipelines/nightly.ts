import type { Pipeline } from '../src/pipeline/types.js';
import { schedules } from './schedules.js';
import { ingestDropStage } from '../src/ingest/drop-stage.js';
import { tagStage } from '../src/tag/stage.js';
import { placeStage } from '../src/spatial/stage.js';
import { aggregateStage } from '../src/aggregate/stage.js';
import { alertStage } from '../src/detect/stage.js';
import { hotspotStage } from '../src/spatial/hotspot-stage.js';
import { pushStage } from '../src/assign/push-stage.js';

/**
 * Every night at 02:30: load yesterday's exports, label the new orders, update the daily counts, and tell grid
 * workers about today's hotspots. Each stage touches only new or changed orders.
 */
export const nightly: Pipeline = {
  ...schedules.nightly,
  stages: [ingestDropStage, placeStage, tagStage, aggregateStage, alertStage, hotspotStage, pushStage],
};
