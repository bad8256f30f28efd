import type { Stage } from '../store/stage.js';

// PLACEHOLDER — replaced by the stage's real implementation. It must not survive to a release.
export const tagStage: Stage = {
  name: 'tag',
  description: 'root-cause tags, repeats and scope flags for new or changed orders',
  async run() {
    return {};
  },
};
