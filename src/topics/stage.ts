import type { Stage } from '../store/stage.js';

// PLACEHOLDER — replaced by the stage's real implementation. It must not survive to a release.
export const topicStage: Stage = {
  name: 'topics',
  description: 'the month 调度 topic candidates with their evidence',
  async run() {
    throw new Error('stage topics is not built yet');
  },
};
