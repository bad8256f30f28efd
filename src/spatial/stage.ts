import type { Stage } from '../store/stage.js';

// PLACEHOLDER — replaced by the stage's real implementation. It must not survive to a release.
export const placeStage: Stage = {
  name: 'place',
  description: 'H3 cell, district, street, community and grid for new or changed orders',
  async run() {
    return {};
  },
};
