import type { Stage } from '../store/stage.js';

// PLACEHOLDER — replaced by the stage's real implementation. It must not survive to a release.
export const forecastStage: Stage = {
  name: 'forecast',
  description: 'weekly forecasts with 80% intervals for every level-1 and level-2 category',
  async run() {
    throw new Error('stage forecast is not built yet');
  },
};
