import type { Stage } from '../store/stage.js';

// PLACEHOLDER — replaced by the stage's real implementation. It must not survive to a release.
export const hotspotStage: Stage = {
  name: 'hotspots',
  description: 'Getis-Ord Gi* hotspot cells of the last 4 weeks',
  async run() {
    throw new Error('stage hotspots is not built yet');
  },
};
