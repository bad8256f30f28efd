import type { Pipeline } from '../src/pipeline/types.js';
import { schedules } from './schedules.js';
import { tagStage } from '../src/tag/stage.js';
import { placeStage } from '../src/spatial/stage.js';
import { aggregateStage } from '../src/aggregate/stage.js';
import { forecastStage } from '../src/forecast/stage.js';
import { surgeStage } from '../src/forecast/surge-stage.js';
import { alertStage } from '../src/detect/stage.js';
import { hotspotStage } from '../src/spatial/hotspot-stage.js';
import { topicStage } from '../src/topics/stage.js';
import { assignStage } from '../src/assign/stage.js';
import { effectStage } from '../src/assign/effect-stage.js';
import { reportStage } from '../src/report/stage.js';

/**
 * On the 1st of each month at 05:00 (as of that day, so on the whole previous month): refresh forecasts and surge
 * warnings so a coming seasonal wave counts, propose the 调度 topics,
 * draw up assignment lists, measure the effect of earlier topics, and write the leadership report.
 */
export const monthly: Pipeline = {
  ...schedules.monthly,
  stages: [
    placeStage,
    tagStage,
    aggregateStage,
    forecastStage,
    surgeStage,
    alertStage,
    hotspotStage,
    topicStage,
    assignStage,
    effectStage,
    reportStage,
  ],
};
