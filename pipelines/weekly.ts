import type { Pipeline } from '../src/pipeline/types.js';
import { schedules } from './schedules.js';
import { tagStage } from '../src/tag/stage.js';
import { placeStage } from '../src/spatial/stage.js';
import { aggregateStage } from '../src/aggregate/stage.js';
import { forecastStage } from '../src/forecast/stage.js';
import { surgeStage } from '../src/forecast/surge-stage.js';

/** Every Monday at 04:00: refit the seasonal forecasts on complete weeks and warn of waves 2–8 weeks ahead. */
export const weekly: Pipeline = {
  ...schedules.weekly,
  // tag/place/aggregate are no-ops when the nightly run is current; they make a weekly run after downtime correct.
  stages: [placeStage, tagStage, aggregateStage, forecastStage, surgeStage],
};
