import type { Stage } from '../store/stage.js';

// PLACEHOLDER — replaced by the stage's real implementation. It must not survive to a release.
export const alertStage: Stage = {
  name: 'alerts',
  description: 'rising and emerging categories at city, district and street scope',
  async run() {
    throw new Error('stage alerts is not built yet');
  },
};
