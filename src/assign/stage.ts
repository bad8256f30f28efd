import type { Stage } from '../store/stage.js';

// PLACEHOLDER — replaced by the stage's real implementation. It must not survive to a release.
export const assignStage: Stage = {
  name: 'assign',
  description: 'assignment lists per grid, street and unit for the chosen topic and hotspots',
  async run() {
    throw new Error('stage assign is not built yet');
  },
};
