import type { Stage } from '../store/stage.js';

// PLACEHOLDER — replaced by the stage's real implementation. It must not survive to a release.
export const surgeStage: Stage = {
  name: 'surge',
  description: 'surge_forecast alerts for waves expected in the next 2–8 weeks',
  async run() {
    throw new Error('stage surge is not built yet');
  },
};
