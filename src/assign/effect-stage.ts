import type { Stage } from '../store/stage.js';

// PLACEHOLDER — replaced by the stage's real implementation. It must not survive to a release.
export const effectStage: Stage = {
  name: 'effect',
  description: 'effect of finished topics and hotspots, and the unit scorecard',
  async run() {
    throw new Error('stage effect is not built yet');
  },
};
