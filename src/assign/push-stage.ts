import type { Stage } from '../store/stage.js';

// PLACEHOLDER — replaced by the stage's real implementation. It must not survive to a release.
export const pushStage: Stage = {
  name: 'push',
  description: 'push each recipient its own items through the configured webhooks',
  async run() {
    throw new Error('stage push is not built yet');
  },
};
